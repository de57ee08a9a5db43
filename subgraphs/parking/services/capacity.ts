import { fetchPerKey, idFilter } from '../../../shared/subgraph/loaders';
import type { Occurrence } from '../domain/windows';
import type { Models } from '../models';
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
export async function takeSpace(models: Models, lotId: string, occ: Occurrence, now: Date): Promise<string | null> {
  const scope = occurrenceKeyOf(lotId, occ);
  const holder = new Types.ObjectId().toHexString();
  const extra = { lotId, windowId: occ.windowId, startsAt: occ.startsAt, endsAt: occ.endsAt, createdAt: now };
  const slot = await takeSlot(models.Space, { scope, capacity: occ.spaces, holder, extra });
  return slot === null ? null : holder;
}

/** Gives a space back (cancel, no-show, exit, or a later step that failed); repeating it is harmless. */
export async function giveSpaceBack(models: Models, spaceId: string): Promise<void> {
  await models.Space.deleteOne({ holder: spaceId });
}

/** Taken spaces per occurrence key, in one query. */
export async function takenSpaces(models: Models, occurrenceKeys: readonly string[]): Promise<Map<string, number>> {
  // Per key when there are few (pushed down on FerretDB, see fetchPerKey), else one `$in`.
  const rows = await fetchPerKey(occurrenceKeys, (keys) =>
    models.Space.aggregate<{ _id: string; n: number }>([
      { $match: { scope: idFilter(keys) } },
      // $count (not $sum of 1): FerretDB 1.24 sums integers in $group as 0.
      { $group: { _id: '$scope', n: { $count: {} } } },
    ]).exec(),
  );
  return new Map(rows.map((r) => [r._id, r.n]));
}
