import type { Types } from 'mongoose';
import { claimOnce } from '../../../shared/subgraph';
import { conflict } from '../../../shared/platform/errors';
import type { Models } from '../models';

/** A volunteer's time is claimed in quarter hours: two shifts that share one overlap. */
export const TIME_SLOT_MINUTES = 15;
const SLOT_MS = TIME_SLOT_MINUTES * 60_000;

/** The quarter hours a shift touches, in time order (its end is exclusive). */
export function timeSlots(shift: { startsAt: Date; endsAt: Date }): Date[] {
  const slots: Date[] = [];
  for (let t = Math.floor(shift.startsAt.getTime() / SLOT_MS) * SLOT_MS; t < shift.endsAt.getTime(); t += SLOT_MS) slots.push(new Date(t));
  return slots;
}

export interface TimeClaimRequest {
  residentId: string;
  signUpId: Types.ObjectId;
  shift: { _id: Types.ObjectId; startsAt: Date; endsAt: Date };
  idempotencyKey: string;
}

/** What stopped a claim: another of the volunteer's sign-ups holding part of the time. */
export interface TimeClash {
  signUpId: Types.ObjectId;
  shiftId: Types.ObjectId;
  idempotencyKey: string;
}

/**
 * Claims the volunteer's time for a sign-up, quarter by quarter in time order (kit `claimOnce`).
 * Racing sign-ups for overlapping shifts try their shared quarters in the same order, so the first
 * shared one decides between them; the loser gives back what it took and learns who holds it.
 * A loser whose blocker gave up meanwhile (it lost elsewhere) tries again, so a burst of
 * overlapping sign-ups ends with one holder rather than none.
 *
 * @returns null when the time is held by this sign-up, else the clash
 */
export async function claimTime(models: Models, req: TimeClaimRequest): Promise<TimeClash | null> {
  for (let round = 0; round < 5; round += 1) {
    let blockedAt: Date | null = null;
    for (const slot of timeSlots(req.shift)) {
      const took = await claimOnce(models.TimeClaim, {
        residentId: req.residentId,
        slot,
        signUpId: req.signUpId,
        shiftId: req.shift._id,
        idempotencyKey: req.idempotencyKey,
      });
      if (took) continue;
      const holder = await models.TimeClaim.findOne({ residentId: req.residentId, slot }).lean();
      if (holder && holder.signUpId.equals(req.signUpId)) continue;
      blockedAt = slot;
      break;
    }
    if (!blockedAt) return null;
    await releaseTime(models, req.signUpId);
    const holder = await models.TimeClaim.findOne({ residentId: req.residentId, slot: blockedAt }).lean();
    if (holder) return { signUpId: holder.signUpId, shiftId: holder.shiftId, idempotencyKey: holder.idempotencyKey };
    await new Promise((resolve) => setTimeout(resolve, 5 + Math.random() * 20));
  }
  throw conflict('Too many sign-ups for overlapping shifts at once; try again', { field: 'shiftId' });
}

/** Gives a sign-up's time back (cancelled, or its sign-up failed); repeating it is harmless. */
export async function releaseTime(models: Models, signUpId: Types.ObjectId): Promise<void> {
  await models.TimeClaim.deleteMany({ signUpId });
}
