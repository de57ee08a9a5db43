import { Types } from 'mongoose';
import { aggregateLoader, byKeyLoader, groupLoader, idFilter } from '../../shared/subgraph/loaders';
import { localDateString } from '../../shared/subgraph/time';
import type { Models } from './models';
import { occupiedOn } from './services/beds';

/**
 * A fresh set per request: nothing is cached across viewers or requests. `now` fixes "tonight"
 * for the whole request, so every hostel in one answer is counted for the same night.
 */
export function createLoaders(models: Models, now: Date) {
  const tonight = localDateString(now);
  return {
    hostel: byKeyLoader((ids: readonly string[]) => models.Hostel.find({ _id: idFilter(ids) }).lean(), (h) => h._id),
    hostelsByCommunity: groupLoader(
      (codes: readonly string[]) => models.Hostel.find({ communityCode: idFilter(codes) }).sort({ _id: 1 }).lean(),
      (h) => h.communityCode,
    ),
    hostelsByDistrict: groupLoader(
      (codes: readonly string[]) => models.Hostel.find({ districtCode: idFilter(codes) }).sort({ _id: 1 }).lean(),
      (h) => h.districtCode,
    ),
    hostelsByOperator: groupLoader(
      (ids: readonly string[]) => models.Hostel.find({ operatorId: idFilter(ids) }).sort({ _id: 1 }).lean(),
      (h) => h.operatorId ?? '',
    ),
    /** Beds held tonight per hostel; freeBeds = totalBeds − this. */
    occupiedTonight: aggregateLoader((ids: readonly string[]) => occupiedOn(models, ids, tonight), 0),
    bed: byKeyLoader((ids: readonly string[]) => models.Bed.find({ _id: idFilter(ids) }).lean(), (b) => b._id),
    bedsByHostel: groupLoader(
      (ids: readonly string[]) => models.Bed.find({ hostelId: idFilter(ids) }).sort({ hostelId: 1, code: 1 }).lean(),
      (b) => b.hostelId,
    ),
    stay: byKeyLoader(
      (ids: readonly string[]) => models.Stay.find({ _id: idFilter(ids.map((id) => new Types.ObjectId(id))) }).lean(),
      (s) => s._id.toHexString(),
    ),
    staysByResident: groupLoader(
      (ids: readonly string[]) => models.Stay.find({ residentId: idFilter(ids) }).sort({ createdAt: -1 }).lean(),
      (s) => s.residentId,
    ),
  };
}

export type Loaders = ReturnType<typeof createLoaders>;
