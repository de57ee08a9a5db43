import { byKeyLoader, groupLoader, idFilter, perKeyLoader } from '../../shared/subgraph/loaders';
import type { LotRecord, Models, ReservationRecord, VehicleRecord } from './models';
import { takenSpacesInCommunity } from './services/capacity';
import { findBookingHistory, type HistoryRecord } from './services/history';

/** A fresh set per request (and per subscription event), so nothing is cached across viewers. */
export function createLoaders(models: Models, clock: () => Date) {
  return {
    lotById: byKeyLoader<string, LotRecord>((ids) => models.Lot.find({ _id: idFilter(ids) }).lean<LotRecord[]>(), (l) => l._id),
    lotsByCommunity: groupLoader<string, LotRecord>(
      (codes) => models.Lot.find({ communityCode: idFilter(codes) }).sort({ _id: 1 }).lean<LotRecord[]>(),
      (l) => l.communityCode,
    ),
    lotsByStreet: groupLoader<string, LotRecord>(
      (codes) => models.Lot.find({ streetCode: idFilter(codes) }).sort({ _id: 1 }).lean<LotRecord[]>(),
      (l) => l.streetCode,
    ),
    lotsByDepartment: groupLoader<string, LotRecord>(
      (ids) => models.Lot.find({ ownerDepartmentId: idFilter(ids) }).sort({ _id: 1 }).lean<LotRecord[]>(),
      (l) => l.ownerDepartmentId ?? '',
    ),
    /**
     * Spaces held per window occurrence key, by community: one pushed-down equality query per
     * community, never an `$in`, however many communities a page spans (a few: they are places).
     */
    takenInCommunity: perKeyLoader<string, Map<string, number>>((code) => takenSpacesInCommunity(models, code)),
    reservationsByResident: groupLoader<string, ReservationRecord>(
      (ids) => models.Reservation.find({ residentId: idFilter(ids) }).sort({ createdAt: -1 }).lean<ReservationRecord[]>(),
      (r) => r.residentId ?? '',
    ),
    vehiclesByResident: groupLoader<string, VehicleRecord>(
      (ids) => models.Vehicle.find({ residentId: idFilter(ids) }).sort({ createdAt: 1 }).lean<VehicleRecord[]>(),
      (v) => v.residentId,
    ),
    bookingHistoryByResident: groupLoader<string, HistoryRecord>(
      (ids) => findBookingHistory(models, ids, clock()),
      (r) => r.residentId ?? '',
    ),
  };
}

export type Loaders = ReturnType<typeof createLoaders>;
