import { boundingBox, haversineMeters } from '../../../shared/subgraph/geo';
import * as validate from '../../../shared/subgraph/validate';
import type { Loaders } from '../loaders';
import type { LotRecord, LotWithDistance, Models } from '../models';
import { freeSpacesAt } from './availability';

export interface NearInput {
  lat: unknown;
  lng: unknown;
  radiusMeters: unknown;
  onlyAvailable?: unknown;
}

/**
 * Lots within the radius, nearest first, with their distance. A bounding-box range query narrows
 * the candidates (FerretDB has no geo index); the exact great-circle distance filters them.
 * `onlyAvailable` keeps lots with a window open now and a free space in it.
 */
export async function findLotsNear(models: Models, loaders: Loaders, input: NearInput, now: Date): Promise<LotWithDistance[]> {
  const lat = validate.numberInRange('lat', input.lat, -90, 90);
  const lng = validate.numberInRange('lng', input.lng, -180, 180);
  const radius = validate.intInRange('radiusMeters', input.radiusMeters, 1, 20000);
  const box = boundingBox(lat, lng, radius);
  const candidates = await models.Lot.find({
    lat: { $gte: box.minLat, $lte: box.maxLat },
    lng: { $gte: box.minLng, $lte: box.maxLng },
  }).lean<LotRecord[]>();
  const near = candidates
    .map((lot) => ({ ...lot, distanceMeters: Math.round(haversineMeters(lat, lng, lot.lat, lot.lng)) }))
    .filter((lot) => lot.distanceMeters <= radius)
    .sort((a, b) => a.distanceMeters - b.distanceMeters || a._id.localeCompare(b._id));
  if (input.onlyAvailable !== true) return near;
  const free = await Promise.all(near.map((lot) => freeSpacesAt(loaders, lot, now)));
  return near.filter((_, i) => free[i] > 0);
}
