import type { Model } from 'mongoose';
import { isDuplicateKey } from './unique';

export interface TakeSlotOptions {
  /** What the capacity counts in (a lot's occurrence, a hostel's night, an activity). */
  scope: string;
  /** How many holders the scope admits; slots are 0..capacity-1. */
  capacity: number;
  /** Who takes it (a booking, a stay, a sign-up): taking twice returns the same slot. */
  holder: string;
  /** More fields stored on the slot document (for queries and reports). */
  extra?: Record<string, unknown>;
}

/**
 * Capacity as unique inserts: a scope of capacity n is the documents `{ scope, slot }` for slot
 * 0..n-1, which the model's unique index on `(scope, slot)` admits once each (and a unique index on
 * `(scope, holder)` makes a holder hold at most one). Reads which slots are taken, then inserts a
 * free one; a racer that took it first makes the insert fail and the next free slot is tried. So at
 * most n holders exist however many race, on MongoDB and FerretDB alike, with no counter to drift.
 *
 * @returns the slot taken (or already held by `holder`), or null when all are taken
 */
export async function takeSlot(model: Model<any>, opts: TakeSlotOptions): Promise<number | null> {
  const { scope, capacity, holder, extra } = opts;
  for (let round = 0; round < 3; round += 1) {
    const rows = await model.find({ scope }, { slot: 1, holder: 1 }).lean<Array<{ slot: number; holder: string }>>();
    const mine = rows.find((r) => r.holder === holder);
    if (mine) return mine.slot;
    const taken = new Set(rows.map((r) => r.slot));
    const free: number[] = [];
    for (let slot = 0; slot < capacity; slot += 1) if (!taken.has(slot)) free.push(slot);
    if (!free.length) return null;
    // Racers start at different free slots, so most succeed on their first insert.
    const offset = Math.floor(Math.random() * free.length);
    for (let i = 0; i < free.length; i += 1) {
      const slot = free[(offset + i) % free.length];
      try {
        await model.create({ ...extra, scope, slot, holder });
        return slot;
      } catch (err) {
        if (!isDuplicateKey(err)) throw err;
        // The holder's own racing call may have taken one meanwhile (unique (scope, holder)).
        const held = await model.findOne({ scope, holder }, { slot: 1 }).lean<{ slot: number }>();
        if (held) return held.slot;
      }
    }
  }
  return null;
}

/** Gives the holder's slot in `scope` back; repeating it is harmless. */
export async function releaseSlot(model: Model<any>, opts: { scope: string; holder: string }): Promise<void> {
  await model.deleteOne({ scope: opts.scope, holder: opts.holder });
}

/** The index definitions a slot model needs: declare both on its schema. */
export const SLOT_INDEXES: Array<[Record<string, 1>, { unique: true }]> = [
  [{ scope: 1, slot: 1 }, { unique: true }],
  [{ scope: 1, holder: 1 }, { unique: true }],
];
