import { fetchPerKey, idFilter } from '../../../shared/subgraph/loaders';
import type { Occurrence } from '../domain/windows';
import type { Models } from '../models';
import { isDuplicateKey } from './deps';

/** The key of one occurrence of one window of a lot: the unit capacity is counted in. */
export function occurrenceKeyOf(lotId: string, occ: Pick<Occurrence, 'windowId' | 'startsAt'>): string {
  return `${lotId}|${occ.windowId}|${occ.startsAt.toISOString()}`;
}

/**
 * Takes one space of the occurrence, or returns null when every space is taken. Reads which slots
 * are taken, then inserts a free one; a racer that got the same slot first makes the insert fail
 * on the unique id and the next free slot is tried. So at most `occ.spaces` holders can exist.
 * @returns the space's id (to give it back with), or null when the occurrence is full.
 */
export async function takeSpace(models: Models, lotId: string, occ: Occurrence, now: Date): Promise<string | null> {
  const occurrenceKey = occurrenceKeyOf(lotId, occ);
  const taken = new Set(
    (await models.Space.find({ occurrenceKey }, { slot: 1 }).lean<Array<{ slot: number }>>()).map((s) => s.slot),
  );
  const free: number[] = [];
  for (let slot = 1; slot <= occ.spaces; slot += 1) if (!taken.has(slot)) free.push(slot);
  // Racers start at different free slots, so most of them succeed on their first insert.
  const offset = free.length ? Math.floor(Math.random() * free.length) : 0;
  for (let i = 0; i < free.length; i += 1) {
    const slot = free[(offset + i) % free.length];
    const _id = `${occurrenceKey}#${slot}`;
    try {
      await models.Space.create({ _id, occurrenceKey, lotId, windowId: occ.windowId, slot, startsAt: occ.startsAt, endsAt: occ.endsAt, createdAt: now });
      return _id;
    } catch (err) {
      if (!isDuplicateKey(err)) throw err;
    }
  }
  return null;
}

/** Gives a space back (cancel, no-show, exit, or a later step that failed); repeating it is harmless. */
export async function giveSpaceBack(models: Models, spaceId: string): Promise<void> {
  await models.Space.deleteOne({ _id: spaceId });
}

/** Taken spaces per occurrence key, in one query. */
export async function takenSpaces(models: Models, occurrenceKeys: readonly string[]): Promise<Map<string, number>> {
  // Per key when there are few (pushed down on FerretDB, see fetchPerKey), else one `$in`.
  const rows = await fetchPerKey(occurrenceKeys, (keys) =>
    models.Space.aggregate<{ _id: string; n: number }>([
      { $match: { occurrenceKey: idFilter(keys) } },
      // $count (not $sum of 1): FerretDB 1.24 sums integers in $group as 0.
      { $group: { _id: '$occurrenceKey', n: { $count: {} } } },
    ]).exec(),
  );
  return new Map(rows.map((r) => [r._id, r.n]));
}
