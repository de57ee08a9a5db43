import { Types } from 'mongoose';
import { HOLDS_PLACE } from '../domain/sign-up-status';
import type { Models, ShiftDoc, SignUpDoc } from '../models';
import { loadSignUp, transition } from './transitions';
import { isDuplicateKey } from '../../../shared/subgraph';

/**
 * A shift's places and waitlist. A place is a document numbered 0..capacity-1 with a unique
 * `{ shiftId, place }` and a unique `signUpId`, so capacity holds under any concurrency; the
 * waitlist is the shift's WAITLISTED sign-ups ordered by ticket.
 */

type ShiftRef = Pick<ShiftDoc, '_id' | 'activityId' | 'capacity'>;
const ATTEMPTS = 3;

/** Takes a free place of the shift for the sign-up; false when all are taken. Idempotent per sign-up. */
export async function claimPlace(models: Models, shift: ShiftRef, signUpId: Types.ObjectId): Promise<boolean> {
  for (let attempt = 0; attempt < ATTEMPTS; attempt += 1) {
    const taken = await models.Place.find({ shiftId: shift._id }, { place: 1, signUpId: 1 }).lean();
    if (taken.some((p) => p.signUpId.equals(signUpId))) return true;
    const used = new Set(taken.map((p) => p.place));
    const free = Array.from({ length: shift.capacity }, (_, n) => n).filter((n) => !used.has(n));
    if (free.length === 0) return false;
    for (const place of free) {
      try {
        await models.Place.create({ shiftId: shift._id, activityId: shift.activityId, place, signUpId });
        return true;
      } catch (err) {
        if (!isDuplicateKey(err)) throw err;
        // Someone took that number, or this sign-up got a place from another caller meanwhile.
        if (await models.Place.exists({ signUpId })) return true;
      }
    }
  }
  return false;
}

export async function releasePlace(models: Models, signUpId: Types.ObjectId): Promise<void> {
  await models.Place.deleteOne({ signUpId });
}

const firstWaiting = (models: Models, shiftId: Types.ObjectId) =>
  models.SignUp.findOne({ shiftId, status: 'WAITLISTED' }).sort({ waitlistTicket: 1, _id: 1 }).lean<SignUpDoc>();

/** Confirms a waitlisted sign-up that now holds a place; gives the place back if it left the line meanwhile. */
async function promote(models: Models, waiting: SignUpDoc, now: Date): Promise<void> {
  try {
    await transition(models, waiting, 'CONFIRMED', 'promote', { waitlistTicket: null, promotedAt: now }, now, 'waitlist');
  } catch {
    const current = await loadSignUp(models, waiting._id);
    if (!HOLDS_PLACE.has(current.status)) await releasePlace(models, waiting._id);
  }
}

/**
 * Gives free places to waitlisted sign-ups in ticket order until places or the waitlist run out.
 * Called after anything that may leave a place free while someone waits (a cancellation, a
 * sign-up that was waitlisted while a place was being given back).
 */
export async function fillFromWaitlist(models: Models, shift: ShiftRef, now: Date): Promise<void> {
  const tried = new Set<string>();
  for (;;) {
    const waiting = await firstWaiting(models, shift._id);
    if (!waiting || tried.has(String(waiting._id))) return;
    tried.add(String(waiting._id));
    if (!(await claimPlace(models, shift, waiting._id))) return;
    await promote(models, waiting, now);
  }
}

/**
 * Passes the place of a sign-up that left straight to the first in line (the place document
 * changes holder, so it is never seen free while someone waits); with nobody waiting it is freed.
 */
export async function handOverPlace(models: Models, shift: ShiftRef, fromSignUpId: Types.ObjectId, now: Date): Promise<void> {
  const waiting = await firstWaiting(models, shift._id);
  let handed = false;
  if (waiting) {
    try {
      handed = (await models.Place.updateOne({ signUpId: fromSignUpId }, { $set: { signUpId: waiting._id } })).modifiedCount === 1;
    } catch (err) {
      if (!isDuplicateKey(err)) throw err; // the first in line got a place from someone else meanwhile
    }
  }
  if (handed) await promote(models, waiting!, now);
  else await releasePlace(models, fromSignUpId);
  await fillFromWaitlist(models, shift, now);
}
