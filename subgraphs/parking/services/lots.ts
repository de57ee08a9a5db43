import { requireRole } from '../../../shared/platform/auth';
import { badInput, conflict, notFound, unauthenticated } from '../../../shared/platform/errors';
import { recordAudit } from '../../../shared/subgraph/audit';
import { requireLotManager } from './access';
import * as validate from '../../../shared/subgraph/validate';
import { HOLDING_STATUSES } from '../domain/reservation-status';
import { parseWindows, type WindowInput } from '../domain/windows';
import { publishAvailability } from '../events';
import { OWNER_TYPES, type LotRecord, type OwnerType } from '../models/lot';
import { isDuplicateKey, requireCommunity, requireDepartment } from '../../../shared/subgraph';
import type { ParkingService, ReferencingParkingService } from './deps';

/** Shenzhen's extent, with a margin: a lot outside it is a typo. */
const SHENZHEN_BOUNDS = { minLat: 22.3, maxLat: 22.95, minLng: 113.7, maxLng: 114.7 };

export interface LotInput {
  id: unknown;
  name: unknown;
  address: unknown;
  lat: unknown;
  lng: unknown;
  communityCode: unknown;
  ownerType: unknown;
  ownerName: unknown;
  ownerDepartmentId?: unknown;
  totalSpaces: unknown;
  pricePerHour: unknown;
  freeFirstMinutes?: unknown;
  windows: WindowInput[];
}

/** Admin: puts a lot online. Ids follow the graph's convention PL-<AREA>-NN. */
export async function createLot(deps: ReferencingParkingService, input: LotInput): Promise<LotRecord> {
  const { viewer } = deps;
  requireRole(viewer, 'admin');
  const id = typeof input.id === 'string' && /^PL-[A-Z0-9]{1,10}-\d{2,4}$/.test(input.id) ? input.id : null;
  if (!id) throw badInput('input.id', 'must look like PL-DX-36');
  const name = validate.text('input.name', input.name, { max: 100 });
  const address = validate.text('input.address', input.address, { max: 200 });
  const lat = validate.numberInRange('input.lat', input.lat, SHENZHEN_BOUNDS.minLat, SHENZHEN_BOUNDS.maxLat);
  const lng = validate.numberInRange('input.lng', input.lng, SHENZHEN_BOUNDS.minLng, SHENZHEN_BOUNDS.maxLng);
  const communityCode = validate.code('input.communityCode', input.communityCode);
  if (!/^\d{12}$/.test(communityCode)) throw badInput('input.communityCode', 'is not a community code (12 digits)');
  if (!OWNER_TYPES.includes(input.ownerType as OwnerType)) throw badInput('input.ownerType', 'is not an owner type');
  const ownerName = validate.text('input.ownerName', input.ownerName, { max: 100 });
  let ownerDepartmentId: string | undefined;
  if (input.ownerDepartmentId !== undefined && input.ownerDepartmentId !== null) {
    ownerDepartmentId = validate.code('input.ownerDepartmentId', input.ownerDepartmentId);
  }
  const totalSpaces = validate.intInRange('input.totalSpaces', input.totalSpaces, 1, 10000);
  const pricePerHour = validate.numberInRange('input.pricePerHour', input.pricePerHour, 0, 100);
  const freeFirstMinutes = validate.intInRange('input.freeFirstMinutes', input.freeFirstMinutes ?? 0, 0, 1440);
  const windows = parseWindows('input.windows', input.windows, totalSpaces);
  const community = await requireCommunity(deps.references, viewer, communityCode, 'input.communityCode');
  if (ownerDepartmentId) await requireDepartment(deps.references, viewer, ownerDepartmentId, 'input.ownerDepartmentId');

  if (await deps.models.Lot.exists({ _id: id })) throw conflict(`Parking lot ${id} already exists`);
  try {
    const created = await deps.models.Lot.create({
      _id: id,
      name,
      address,
      lat,
      lng,
      communityCode,
      streetCode: community.streetCode,
      ownerType: input.ownerType as OwnerType,
      ownerName,
      ownerDepartmentId,
      totalSpaces,
      pricePerHour,
      freeFirstMinutes,
      windows,
    });
    const record = created.toObject() as LotRecord;
    await recordAudit(deps.models.Audit, viewer, deps.clock(), { action: 'CREATE_LOT', entityType: 'ParkingLot', entityId: id, after: record });
    return record;
  } catch (err) {
    if (isDuplicateKey(err)) throw conflict(`Parking lot ${id} already exists`);
    throw err;
  }
}

/**
 * Admin, or the lot's owner (a `lot_owner` token naming the lot): replaces a lot's windows. Windows kept as they were keep their taken spaces; a window removed
 * or resized while bookings or cars hold its spaces is refused (CONFLICT), so no holder loses the
 * space it was promised. Spaces of changed windows start over.
 */
export async function setSharingWindows(ctx: ParkingService, input: { lotId: unknown; windows: WindowInput[] }): Promise<LotRecord> {
  const { models, pubsub, viewer } = ctx;
  const { lotId: lotIdInput, windows: inputs } = input;
  if (viewer.role === 'anonymous') throw unauthenticated();
  const lotId = validate.code('lotId', lotIdInput);
  requireLotManager(viewer, lotId);
  const lot = await models.Lot.findById(lotId).lean<LotRecord>();
  if (!lot) throw notFound('ParkingLot', lotId);
  const windows = parseWindows('windows', inputs, lot.totalSpaces);
  const kept = new Set(windows.map((w) => `${w.id}/${w.spaces}`));
  const changed = lot.windows.filter((w) => !kept.has(`${w.id}/${w.spaces}`)).map((w) => w.id);
  if (changed.length) {
    const holders = await models.Reservation.countDocuments({ lotId, windowId: { $in: changed }, status: { $in: [...HOLDING_STATUSES] } });
    if (holders > 0) throw conflict(`${holders} booking(s) or parked car(s) hold spaces in the windows being changed`, { holders });
    await models.Space.deleteMany({ lotId, windowId: { $in: changed } });
  }
  const updated = await models.Lot.findOneAndUpdate({ _id: lotId }, { $set: { windows } }, { returnDocument: 'after' }).lean<LotRecord>();
  if (!updated) throw notFound('ParkingLot', lotId);
  await recordAudit(models.Audit, viewer, ctx.clock(), { action: 'SET_WINDOWS', entityType: 'ParkingLot', entityId: lotId, before: { windows: lot.windows }, after: { windows } });
  await publishAvailability(pubsub, updated);
  return updated;
}
