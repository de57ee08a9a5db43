import { requireArea } from '../../../shared/subgraph/access';
import { Types } from 'mongoose';
import type { Viewer } from '../../../shared/platform/auth';
import { badInput, conflict, notFound } from '../../../shared/platform/errors';
import type { PubSub } from '../../../shared/platform/pubsub';
import { localDateString } from '../../../shared/subgraph/time';
import { assertCanAccessStay, assertDeskStaff } from '../domain/access';
import type { ApplyInput } from '../domain/apply-input';
import { nightsOf } from '../domain/dates';
import { allowanceProblem } from '../domain/eligibility';
import { HOSTEL_RULES } from '../domain/rules';
import { checkOutDateOf, transition } from '../domain/stay';
import { publishAvailability, touchesTonight } from '../events';
import type { Models } from '../models';
import type { HostelDoc, HostelStayDoc } from '../models/types';
import { isDuplicateKey } from '../../../shared/subgraph';
import { allocateBed, releaseNights } from './beds';
import { claimActiveSlot, releaseIfOrphaned, nightsCountedFor, releaseActiveSlot } from './slots';
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
  if (hostel.closedAt) throw conflict(`${hostel.name} is closed and takes no applications`, { field: 'input.hostelId', hostelId: hostel._id });

  const stayId = new Types.ObjectId();
  for (let attempt = 1; !(await claimActiveSlot(models, residentId, stayId, now, input.idempotencyKey)); attempt += 1) {
    const first = await byKey();
    if (first) return first;
    const settled = await awaitSlotHolder(models, residentId, input.idempotencyKey, byKey, now);
    if (settled.kind === 'landed') return settled.stay;
    if (settled.kind === 'held' || attempt >= 3) {
      throw conflict('You already have a reserved or current stay: one stay at a time', settled.kind === 'held' ? { stayId: settled.stayId } : {});
    }
    // 'free': the holder gave the slot back (its application failed) or it was orphaned: claim again.
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

/** How long a retry waits for its own first attempt (same idempotency key) to land or let go. */
const OWN_ATTEMPT_WAIT_MS = 15_000;

type SlotOutcome = { kind: 'landed'; stay: HostelStayDoc } | { kind: 'held'; stayId?: string } | { kind: 'free' };

/**
 * The slot is taken. By another stay of the resident's: `held`. By this very application's first
 * attempt (a retry with the same key that overtook it, e.g. after a client timeout): wait until
 * that attempt has written its stay (`landed`, the answer to the retry) or given the slot back
 * (`free`), instead of refusing the retry with a CONFLICT about its own application.
 */
async function awaitSlotHolder(
  models: Models,
  residentId: string,
  idempotencyKey: string | undefined,
  byKey: () => Promise<HostelStayDoc | null> | null,
  now: Date,
): Promise<SlotOutcome> {
  const deadline = Date.now() + OWN_ATTEMPT_WAIT_MS;
  for (;;) {
    const slot = await models.ActiveSlot.findById(residentId).lean();
    if (!slot) return { kind: 'free' };
    if (await releaseIfOrphaned(models, slot, now)) return { kind: 'free' };
    const own = idempotencyKey !== undefined && slot.idempotencyKey === idempotencyKey;
    if (!own || Date.now() > deadline) return { kind: 'held', stayId: slot.stayId.toHexString() };
    await new Promise((r) => setTimeout(r, 100));
    const landed = await byKey();
    if (landed) return { kind: 'landed', stay: landed };
  }
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
export async function checkInStay(
  deps: StayDeps,
  viewer: Viewer,
  id: Types.ObjectId,
  idVerified: boolean,
  confirmResident?: (residentId: string) => Promise<void>,
): Promise<HostelStayDoc> {
  const { stay, hostel } = await loadStay(deps.models, id);
  assertDeskStaff(viewer, hostel.operatorId);
  if (viewer.role === 'staff') requireArea(viewer, hostel, 'id');
  if (idVerified !== true) throw badInput('idVerified', 'the real-name identity check at the desk must pass before check-in');
  // Asked again at the desk: a stay held before the registry rules, or a registration withdrawn since.
  await confirmResident?.(stay.residentId);
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
