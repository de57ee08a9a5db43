import { GraphQLError } from 'graphql';
import type { Viewer } from '../platform/auth';

/** Where an action takes place; any of the three may be unknown. */
export interface Place {
  communityCode?: string | null;
  streetCode?: string | null;
  districtCode?: string | null;
}

/** Staff (of any department) or an admin. */
export function isStaffOrAdmin(viewer: Viewer): boolean {
  return viewer.role === 'staff' || viewer.role === 'admin';
}

/**
 * Shenzhen's place codes nest (GB/T 2260 district, 3 digits of street, 3 of community:
 * 440303 → 440303003 → 440303003001), so a community's street is its first nine digits; a place
 * known only by its community can still be checked against a street account.
 */
function streetOf(place: Place): string | null {
  if (place.streetCode) return place.streetCode;
  if (place.communityCode && /^\d{12}$/.test(place.communityCode)) return place.communityCode.slice(0, 9);
  return null;
}

/**
 * Whether the viewer may act at `place`: admins everywhere; community workers only in their
 * community; staff whose token names a street only in that street; other staff (department-wide
 * accounts) everywhere their department's own rules allow. Residents and anonymous callers have no
 * area.
 */
export function inArea(viewer: Viewer, place: Place): boolean {
  switch (viewer.role) {
    case 'admin':
      return true;
    case 'community_worker':
      return !!viewer.communityCode && place.communityCode === viewer.communityCode;
    case 'staff':
      return !viewer.streetCode || streetOf(place) === viewer.streetCode;
    default:
      return false;
  }
}

/** Refuses (FORBIDDEN, naming `field`) an action outside the viewer's area; see `inArea`. */
export function requireArea(viewer: Viewer, place: Place, field: string): void {
  if (inArea(viewer, place)) return;
  const where = place.communityCode ? `community ${place.communityCode}` : place.streetCode ? `street ${place.streetCode}` : 'this place';
  const area =
    viewer.role === 'community_worker'
      ? `your account acts only in community ${viewer.communityCode}`
      : viewer.role === 'staff'
        ? `your account acts only in street ${viewer.streetCode}`
        : 'only community workers, staff and admins act for a place';
  const reason = `${where} is outside your area; ${area}`;
  throw new GraphQLError(`${field}: ${reason}`, { extensions: { code: 'FORBIDDEN', field, reason } });
}
