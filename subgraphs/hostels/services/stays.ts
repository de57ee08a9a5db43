import { Types } from 'mongoose';
import type { Viewer } from '../../../shared/auth';
import { badInput, conflict, notFound } from '../../../shared/errors';
import type { PubSub } from '../../../shared/pubsub';
import { localDateString } from '../../../shared/time';
import { assertCanAccessStay, assertDeskStaff } from '../domain/access';
import type { ApplyInput } from '../domain/apply-input';
import { nightsOf } from '../domain/dates';
import { allowanceProblem } from '../domain/eligibility';
import { HOSTEL_RULES } from '../domain/rules';
import { checkOutDateOf, transition } from '../domain/stay';
import { publishAvailability, touchesTonight } from '../events';
import type { Models } from '../models';
import type { HostelDoc, HostelStayDoc } from '../models/types';
import { allocateBed, isDuplicateKey, releaseNights } from './beds';
import { claimActiveSlot, nightsCountedFor, releaseActiveSlot } from './slots';
import { takeStep } from './transitions';

export interface StayDeps {
  models: Models;
  pubsub: PubSub;
  now: Date;
}

/**
 * Books a bed for a resident whose input already passed `parseApplyInput`. Without transactions
 * the order matters: the resident's single active slot is claimed first (so the allowance read
 * next cannot change under us), then a bed, then the stay is written; each failure gives back what
 * the earlier steps took, so a refused application leaves nothing behind.
 */
export async function applyForStay({ models, pubsub, now }: StayDeps, residentId: string, input: ApplyInput): Promise<HostelStayDoc> {
  const byKey = () =>
    input.idempotencyKey ? models.Stay.findOne({ residentId, idempotencyKey: input.idempotencyKey }).lean() : null;
  const repeated = await byKey();
  if (repeated) return repeated;

  const hostel = await models.Hostel.findById(input.hostelId).lean();
  if (!hostel) throw notFound('Hostel', input.hostelId);

  const stayId = new Types.ObjectId();
  if (!(await claimActiveSlot(models, residentId, stayId, now))) {
    // A retry racing its own first attempt finds it here once that one has been written; while
    // the slot's stay is still being written (claimed, not yet stored), wait for it briefly.
    const first = await byKey();
    if (first) return first;
    const slot = await models.ActiveSlot.findById(residentId).lean();
    if (input.idempotencyKey && slot && !(await models.Stay.exists({ _id: slot.stayId }))) {
      for (let i = 0; i < 20; i += 1) {
        await new Promise((r) => setTimeout(r, 100));
        const stored = await models.Stay.exists({ _id: slot.stayId });
        const landed = await byKey();
        if (landed) return landed;
        if (stored) break;
      }
    }
    throw conflict('You already have a reserved or current stay: one stay at a time', { stayId: slot?.stayId.toHexString() });
  }

  let stay: HostelStayDoc | null = null;
  try {
    const used = await nightsCountedFor(models, residentId);
    const allowance = allowanceProblem(used, input.nights);
    if (allowance) {
      throw conflict(`Not enough nights left: ${allowance}`, { nightsRemaining: Math.max(0, HOSTEL_RULES.lifetimeNights - used) });
    }
    const nights = nightsOf(input.checkInDate, input.nights);
    const bedId = await allocateBed(models, { hostelId: hostel._id, stayId, nights, gender: input.gender });
    if (!bedId) throw conflict(`${hostel.name} has no bed free for all of these nights`, { hostelId: hostel._id });
    const created = await models.Stay.create({
      _id: stayId,
      residentId,
      hostelId: hostel._id,
      bedId,
      status: 'RESERVED',
      checkInDate: input.checkInDate,
      checkOutDate: checkOutDateOf(input.checkInDate, input.nights),
      nights: input.nights,
      graduationDate: input.graduationDate,
      school: input.school,
      hongKongMacaoYouth: input.hongKongMacaoYouth,
      idempotencyKey: input.idempotencyKey ?? `stay:${stayId.toHexString()}`,
      createdAt: now,
    });
    stay = created.toObject() as HostelStayDoc;
  } catch (err) {
    await releaseNights(models, stayId);
    await releaseActiveSlot(models, residentId, stayId);
    const first = isDuplicateKey(err) ? await byKey() : null;
    if (first) return first;
    throw err;
  }
  if (touchesTonight(stay, now)) await publishAvailability(models, pubsub, hostel._id, now);
  return stay;
}

async function loadStay(models: Models, id: Types.ObjectId): Promise<{ stay: HostelStayDoc; hostel: HostelDoc }> {
  const stay = await models.Stay.findById(id).lean();
  if (!stay) throw notFound('HostelStay', id.toHexString());
  const hostel = await models.Hostel.findById(stay.hostelId).lean();
  if (!hostel) throw notFound('Hostel', stay.hostelId);
  return { stay, hostel };
}

/** Gives back what an ended stay held from `fromNight` on: its beds and the resident's slot. */
async function endStay({ models, pubsub, now }: StayDeps, stay: HostelStayDoc, fromNight?: string): Promise<void> {
  await releaseNights(models, stay._id, fromNight);
  await releaseActiveSlot(models, stay.residentId, stay._id);
  if (touchesTonight(stay, now)) await publishAvailability(models, pubsub, stay.hostelId, now);
}

/** The resident (or the operator's staff, or an admin) cancels before the end of the check-in day. */
export async function cancelStay(deps: StayDeps, viewer: Viewer, id: Types.ObjectId): Promise<HostelStayDoc> {
  const { stay, hostel } = await loadStay(deps.models, id);
  assertCanAccessStay(viewer, stay, hostel.operatorId);
  transition(stay.status, 'cancel');
  if (localDateString(deps.now) > stay.checkInDate) {
    throw conflict(`The check-in day ${stay.checkInDate} is over: the stay is a no-show, not a cancellation`);
  }
  const updated = await takeStep(deps.models, stay, 'cancel', viewer.subject ?? viewer.role, deps.now, { cancelledAt: deps.now });
  await endStay(deps, stay);
  return updated!;
}

/** The operator's desk checks the guest in on the check-in day, after the real-name check. */
export async function checkInStay(deps: StayDeps, viewer: Viewer, id: Types.ObjectId, idVerified: boolean): Promise<HostelStayDoc> {
  const { stay, hostel } = await loadStay(deps.models, id);
  assertDeskStaff(viewer, hostel.operatorId);
  if (idVerified !== true) throw badInput('idVerified', 'the real-name identity check at the desk must pass before check-in');
  transition(stay.status, 'checkIn');
  const today = localDateString(deps.now);
  if (today !== stay.checkInDate) {
    throw conflict(`Check-in is on ${stay.checkInDate} only (today is ${today})`, { checkInDate: stay.checkInDate });
  }
  return (await takeStep(deps.models, stay, 'checkIn', viewer.subject ?? viewer.role, deps.now, { checkedInAt: deps.now }))!;
}

/**
 * The guest leaves. Nights from today on go back to the pool; the allowance then counts only the
 * nights actually stayed (domain/stay.ts countedNights).
 */
export async function checkOutStay(deps: StayDeps, viewer: Viewer, id: Types.ObjectId): Promise<HostelStayDoc> {
  const { stay, hostel } = await loadStay(deps.models, id);
  assertCanAccessStay(viewer, stay, hostel.operatorId);
  const updated = await takeStep(deps.models, stay, 'checkOut', viewer.subject ?? viewer.role, deps.now, { checkedOutAt: deps.now });
  await endStay(deps, stay, localDateString(deps.now));
  return updated!;
}
