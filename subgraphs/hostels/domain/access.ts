import type { Viewer } from '../../../shared/platform/auth';
import { forbidden, unauthenticated } from '../../../shared/platform/errors';

/**
 * Who may see or act on a stay: its resident, an admin, or staff of the department that runs the
 * stay's hostel. Anonymous callers are asked to sign in; everyone else is refused.
 */
export function canAccessStay(viewer: Viewer, stay: { residentId: string }, operatorId: string | null | undefined): boolean {
  if (viewer.role === 'admin') return true;
  if (viewer.role === 'resident') return viewer.residentId === stay.residentId;
  if (viewer.role === 'staff') return !!operatorId && viewer.departmentId === operatorId;
  return false;
}

export function assertCanAccessStay(viewer: Viewer, stay: { residentId: string }, operatorId: string | null | undefined): void {
  if (viewer.role === 'anonymous') throw unauthenticated();
  if (!canAccessStay(viewer, stay, operatorId)) throw forbidden('Only the resident, an admin or the hostel operator\'s staff can do this');
}

/** Staff of the hostel's operating department, or an admin: the desk's own actions. */
export function assertDeskStaff(viewer: Viewer, operatorId: string | null | undefined): void {
  if (viewer.role === 'anonymous') throw unauthenticated();
  if (viewer.role === 'admin') return;
  if (viewer.role === 'staff' && !!operatorId && viewer.departmentId === operatorId) return;
  throw forbidden('Only staff of the department that runs this hostel, or an admin, can do this');
}
