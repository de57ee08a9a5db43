import { isAdmin } from '../../../shared/platform/auth';
import { conflict, forbidden, notFound, unauthenticated } from '../../../shared/platform/errors';
import * as validate from '../../../shared/subgraph/validate';
import { Types } from 'mongoose';
import { BOOKING_RULES, bookingStatus, checkArrival, dailyBookingScope, entryWindow, isLateCancellation } from '../domain/booking-rules';
import { requireTransition } from '../domain/reservation-status';
import { publishAvailability } from '../events';
import type { LotRecord, ReservationRecord } from '../models';
import { giveSpaceBack, takeSpace } from './capacity';
import { claimTransition } from './transitions';
import { createIdempotent, isDuplicateKey, keyStoredMeanwhile, releaseSlot, takeSlot } from '../../../shared/subgraph';
import type { ParkingService } from './deps';
import { findBookingHistory } from './history';

export interface ReserveInput {
  /** The signed-in resident, once the registry knows them. */
  residentId: string;
  lotId: unknown;
  plate: unknown;
  arriveAt: unknown;
  idempotencyKey?: unknown;
}

/**
 * Books a space for a resident. Order matters: every input and rule is checked before the space
 * is taken, and once taken it is given back if the booking cannot be written.
 */
export async function reserveParking(ctx: ParkingService, input: ReserveInput): Promise<ReservationRecord> {
  const { models } = ctx;
  const { residentId } = input;
  const now = ctx.clock();
  const lotId = validate.code('lotId', input.lotId);
  const plate = validate.plate('plate', input.plate);
  const arriveAt = validate.dateTime('arriveAt', input.arriveAt);
  const key = validate.idempotencyKey('idempotencyKey', input.idempotencyKey);
  const scopeOf = (k: string) => `${residentId}|${k}`;
  const firstAttempt = (k: string) => models.Reservation.findOne({ idempotencyScope: scopeOf(k) }).lean<ReservationRecord>();
  // A retry returns the first booking; the same key with another lot, plate or time is refused.
  return createIdempotent<ReservationRecord>({
    key,
    input: { lotId, plate, arriveAt },
    find: firstAttempt,
    create: (fingerprint) => book(ctx, { residentId, lotId, plate, arriveAt, key, fingerprint }, now),
  });
}

interface Booking {
  residentId: string;
  lotId: string;
  plate: string;
  arriveAt: Date;
  key: string | undefined;
  fingerprint: string | null;
}

