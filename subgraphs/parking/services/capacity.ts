import type { Occurrence } from '../domain/windows';
import type { LotRecord, Models } from '../models';
import { Types } from 'mongoose';
import { takeSlot } from '../../../shared/subgraph';

/** The key of one occurrence of one window of a lot: the unit capacity is counted in. */
export function occurrenceKeyOf(lotId: string, occ: Pick<Occurrence, 'windowId' | 'startsAt'>): string {
  return `${lotId}|${occ.windowId}|${occ.startsAt.toISOString()}`;
}

/**
 * Takes one space of the occurrence (the kit's `takeSlot`), or returns null when every space is
 * taken. @returns the space's id (to give it back with), or null when the occurrence is full.
 */
export async function takeSpace(models: Models, lot: Pick<LotRecord, '_id' | 'communityCode'>, occ: Occurrence, now: Date): Promise<string | null> {
  const scope = occurrenceKeyOf(lot._id, occ);
  const holder = new Types.ObjectId().toHexString();
  const extra = { lotId: lot._id, communityCode: lot.communityCode, windowId: occ.windowId, startsAt: occ.startsAt, endsAt: occ.endsAt, createdAt: now };
  const slot = await takeSlot(models.Space, { scope, capacity: occ.spaces, holder, extra });
  return slot === null ? null : holder;
}

/** Gives a space back (cancel, no-show, exit, or a later step that failed); repeating it is harmless. */
export async function giveSpaceBack(models: Models, spaceId: string): Promise<void> {
  await models.Space.deleteOne({ holder: spaceId });
}

/**
 * Taken spaces per occurrence key of one community's lots, in one query: an equality on
 * `communityCode` (pushed down on FerretDB) over the spaces held now, which bookings give back,
 * so it reads what the community holds, not its history.
 */
export async function takenSpacesInCommunity(models: Models, communityCode: string): Promise<Map<string, number>> {
  const rows = await models.Space.aggregate<{ _id: string; n: number }>([
    { $match: { communityCode } },
    // $count (not $sum of 1): FerretDB 1.24 sums integers in $group as 0.
    { $group: { _id: '$scope', n: { $count: {} } } },
  ]).exec();
  return new Map(rows.map((r) => [r._id, r.n]));
}

/**
 * Gives spaces taken before `communityCode` was stored their lot's community; run at start-up,
 * before the subgraph serves. Reads only the spaces that lack it (none after the first run) and
 * updates them lot by lot.
 */
export async function backfillSpaceCommunities(models: Models): Promise<number> {
  const missing = await models.Space.find({ communityCode: { $exists: false } }, { lotId: 1 }).lean<Array<{ lotId: string }>>();
  const lotIds = [...new Set(missing.map((s) => s.lotId))];
  if (!lotIds.length) return 0;
  const lots = await models.Lot.find({ _id: { $in: lotIds } }, { communityCode: 1 }).lean<Array<Pick<LotRecord, '_id' | 'communityCode'>>>();
  for (const lot of lots) await models.Space.updateMany({ lotId: lot._id, communityCode: { $exists: false } }, { $set: { communityCode: lot.communityCode } });
  return missing.length;
}
