import { Types } from 'mongoose';
import { conflict, forbidden, notFound, unauthenticated } from '../../../shared/platform/errors';
import { openPeriodAt } from '../domain/opening-hours';
import type { LedgerEntryDoc, StationDoc } from '../models';
import { isDuplicateKey } from '../../../shared/subgraph';
import type { VolunteersService } from './deps';

export interface ServiceRecord {
  stationId: string;
  description: string;
  peopleServed: number;
  idempotencyKey?: string;
}

/**
 * Writes a service into a U-station's ledger. A resident must be on the duty roster of the opening
 * period covering now; staff of the station's street office, its community worker and admins may
 * write at any time.
 */
export async function recordStationService(ctx: VolunteersService, rec: ServiceRecord): Promise<LedgerEntryDoc> {
  const { models, viewer } = ctx;
  const now = ctx.clock();
  if (viewer.role === 'anonymous') throw unauthenticated();
  const station = await models.Station.findById(rec.stationId).lean<StationDoc>();
  if (!station) throw notFound('VolunteerStation', rec.stationId);
  if (station.closedAt) throw conflict(`${station.name} is closed`, { field: 'stationId' });
  let volunteerId: string | null = null;
  if (viewer.role === 'resident') {
    const period = openPeriodAt(station.openingHours, now);
    if (!period || !period.volunteerIds.includes(viewer.residentId!)) {
      throw forbidden('Only a volunteer on duty at this U-station now can record a service');
    }
    volunteerId = viewer.residentId!;
  } else if (viewer.role === 'staff' && viewer.departmentId !== station.managerDepartmentId) {
    throw forbidden("Only staff of the U-station's street office can record its services");
  } else if (viewer.role === 'community_worker' && viewer.communityCode !== station.communityCode) {
    throw forbidden("Only the U-station's community workers can record its services");
  }

  const recordedBy = viewer.subject ?? viewer.role;
  if (rec.idempotencyKey) {
    const first = await models.LedgerEntry.findOne({ recordedBy, idempotencyKey: rec.idempotencyKey }).lean<LedgerEntryDoc>();
    if (first) return first;
  }
  const _id = new Types.ObjectId();
  try {
    const doc = await models.LedgerEntry.create({
      _id,
      stationId: station._id,
      recordedAt: now,
      description: rec.description,
      peopleServed: rec.peopleServed,
      volunteerId,
      recordedBy,
      idempotencyKey: rec.idempotencyKey ?? `auto:${_id}`,
    });
    return doc.toObject() as LedgerEntryDoc;
  } catch (err) {
    if (isDuplicateKey(err) && rec.idempotencyKey) {
      const first = await models.LedgerEntry.findOne({ recordedBy, idempotencyKey: rec.idempotencyKey }).lean<LedgerEntryDoc>();
      if (first) return first;
    }
    throw err;
  }
}
