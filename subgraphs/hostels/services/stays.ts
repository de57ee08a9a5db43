import { requireArea } from '../../../shared/subgraph/access';
import { Types } from 'mongoose';
import { badInput, conflict, notFound } from '../../../shared/platform/errors';
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
import { createIdempotent, keyStoredMeanwhile, type ServiceContext } from '../../../shared/subgraph';
import { allocateBed, releaseNights } from './beds';
import { activeStayScope, claimActiveSlot, releaseIfOrphaned, nightsCountedFor, releaseActiveSlot } from './slots';
import { takeStep } from './transitions';

/** What every hostels service gets: the kit's one service context, with this subgraph's models. */
export type HostelsService = ServiceContext<Models>;

/** An application that passed `parseApplyInput`, for the signed-in (registered, verified) resident. */
export interface StayApplication extends ApplyInput {
  residentId: string;
}

/**
 * Books a bed for a resident. A retry with the same idempotency key returns the first stay, the
 * same key with other input is IDEMPOTENCY_KEY_REUSED (the kit's createIdempotent). Without
 * transactions the order matters: the resident's single active slot is claimed first (so the
 * allowance read next cannot change under us), then a bed, then the stay is written; each failure
 * gives back what the earlier steps took, so a refused application leaves nothing behind.
 */
export async function applyForStay(ctx: HostelsService, input: StayApplication): Promise<HostelStayDoc> {
  const { residentId, idempotencyKey, ...asked } = input;
  return createIdempotent<HostelStayDoc>({
    key: idempotencyKey,
    input: asked,
    field: 'input.idempotencyKey',
    find: (key) => ctx.models.Stay.findOne({ residentId, idempotencyKey: key }).lean<HostelStayDoc>(),
    create: (fingerprint) => createStay(ctx, input, fingerprint),
  });
}

async function createStay(ctx: HostelsService, input: StayApplication, fingerprint: string | null): Promise<HostelStayDoc> {
  const { models, pubsub } = ctx;
  const now = ctx.clock();
  const { residentId, idempotencyKey } = input;
  const byKey = () => (idempotencyKey ? models.Stay.exists({ residentId, idempotencyKey }) : null);

  const hostel = await models.Hostel.findById(input.hostelId).lean();
  if (!hostel) throw notFound('Hostel', input.hostelId);
  if (hostel.closedAt) throw conflict(`${hostel.name} is closed and takes no applications`, { field: 'input.hostelId', hostelId: hostel._id });

  const stayId = new Types.ObjectId();
  for (let attempt = 1; !(await claimActiveSlot(models, residentId, stayId, now, idempotencyKey)); attempt += 1) {
    // The slot may be this very application's first attempt (a retry that overtook it).
    if (await byKey()) throw keyStoredMeanwhile();
    const settled = await awaitSlotHolder(models, residentId, idempotencyKey, byKey, now);
    if (settled.kind === 'landed') throw keyStoredMeanwhile();
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
      // The unique (residentId, idempotencyKey) index cannot be partial on FerretDB, so a stay
      // without a client key stores one of its own that no client can send.
      idempotencyKey: idempotencyKey ?? `stay:${stayId.toHexString()}`,
      ...(fingerprint ? { idempotencyFingerprint: fingerprint } : {}),
      createdAt: now,
    });
    stay = created.toObject() as HostelStayDoc;
  } catch (err) {
    await releaseNights(models, stayId);
    await releaseActiveSlot(models, residentId, stayId);
    // A duplicate on the key is createIdempotent's to answer (the first stay, or KEY_REUSED).
    throw err;
  }
  if (touchesTonight(stay, now)) await publishAvailability(models, pubsub, hostel._id, now);
  return stay;
}

/** How long a retry waits for its own first attempt (same idempotency key) to land or let go. */
const OWN_ATTEMPT_WAIT_MS = 15_000;

