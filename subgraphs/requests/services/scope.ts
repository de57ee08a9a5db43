import { unauthenticated } from '../../../shared/platform/errors';
import * as validate from '../../../shared/subgraph/validate';
import type { RequestStatus } from '../domain/lifecycle';
import type { RequestsService } from './deps';

export interface RequestFilterInput {
  status?: RequestStatus[] | null;
  level?: number | null;
  communityCode?: string | null;
  streetCode?: string | null;
  districtCode?: string | null;
  departmentId?: string | null;
  categoryCode?: string | null;
  parkingLotId?: string | null;
  open?: boolean | null;
  overdue?: boolean | null;
}

/**
 * The requests a viewer may list: residents their own, staff their department's (a street office
 * also every request of its street, since it triages and re-dispatches them), community workers
 * their community's, admins all.
 */
export async function viewerScope(ctx: Pick<RequestsService, 'models' | 'viewer'>): Promise<Record<string, unknown>> {
  const { models, viewer } = ctx;
  switch (viewer.role) {
    case 'resident':
      return { residentId: viewer.residentId };
    case 'community_worker':
      return { communityCode: viewer.communityCode };
    case 'staff': {
      const dept = await models.Department.findById(viewer.departmentId).lean();
      if (dept?.kind === 'STREET_OFFICE' && dept.streetCode) return { $or: [{ departmentId: dept._id }, { streetCode: dept.streetCode }] };
      return { departmentId: viewer.departmentId };
    }
    case 'admin':
      return {};
    default:
      throw unauthenticated();
  }
}

/** Turns the client's filter into plain conditions (validated, so no operator reaches the query). */
export function filterConditions(filter: RequestFilterInput | null | undefined, now: Date): Record<string, unknown>[] {
  if (!filter) return [];
  const conds: Record<string, unknown>[] = [];
  if (filter.status?.length) conds.push({ status: { $in: [...filter.status] } });
  if (filter.level != null) conds.push({ level: validate.intInRange('filter.level', filter.level, 1, 3) });
  for (const field of ['communityCode', 'streetCode', 'districtCode', 'departmentId', 'categoryCode', 'parkingLotId'] as const) {
    const value = filter[field];
    if (value != null) conds.push({ [field]: validate.code(`filter.${field}`, value) });
  }
  // `open` rather than `status: { $in }`: an equality FerretDB pushes down.
  if (filter.open === true) conds.push({ open: true });
  if (filter.open === false) conds.push({ open: false });
  if (filter.overdue === true) conds.push({ open: true, currentDeadline: { $lt: now } });
  if (filter.overdue === false) conds.push({ $or: [{ open: false }, { currentDeadline: null }, { currentDeadline: { $gte: now } }] });
  return conds;
}

export interface StatsScopeArgs {
  districtCode?: string | null;
  streetCode?: string | null;
  communityCode?: string | null;
  departmentId?: string | null;
  level?: number | null;
}

export function statsMatch(args: StatsScopeArgs): Record<string, unknown> {
  const match: Record<string, unknown> = {};
  for (const field of ['districtCode', 'streetCode', 'communityCode', 'departmentId'] as const) {
    const value = args[field];
    if (value != null) match[field] = validate.code(field, value);
  }
  if (args.level != null) match.level = validate.intInRange('level', args.level, 1, 3);
  return match;
}
