import { occurrenceAt } from '../domain/windows';
import type { Loaders } from '../loaders';
import type { LotRecord } from '../models';
import { occurrenceKeyOf } from './capacity';

/** Released spaces of the occurrence open at `now` that nobody holds; 0 when no window is open. */
export async function freeSpacesAt(loaders: Loaders, lot: Pick<LotRecord, '_id' | 'windows' | 'communityCode'>, now: Date): Promise<number> {
  const occ = occurrenceAt(lot.windows, now);
  if (!occ) return 0;
  const taken = (await loaders.takenInCommunity.load(lot.communityCode)).get(occurrenceKeyOf(lot._id, occ)) ?? 0;
  return Math.max(0, occ.spaces - taken);
}
