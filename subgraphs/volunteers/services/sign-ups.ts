import { Types } from 'mongoose';
import { KeyedLock } from '../../../shared/subgraph/keyed-lock';
import type { Viewer } from '../../../shared/platform/auth';
import { conflict, forbidden, notFound, unauthenticated } from '../../../shared/platform/errors';
import { isOrganiser } from '../domain/access';
import {
  CHECK_IN_EARLY_MINUTES,
  CHECK_OUT_GRACE_MINUTES,
  isBeforeStart,
  isCheckInOpen,
  recordedHours,
  shiftHours,
  volunteerCheckOutDeadline,
} from '../domain/shift-windows';
import { assertTransition, HOLDS_PLACE } from '../domain/sign-up-status';
import { roundHours } from '../domain/stars';
import { badInput } from '../../../shared/platform/errors';
import type { VolunteerSignUpStatus } from '../generated/graphql';
import type { ActivityDoc, Models, ShiftDoc, SignUpDoc } from '../models';
import { claimPlace, fillFromWaitlist, handOverPlace, releasePlace } from './places';
import { creditVerified } from './hours';
import { claimTime, releaseTime } from './time-claims';
import { loadSignUp, transition } from './transitions';
import { isDuplicateKey } from '../../../shared/subgraph';
import type { VolunteersService } from './deps';

/** Times of the sign-up's shift, from the copy on the sign-up. */
const shiftOf = (s: SignUpDoc) => ({ startsAt: s.shiftStartsAt, endsAt: s.shiftEndsAt });

/** Who is acting on a sign-up: the volunteer themselves or an organiser of the activity. */
function actorOn(viewer: Viewer, signUp: SignUpDoc): 'volunteer' | 'organiser' {
  if (viewer.role === 'anonymous') throw unauthenticated();
  if (viewer.role === 'resident' && viewer.residentId === signUp.residentId) return 'volunteer';
  if (isOrganiser(viewer, signUp)) return 'organiser';
  throw forbidden('Only the volunteer or an organiser of the activity can do this');
}

export interface SignUpRequest {
  residentId: string;
  shiftId: Types.ObjectId;
  idempotencyKey?: string;
}

/**
 * Signs a registered volunteer up for a shift: CONFIRMED while a place is left (a uniquely
 * numbered place document), else WAITLISTED with a ticket giving its turn. One sign-up per resident per shift (a
 * unique index); after a cancellation the same sign-up is reopened. The same idempotency key
 * returns the first sign-up.
 */
/** A shift's places and waitlist change one operation at a time in this process (see KeyedLock). */
const shiftLock = new KeyedLock();

export function signUpForShift(ctx: VolunteersService, req: SignUpRequest): Promise<SignUpDoc> {
  const now = ctx.clock();
  return shiftLock.run(String(req.shiftId), () => signUpForShiftNow(ctx.models, req, now));
}

