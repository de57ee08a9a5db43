import type { Viewer } from '../../../shared/platform/auth';
import { forbidden, unauthenticated } from '../../../shared/platform/errors';
import { isStaffOf } from './permissions';

/** A department's board (query and subscription) is for its own staff and admins. */
export function requireBoardViewer(viewer: Viewer, departmentId: string): void {
  if (viewer.role === 'anonymous') throw unauthenticated();
  if (viewer.role !== 'admin' && !isStaffOf(viewer, departmentId)) throw forbidden("Only the department's own staff and admins see its board");
}

/** The departments whose board a request's change moves: the one holding it and the one it just left (a return, a re-dispatch). */
export function boardsTouched(request: { departmentId?: string | null; timeline?: Array<{ fromDepartmentId?: string | null; toDepartmentId?: string | null }> }): string[] {
  const last = request.timeline?.at(-1);
  return [...new Set([request.departmentId, last?.fromDepartmentId, last?.toDepartmentId].filter((d): d is string => !!d))];
}
