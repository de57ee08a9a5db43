import { forbidden, unauthenticated } from '../../../shared/platform/errors';
import { readAudit, type AuditEntryDoc } from '../../../shared/subgraph/audit';
import * as validate from '../../../shared/subgraph/validate';
import type { LotRecord } from '../models';
import type { ParkingService } from './deps';

/** The lots a lot owner runs, by id; every lot for an admin. */
export async function ownedLots(ctx: ParkingService): Promise<LotRecord[]> {
  const { viewer, models } = ctx;
  if (viewer.role === 'anonymous') throw unauthenticated();
  if (viewer.role === 'admin') return models.Lot.find().sort({ _id: 1 }).lean<LotRecord[]>();
  if (viewer.role !== 'lot_owner') throw forbidden('Only lot owners and admins have lots to manage');
  return models.Lot.find({ _id: { $in: viewer.lotIds ?? [] } }).sort({ _id: 1 }).lean<LotRecord[]>();
}

/** Admins: the audit trail of lots, of one lot when `lotId` is given. */
export function lotAuditLog(ctx: ParkingService, args: { lotId?: string | null; limit?: number | null }): Promise<AuditEntryDoc[]> {
  const lotId = args.lotId == null ? undefined : validate.code('lotId', args.lotId);
  return readAudit(ctx.models.Audit, ctx.viewer, { entityType: lotId ? 'ParkingLot' : undefined, entityId: lotId, limit: args.limit }, ctx.clock());
}