async function signUpForShiftNow(models: Models, req: SignUpRequest, now: Date): Promise<SignUpDoc> {
  const { residentId, shiftId, idempotencyKey } = req;
  if (idempotencyKey) {
    const first = await models.SignUp.findOne({ residentId, idempotencyKey }).lean<SignUpDoc>();
    if (first) return first;
  }
  const shift = await models.Shift.findById(shiftId).lean<ShiftDoc>();
  const activity = shift && (await models.Activity.findById(shift.activityId).lean<ActivityDoc>());
  if (!shift || !activity) throw notFound('VolunteerShift', String(shiftId));
  if (!isBeforeStart(shift, now)) throw conflict('Sign-ups for this shift closed when it started');
  if (!(await models.Profile.exists({ _id: residentId }))) {
    throw conflict('Register as a volunteer first (registerVolunteer)');
  }
  const existing = await models.SignUp.findOne({ shiftId, residentId }).lean<SignUpDoc>();
  // A retry whose first attempt landed after the key lookup above gets that first sign-up.
  if (existing && idempotencyKey && existing.idempotencyKey === idempotencyKey) return existing;
  if (existing && existing.status !== 'CANCELLED') {
    throw conflict('You have already signed up for this shift', { signUpId: String(existing._id), status: existing.status });
  }

  const signUpId = existing?._id ?? new Types.ObjectId();
  // One volunteer, one shift at a time: the sign-up holds the volunteer's time before a place.
  const key = existing?.idempotencyKey ?? idempotencyKey ?? `auto:${signUpId}`;
  const clash = await claimTime(models, { residentId, signUpId, shift, idempotencyKey: key });
  if (clash) {
    if (idempotencyKey && clash.idempotencyKey === idempotencyKey) return waitForFirst(models, residentId, idempotencyKey);
    if (clash.shiftId.equals(shiftId)) throw conflict('You have already signed up for this shift', { signUpId: String(clash.signUpId) });
    throw conflict('You have signed up for another shift at the same time', { field: 'shiftId', signUpId: String(clash.signUpId), shiftId: String(clash.shiftId) });
  }
  let placed: boolean;
  try {
    placed = await claimPlace(models, shift, signUpId);
  } catch (err) {
    await releaseTime(models, signUpId);
    throw err;
  }
  const status: VolunteerSignUpStatus = placed ? 'CONFIRMED' : 'WAITLISTED';
  const waitlistTicket = placed ? null : new Types.ObjectId();
  let saved: SignUpDoc;
  try {
    if (existing) {
      // A reopened sign-up keeps the idempotency key it was first made with.
      saved = await transition(models, existing, status, 'sign up again with', { waitlistTicket, signedUpAt: now, cancelledAt: null }, now, residentId);
    } else {
      const doc = await models.SignUp.create({
        _id: signUpId,
        shiftId,
        activityId: activity._id,
        residentId,
        communityCode: activity.communityCode,
        organiserId: activity.organiserId,
        teamId: activity.teamId,
        shiftStartsAt: shift.startsAt,
        shiftEndsAt: shift.endsAt,
        status,
        waitlistTicket,
        version: 0,
        idempotencyKey: idempotencyKey ?? `auto:${signUpId}`,
        signedUpAt: now,
      });
      saved = doc.toObject() as SignUpDoc;
    }
  } catch (err) {
    if (!existing) await releaseTime(models, signUpId);
    if (placed && !existing) {
      await releasePlace(models, signUpId);
      await fillFromWaitlist(models, shift, now);
    }
    if (!isDuplicateKey(err)) throw err;
    // FerretDB does not say which unique index refused the write, so look at the key first.
    if (idempotencyKey) {
      const first = await models.SignUp.findOne({ residentId, idempotencyKey }).lean<SignUpDoc>();
      if (first) return first;
    }
    throw conflict('You have already signed up for this shift');
  }
  if (status === 'WAITLISTED') {
    // A place given back between our failed claim and our insert would otherwise stay free.
    await fillFromWaitlist(models, shift, now);
    return loadSignUp(models, saved._id);
  }
  return saved;
}

/**
 * Withdraws a sign-up before its shift starts (the volunteer or an organiser). A confirmed place
 * goes straight to the first waitlisted sign-up.
 */
export async function cancelSignUp(ctx: VolunteersService, { id }: { id: Types.ObjectId }): Promise<SignUpDoc> {
  const { models, viewer } = ctx;
  const now = ctx.clock();
  const signUp = await loadSignUp(models, id);
  actorOn(viewer, signUp);
  assertTransition(signUp.status, 'CANCELLED', 'cancel');
  if (!isBeforeStart(shiftOf(signUp), now)) throw conflict('A sign-up cannot be cancelled once its shift has started');
  const cancelled = await transition(models, signUp, 'CANCELLED', 'cancel', { cancelledAt: now, waitlistTicket: null }, now, viewer.subject ?? viewer.role);
  await releaseTime(models, signUp._id);
  if (HOLDS_PLACE.has(signUp.status)) {
    await shiftLock.run(String(signUp.shiftId), async () => {
      const shift = await models.Shift.findById(signUp.shiftId).lean<ShiftDoc>();
      if (shift) await handOverPlace(models, shift, signUp._id, now);
      else await releasePlace(models, signUp._id);
    });
  }
  return cancelled;
}

