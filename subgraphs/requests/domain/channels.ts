import type { Role } from '../../../shared/platform/auth';

export type Channel = 'HOTLINE_12345' | 'I_SHENZHEN' | 'WECHAT' | 'WALK_IN' | 'GRID_PATROL' | 'ONLINE_MONITORING' | 'COMMUNITY_ORDER' | 'OPEN311';

/**
 * Residents file through the public channels; grid patrols, online monitoring ("未诉先办") and
 * community orders are filed by city workers. Walk-in desks and the hotline are also used by staff
 * logging a case for someone.
 */
const CHANNELS_BY_ROLE: Record<Role, readonly Channel[]> = {
  anonymous: [],
  resident: ['HOTLINE_12345', 'I_SHENZHEN', 'WECHAT', 'WALK_IN'],
  community_worker: ['GRID_PATROL', 'COMMUNITY_ORDER', 'WALK_IN', 'HOTLINE_12345'],
  staff: ['GRID_PATROL', 'ONLINE_MONITORING', 'WALK_IN', 'HOTLINE_12345'],
  admin: ['HOTLINE_12345', 'I_SHENZHEN', 'WECHAT', 'WALK_IN', 'GRID_PATROL', 'ONLINE_MONITORING', 'COMMUNITY_ORDER'],
  // A lot owner's account publishes sharing windows; it files no requests.
  lot_owner: [],
};

// OPEN311 is in no role's list: only an app's key files through it (services/open311.ts).
export function channelAllowed(role: Role, channel: Channel): boolean {
  return CHANNELS_BY_ROLE[role].includes(channel);
}
