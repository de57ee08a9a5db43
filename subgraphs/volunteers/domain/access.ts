import type { Viewer } from '../../../shared/platform/auth';

/** What decides who organises an activity: its department and its community. */
export interface Organised {
  organiserId: string;
  communityCode: string;
}

/**
 * Organisers of an activity: staff of the organising department, the community worker of the
 * community it is held in, and admins.
 */
export function isOrganiser(viewer: Viewer, activity: Organised): boolean {
  if (viewer.role === 'admin') return true;
  if (viewer.role === 'staff') return viewer.departmentId === activity.organiserId;
  if (viewer.role === 'community_worker') return viewer.communityCode === activity.communityCode;
  return false;
}

/**
 * Who may read a resident's volunteer records: the resident, admins, and organisers of at least
 * one activity the resident signed up for (`signUps`).
 */
export function canReadVolunteer(viewer: Viewer, residentId: string, signUps: readonly Organised[]): boolean {
  if (viewer.role === 'admin') return true;
  if (viewer.role === 'resident') return viewer.residentId === residentId;
  return signUps.some((s) => isOrganiser(viewer, s));
}