/** Checks a confirmed volunteer in, from 30 minutes before the shift until it ends. */
export async function checkIn(ctx: VolunteersService, { signUpId }: { signUpId: Types.ObjectId }): Promise<SignUpDoc> {
  const { models, viewer } = ctx;
  const now = ctx.clock();
  const signUp = await loadSignUp(models, signUpId);
  actorOn(viewer, signUp);
  assertTransition(signUp.status, 'CHECKED_IN', 'check in');
  if (!isCheckInOpen(shiftOf(signUp), now)) {
    throw conflict(`Check-in opens ${CHECK_IN_EARLY_MINUTES} minutes before the shift starts and closes when it ends`);
  }
  return transition(models, signUp, 'CHECKED_IN', 'check in', { checkedInAt: now }, now, viewer.subject ?? viewer.role);
}

/**
 * Checks a volunteer out and records the hours inside the shift. The volunteer may do it until two
 * hours after the shift ends; an organiser may close a forgotten check-in at any time.
 */
export async function checkOut(ctx: VolunteersService, { signUpId }: { signUpId: Types.ObjectId }): Promise<SignUpDoc> {
  const { models, viewer } = ctx;
  const now = ctx.clock();
  const signUp = await loadSignUp(models, signUpId);
  const actor = actorOn(viewer, signUp);
  assertTransition(signUp.status, 'CHECKED_OUT', 'check out');
  if (actor === 'volunteer' && now > volunteerCheckOutDeadline(shiftOf(signUp))) {
    throw conflict(`Check-out closed ${CHECK_OUT_GRACE_MINUTES / 60} hours after the shift ended; ask the organiser`);
  }
  const hours = recordedHours(shiftOf(signUp), signUp.checkedInAt!, now);
  return transition(models, signUp, 'CHECKED_OUT', 'check out', { checkedOutAt: now, hours }, now, viewer.subject ?? viewer.role);
}

/**
 * An organiser verifies a checked-out sign-up and credits its hours. CHECKED_OUT → VERIFIED is one
 * conditional update, so hours are credited exactly once however many times this is called.
 */
export async function verifyHours(
  ctx: VolunteersService,
  { signUpId, hours }: { signUpId: Types.ObjectId; hours: number | null | undefined },
): Promise<SignUpDoc> {
  const { models, viewer } = ctx;
  const now = ctx.clock();
  if (viewer.role === 'anonymous') throw unauthenticated();
  const signUp = await loadSignUp(models, signUpId);
  if (!isOrganiser(viewer, signUp)) throw forbidden('Only an organiser of the activity can verify hours');
  const longest = shiftHours(shiftOf(signUp));
  if (hours != null && (typeof hours !== 'number' || !Number.isFinite(hours) || hours < 0 || hours > longest)) {
    throw badInput('hours', `must be from 0 to the shift's ${longest} hours`);
  }
  assertTransition(signUp.status, 'VERIFIED', 'verify');
  const recorded = roundHours(signUp.hours ?? 0);
  if (hours != null && roundHours(hours) > recorded) {
    throw badInput(
      'hours',
      `cannot exceed the ${recorded} hours checked in; to credit more, ask for a correction with a reason (requestVolunteerHoursCorrection) for a second organiser to approve`,
    );
  }
  const credited = roundHours(hours ?? recorded);
  const by = viewer.subject ?? viewer.role;
  const verified = await transition(models, signUp, 'VERIFIED', 'verify', { verifiedHours: credited, verifiedAt: now, verifiedBy: by }, now, by);
  // The step is claimed once (transition), so this is the sign-up's one credit line.
  await creditVerified(models, verified, credited, by, now);
  return verified;
}

/**
 * A retry that met its own first attempt's time claim: that attempt writes its sign-up in a
 * moment, and the retry answers with it, as with any repeated idempotency key.
 */
async function waitForFirst(models: Models, residentId: string, idempotencyKey: string): Promise<SignUpDoc> {
  for (let waited = 0; waited < 10_000; waited += 50) {
    const first = await models.SignUp.findOne({ residentId, idempotencyKey }).lean<SignUpDoc>();
    if (first) return first;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw conflict('An earlier sign-up with this idempotency key is still being written; try again', { field: 'idempotencyKey' });
}
