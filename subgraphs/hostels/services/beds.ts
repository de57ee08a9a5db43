import { isDuplicateKey } from '../../../shared/subgraph';
import { fetchPerKey, idFilter } from '../../../shared/subgraph/loaders';
import type { Types } from 'mongoose';
import type { Models } from '../models';
import type { BedGender } from '../models/types';


export interface AllocationRequest {
  hostelId: string;
  stayId: Types.ObjectId;
  nights: string[];
  gender?: BedGender;
  /** Tried first when still free (the seed keeps a demo stay on the same bed across runs). */
  preferBedId?: string;
}

/**
 * Holds one bed of the hostel for every night of a stay and returns its id, or null when no bed is
 * free for all of them. Beds already taken on any of the nights are skipped up front; a bed taken
 * meanwhile by a concurrent application shows up as a duplicate (bedId, night) key, in which case
 * the nights inserted for it are removed and the next bed is tried. The unique index is what
 * guarantees no double booking; the pre-filter only saves round trips.
 */
export async function allocateBed(models: Models, req: AllocationRequest): Promise<string | null> {
  const bedFilter: Record<string, unknown> = { hostelId: req.hostelId, closedAt: null };
  if (req.gender) bedFilter.gender = { $in: [req.gender, null] };
  const [beds, busy] = await Promise.all([
    models.Bed.find(bedFilter, { _id: 1 }).sort({ code: 1 }).lean(),
    models.BedNight.distinct('bedId', { hostelId: req.hostelId, night: { $in: req.nights } }),
  ]);
  const taken = new Set(busy.map(String));
  const candidates = beds.map((b) => b._id).filter((id) => !taken.has(id));
  if (req.preferBedId && candidates.includes(req.preferBedId)) {
    candidates.splice(candidates.indexOf(req.preferBedId), 1);
    candidates.unshift(req.preferBedId);
  }
  for (const bedId of candidates) {
    try {
      await models.BedNight.insertMany(
        req.nights.map((night) => ({ hostelId: req.hostelId, bedId, night, stayId: req.stayId })),
        { ordered: true },
      );
      return bedId;
    } catch (err) {
      if (!isDuplicateKey(err)) {
        await models.BedNight.deleteMany({ stayId: req.stayId, bedId });
        throw err;
      }
      await models.BedNight.deleteMany({ stayId: req.stayId, bedId });
    }
  }
  return null;
}

/** Gives a stay's nights from `fromNight` on back to the pool; returns how many were released. */
export async function releaseNights(models: Models, stayId: Types.ObjectId, fromNight?: string): Promise<number> {
  const filter: Record<string, unknown> = { stayId };
  if (fromNight) filter.night = { $gte: fromNight };
  const res = await models.BedNight.deleteMany(filter);
  return res.deletedCount ?? 0;
}

/** How many beds of each hostel are held on `night`, in one query for all the hostels. */
export async function occupiedOn(models: Models, hostelIds: readonly string[], night: string): Promise<Map<string, number>> {
  const rows = await fetchPerKey(hostelIds, (ids) => models.BedNight.find({ hostelId: idFilter(ids), night }, { hostelId: 1, _id: 0 }).lean().exec());
  const counts = new Map<string, number>();
  for (const row of rows) counts.set(row.hostelId, (counts.get(row.hostelId) ?? 0) + 1);
  return counts;
}