async function book(ctx: ParkingService, input: Booking, now: Date): Promise<ReservationRecord> {
  const { models, pubsub } = ctx;
  const { residentId, lotId, plate, arriveAt, key, fingerprint } = input;
  const idempotencyScope = key ? `${residentId}|${key}` : undefined;
  const landedMeanwhile = async () => !!idempotencyScope && !!(await models.Reservation.exists({ idempotencyScope }));
  const lot = await models.Lot.findById(lotId).lean<LotRecord>();
  if (!lot) throw notFound('ParkingLot', lotId);
  const occ = checkArrival(lot.windows, arriveAt, now);

  const [history, vehicle, active] = await Promise.all([
    findBookingHistory(models, [residentId], now),
    models.Vehicle.findOne({ plate }, { residentId: 1 }).lean(),
    models.Reservation.exists({ activePlate: plate }),
  ]);
  const standing = bookingStatus(history, now);
  if (standing.blocked) throw forbidden(standing.blockedReason!);
  if (vehicle && vehicle.residentId !== residentId) throw forbidden(`${plate} is registered to another resident`);
  if (standing.bookingsLeftToday === 0 || active) {
    if (await landedMeanwhile()) throw keyStoredMeanwhile();
    throw standing.bookingsLeftToday === 0 ? dailyLimit(standing.bookingsToday) : activePlate(plate);
  }

  // Each booking takes one of the resident's slots of the day (kit takeSlot) before anything else
  // is held: the unique slot index, not the count read above, keeps the limit when taps race, and
  // racers beyond it never hold a space of the lot meanwhile.
  const _id = new Types.ObjectId();
  const dayScope = dailyBookingScope(residentId, now);
  const daySlot = await takeSlot(models.LimitSlot, { scope: dayScope, capacity: BOOKING_RULES.maxBookingsPerDay, holder: String(_id), extra: { createdAt: now } });
  if (daySlot === null) {
    if (await landedMeanwhile()) throw keyStoredMeanwhile();
    throw dailyLimit(BOOKING_RULES.maxBookingsPerDay);
  }
  const releaseDay = () => releaseSlot(models.LimitSlot, { scope: dayScope, holder: String(_id) });
  const spaceId = await takeSpace(models, lot, occ, now);
  if (!spaceId) {
    await releaseDay();
    throw conflict(`${lot.name} has no free space left in that window`, { lotId });
  }
  const giveBack = async () => {
    await giveSpaceBack(models, spaceId);
    await releaseDay();
  };

  const window = entryWindow(arriveAt);
  const base = {
    lotId,
    residentId,
    plate,
    walkIn: false,
    status: 'CONFIRMED' as const,
    arriveAt,
    entryWindowStart: window.start,
    entryWindowEnd: window.end,
    mustLeaveBy: occ.mustLeaveBy,
    windowId: occ.windowId,
    spaceId,
    lateCancellation: false,
    activePlate: plate,
    createdAt: now,
    updatedAt: now,
    ...(key ? { idempotencyKey: key, idempotencyScope, idempotencyFingerprint: fingerprint ?? undefined } : {}),
  };
  try {
    const created = await models.Reservation.create({ _id, ...base });
    await publishAvailability(pubsub, lot);
    return created.toObject() as ReservationRecord;
  } catch (err) {
    await giveBack();
    if (!isDuplicateKey(err)) throw err;
    // Which rule refused it decides the answer: a retry (createIdempotent answers it) or a plate in use.
    if (await landedMeanwhile()) throw keyStoredMeanwhile();
    if (await models.Reservation.exists({ activePlate: plate })) throw activePlate(plate);
    throw err;
  }
}

function dailyLimit(made: number) {
  return forbidden(`At most ${BOOKING_RULES.maxBookingsPerDay} parking bookings a day; you have made ${made} today`);
}

function activePlate(plate: string) {
  return conflict(`${plate} already has an active parking reservation`);
}

/**
 * Cancels a CONFIRMED booking (its resident or an admin) and gives its space back. Inside the
 * entry window it is a late cancellation; once the window has ended it is a no-show, not cancellable.
 */
export async function cancelReservation(ctx: ParkingService, input: { id: unknown }): Promise<ReservationRecord> {
  const { models, pubsub, viewer } = ctx;
  const { id } = input;
  const now = ctx.clock();
  if (viewer.role === 'anonymous') throw unauthenticated();
  const _id = validate.objectId('id', id);
  const booking = await models.Reservation.findById(_id).lean<ReservationRecord>();
  if (!booking) throw notFound('ParkingReservation', String(id));
  if (!isAdmin(viewer) && !(viewer.role === 'resident' && viewer.residentId === booking.residentId)) {
    throw forbidden('Only the resident who booked it or an admin can cancel this reservation');
  }
  requireTransition(booking.status, 'cancel');
  if (booking.entryWindowEnd && now.getTime() >= booking.entryWindowEnd.getTime()) {
    throw conflict('The entry window has ended: this booking is a no-show and can no longer be cancelled', { status: 'NO_SHOW' });
  }
  const late = booking.entryWindowStart ? isLateCancellation(booking.entryWindowStart, now) : false;
  if (!(await claimTransition(models, _id, 'CONFIRMED', 'cancel', now))) {
    throw conflict('The reservation was entered, expired or cancelled at the same moment', { status: booking.status });
  }
  const cancelled = await models.Reservation.findOneAndUpdate(
    { _id },
    { $set: { status: 'CANCELLED', cancelledAt: now, lateCancellation: late, updatedAt: now }, $unset: { activePlate: 1 } },
    { returnDocument: 'after' },
  ).lean<ReservationRecord>();
  await giveSpaceBack(models, booking.spaceId);
  const lot = await models.Lot.findById(booking.lotId).lean<LotRecord>();
  if (lot) await publishAvailability(pubsub, lot);
  return cancelled!;
}