type SlotOutcome = { kind: 'landed' } | { kind: 'held'; stayId?: string } | { kind: 'free' };

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
  byKey: () => Promise<unknown> | null,
  now: Date,
): Promise<SlotOutcome> {
  const deadline = Date.now() + OWN_ATTEMPT_WAIT_MS;
  for (;;) {
    const slot = await models.ActiveSlot.findOne({ scope: activeStayScope(residentId) }).lean();
    if (!slot) return { kind: 'free' };
    if (await releaseIfOrphaned(models, slot, now)) return { kind: 'free' };
    const own = idempotencyKey !== undefined && slot.idempotencyKey === idempotencyKey;
    if (!own || Date.now() > deadline) return { kind: 'held', stayId: slot.stayId.toHexString() };
    await new Promise((r) => setTimeout(r, 100));
    if (await byKey()) return { kind: 'landed' };
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
async function endStay(ctx: HostelsService, stay: HostelStayDoc, now: Date, fromNight?: string): Promise<void> {
  await releaseNights(ctx.models, stay._id, fromNight);
  await releaseActiveSlot(ctx.models, stay.residentId, stay._id);
  if (touchesTonight(stay, now)) await publishAvailability(ctx.models, ctx.pubsub, stay.hostelId, now);
}

/** The resident (or the operator's staff, or an admin) cancels before the end of the check-in day. */
export async function cancelStay(ctx: HostelsService, input: { id: Types.ObjectId }): Promise<HostelStayDoc> {
  const { viewer } = ctx;
  const now = ctx.clock();
  const { stay, hostel } = await loadStay(ctx.models, input.id);
  assertCanAccessStay(viewer, stay, hostel.operatorId);
  transition(stay.status, 'cancel');
  if (localDateString(now) > stay.checkInDate) {
    throw conflict(`The check-in day ${stay.checkInDate} is over: the stay is a no-show, not a cancellation`);
  }
  const updated = await takeStep(ctx.models, stay, 'cancel', viewer.subject ?? viewer.role, now, { cancelledAt: now });
  await endStay(ctx, stay, now);
  return updated!;
}

export interface CheckInInput {
  id: Types.ObjectId;
  /** The desk's real-name check of the guest's ID card; must be true. */
  idVerified: boolean;
  /** Asks the registry again whether the stay's resident is registered and verified. */
  confirmResident?: (residentId: string) => Promise<void>;
}

/** The operator's desk checks the guest in on the check-in day, after the real-name check. */
export async function checkInStay(ctx: HostelsService, input: CheckInInput): Promise<HostelStayDoc> {
  const { viewer } = ctx;
  const now = ctx.clock();
  const { stay, hostel } = await loadStay(ctx.models, input.id);
  assertDeskStaff(viewer, hostel.operatorId);
  if (viewer.role === 'staff') requireArea(viewer, hostel, 'id');
  if (input.idVerified !== true) throw badInput('idVerified', 'the real-name identity check at the desk must pass before check-in');
  // Asked again at the desk: a stay held before the registry rules, or a registration withdrawn since.
  await input.confirmResident?.(stay.residentId);
  transition(stay.status, 'checkIn');
  const today = localDateString(now);
  if (today !== stay.checkInDate) {
    throw conflict(`Check-in is on ${stay.checkInDate} only (today is ${today})`, { checkInDate: stay.checkInDate });
  }
  return (await takeStep(ctx.models, stay, 'checkIn', viewer.subject ?? viewer.role, now, { checkedInAt: now }))!;
}

/**
 * The guest leaves. Nights from today on go back to the pool; the allowance then counts only the
 * nights actually stayed (domain/stay.ts countedNights).
 */
export async function checkOutStay(ctx: HostelsService, input: { id: Types.ObjectId }): Promise<HostelStayDoc> {
  const { viewer } = ctx;
  const now = ctx.clock();
  const { stay, hostel } = await loadStay(ctx.models, input.id);
  assertCanAccessStay(viewer, stay, hostel.operatorId);
  const updated = await takeStep(ctx.models, stay, 'checkOut', viewer.subject ?? viewer.role, now, { checkedOutAt: now });
  await endStay(ctx, stay, now, localDateString(now));
  return updated!;
}
