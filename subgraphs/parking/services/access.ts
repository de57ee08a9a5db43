import { requireArea } from '../../../shared/subgraph/access';
import { isAdmin, type Viewer } from '../../../shared/platform/auth';
import { forbidden, unauthenticated } from '../../../shared/platform/errors';
import { seesWholeOwnRecord } from '../../../shared/subgraph/privacy';

/** A resident's own parking records: the resident themself or an admin; others FORBIDDEN. */
export function requireSelfOrAdmin(viewer: Viewer, residentId: string): void {
  if (viewer.role === 'anonymous') throw unauthenticated();
  if (isAdmin(viewer) || (viewer.role === 'resident' && viewer.residentId === residentId)) return;
  throw forbidden("Only the resident or an admin can see a resident's parking records");
}

/** A booking: its resident, admins and staff (who see it masked); others FORBIDDEN. */
export function requireCanSeeReservation(viewer: Viewer, reservation: { residentId?: string | null }): void {
  if (viewer.role === 'anonymous') throw unauthenticated();
  if (isAdmin(viewer) || viewer.role === 'staff') return;
  if (viewer.role === 'resident' && reservation.residentId && viewer.residentId === reservation.residentId) return;
  throw forbidden("This is another person's parking reservation");
}

/** Whether the viewer may see the full plate (the booking resident or an admin: shared/subgraph/privacy.ts). */
export function seesFullPlate(viewer: Viewer, reservation: { residentId?: string | null }): boolean {
  return seesWholeOwnRecord(viewer, reservation.residentId);
}

/**
 * Gate events: admins, and staff inside their area (a street account only at its street's lots).
 */
export function requireGateOperator(viewer: Viewer, lot: { communityCode: string; streetCode: string }): void {
  if (viewer.role === 'anonymous') throw unauthenticated();
  if (isAdmin(viewer)) return;
  if (viewer.role !== 'staff') throw forbidden('Only gate staff or an admin can record entries and exits');
  requireArea(viewer, lot, 'lotId');
}

/**
 * Publishing a lot's sharing windows: admins for every lot, a lot owner for the lots its token
 * names (FORBIDDEN on `lotId` for any other lot); everyone else FORBIDDEN.
 */
export function requireLotManager(viewer: Viewer, lotId: string): void {
  if (viewer.role === 'anonymous') throw unauthenticated();
  if (isAdmin(viewer)) return;
  // A refusal by role names no field (no other lot would do); an owner's names the lot it asked for.
  if (viewer.role !== 'lot_owner') throw forbidden("Only the lot's owner or an admin can publish its sharing windows");
  if (viewer.lotIds?.includes(lotId)) return;
  const err = forbidden(`lotId ${lotId} is not yours: your account owns ${viewer.lotIds?.join(', ') ?? 'no lots'}`);
  err.extensions.field = 'lotId';
  throw err;
}
