import type { Viewer } from '../../../shared/platform/auth';

/** Staff acting for exactly this department. */
export function isStaffOf(viewer: Viewer, departmentId: string | null | undefined): boolean {
  return viewer.role === 'staff' && !!departmentId && viewer.departmentId === departmentId;
}

/** The street office id of a street (ST-<streetCode>), the convention of shared/demo.ts. */
export function streetOfficeId(streetCode: string): string {
  return `ST-${streetCode}`;
}

/** Who may dispatch: admins and the street office of the request's street. */
export function canDispatch(viewer: Viewer, request: { streetCode: string }): boolean {
  return viewer.role === 'admin' || isStaffOf(viewer, streetOfficeId(request.streetCode));
}

/** Who may mark a duplicate: admins, the assigned department and the street office. */
export function canMarkDuplicate(viewer: Viewer, request: { streetCode: string; departmentId?: string | null }): boolean {
  return canDispatch(viewer, request) || isStaffOf(viewer, request.departmentId);
}

/** A resident's own records, staff, admins, and workers of the resident's home community. */
export function canReadResident(viewer: Viewer, resident: { _id: string; homeCommunityCode?: string | null }): boolean {
  if (viewer.role === 'admin' || viewer.role === 'staff') return true;
  if (viewer.role === 'resident') return viewer.residentId === resident._id;
  if (viewer.role === 'community_worker') return !!resident.homeCommunityCode && viewer.communityCode === resident.homeCommunityCode;
  return false;
}

/** Who filed a request is personal: the submitter, the handling side and admins. */
export function canSeeSubmitter(viewer: Viewer, request: { residentId?: string | null; departmentId?: string | null; communityCode: string }): boolean {
  if (viewer.role === 'admin' || viewer.role === 'staff') return true;
  if (viewer.role === 'resident') return !!request.residentId && viewer.residentId === request.residentId;
  if (viewer.role === 'community_worker') return viewer.communityCode === request.communityCode;
  return false;
}
