import { isAdmin, type Viewer } from '../platform/auth';
import { forbidden } from '../platform/errors';

/** Where something is: any of the codes the record carries. */
export interface Place {
  communityCode?: string | null;
  streetCode?: string | null;
  districtCode?: string | null;
}

/** Staff of a department, or an admin. */
export function isStaffOrAdmin(viewer: Viewer): boolean {
  return viewer.role === 'staff' || isAdmin(viewer);
}

/** A community code's street (Shenzhen codes: 6 district + 3 street + 3 community digits). */
function streetOf(place: Place): string | null {
  if (place.streetCode) return place.streetCode;
  return place.communityCode && /^\d{12}$/.test(place.communityCode) ? place.communityCode.slice(0, 9) : null;
}

/**
 * Whether the viewer may act on something at `place`: admins everywhere; staff everywhere unless
 * their token names a street, then only in that street; community workers only in their own
 * community; residents and anonymous callers nowhere (their own records are checked by ownership).
 * A place whose codes do not say where it is counts as outside any limited area.
 */
export function inArea(viewer: Viewer, place: Place): boolean {
  if (isAdmin(viewer)) return true;
  if (viewer.role === 'staff') return !viewer.streetCode || streetOf(place) === viewer.streetCode;
  if (viewer.role === 'community_worker') return !!viewer.communityCode && place.communityCode === viewer.communityCode;
  return false;
}

/** `inArea` or FORBIDDEN naming the input field that put the action outside the viewer's area. */
export function requireArea(viewer: Viewer, place: Place, field: string): void {
  if (inArea(viewer, place)) return;
  const where = place.communityCode ?? place.streetCode ?? place.districtCode ?? 'an unknown place';
  const limit =
    viewer.role === 'community_worker'
      ? `your account acts only in community ${viewer.communityCode ?? '(none)'}`
      : viewer.role === 'staff'
        ? `your account acts only in street ${viewer.streetCode}`
        : 'only staff, community workers and admins act on places';
  const reason = `${field} is in ${where}; ${limit}`;
  const err = forbidden(reason);
  err.extensions.field = field;
  throw err;
}
