import type { Viewer } from '../../../shared/platform/auth';
import { conflict, notFound } from '../../../shared/platform/errors';
import * as validate from '../../../shared/subgraph/validate';
import { parkingFee } from '../domain/pricing';
import { requireTransition } from '../domain/reservation-status';
import { occurrenceAt } from '../domain/windows';
import { publishAvailability } from '../events';
import type { LotRecord, ReservationRecord } from '../models';
import { requireGateOperator } from './access';
import { giveSpaceBack, takeSpace } from './capacity';
import { claimTransition } from './transitions';
import { isDuplicateKey } from '../../../shared/subgraph';
import type { ParkingService } from './deps';
import { claimNoShow } from './expiry';

export interface GateInput {
  lotId: unknown;
  plate: unknown;
}

async function gateLot(deps: ParkingService, viewer: Viewer, input: GateInput): Promise<{ lot: LotRecord; plate: string }> {
  const lotId = validate.code('lotId', input.lotId);
  const plate = validate.plate('plate', input.plate);
  const lot = await deps.models.Lot.findById(lotId).lean<LotRecord>();
  if (!lot) throw notFound('ParkingLot', lotId);
  requireGateOperator(viewer, lot);
  return { lot, plate };
}

/**
 * The gate camera saw `plate` drive in. A booking whose entry window contains now is checked in
 * (its space was already taken when booked). Otherwise the car is a walk-in and takes a free space
 * of the window open now; CONFLICT when none is open or it is full. A booking whose window has
 * ended is a no-show first (the car may still come in as a walk-in); one whose window has not
 * opened yet is refused, so a car never holds two spaces.
 */
export async function recordEntry(ctx: ParkingService, input: GateInput): Promise<ReservationRecord> {
  const { models, pubsub, viewer } = ctx;
  const now = ctx.clock();
  const { lot, plate } = await gateLot(ctx, viewer, input);
  const booking = await models.Reservation.findOne({ lotId: lot._id, plate, status: { $in: ['CONFIRMED', 'CHECKED_IN'] } }).lean<ReservationRecord>();
  if (booking) {
    requireTransition(booking.status, 'enter');
    if (booking.entryWindowStart && now.getTime() < booking.entryWindowStart.getTime()) {
      throw conflict(`The booking's entry window opens at ${booking.entryWindowStart.toISOString()}`, { entryWindowStart: booking.entryWindowStart.toISOString() });
    }
    if (booking.entryWindowEnd && now.getTime() < booking.entryWindowEnd.getTime()) {
      if (!(await claimTransition(models, booking._id, 'CONFIRMED', 'enter', now))) {
        throw conflict('The booking was cancelled or expired at the same moment');
      }
      const entered = await models.Reservation.findOneAndUpdate(
        { _id: booking._id },
        { $set: { status: 'CHECKED_IN', enteredAt: now, updatedAt: now } },
        { returnDocument: 'after' },
      ).lean<ReservationRecord>();
      return entered!;
    }
    if (await claimNoShow(models, booking, now)) await publishAvailability(pubsub, lot);
  }

  const occ = occurrenceAt(lot.windows, now);
  if (!occ || now.getTime() >= occ.mustLeaveBy.getTime()) throw conflict(`${lot.name} is not sharing spaces now`, { lotId: lot._id });
  const spaceId = await takeSpace(models, lot, occ, now);
  if (!spaceId) throw conflict(`${lot.name} is full`, { lotId: lot._id });
  try {
    const created = await models.Reservation.create({
      lotId: lot._id,
      plate,
      walkIn: true,
      status: 'CHECKED_IN',
      enteredAt: now,
      mustLeaveBy: occ.mustLeaveBy,
      windowId: occ.windowId,
      spaceId,
      lateCancellation: false,
      activePlate: plate,
      createdAt: now,
      updatedAt: now,
    });
    await publishAvailability(pubsub, lot);
    return created.toObject() as ReservationRecord;
  } catch (err) {
    await giveSpaceBack(models, spaceId);
    if (isDuplicateKey(err)) throw conflict(`${plate} already has an active parking reservation or is parked elsewhere`);
    throw err;
  }
}

/** The gate camera saw `plate` drive out: the stay completes, is priced, and its space is free. */
export async function recordExit(ctx: ParkingService, input: GateInput): Promise<ReservationRecord> {
  const { models, pubsub, viewer } = ctx;
  const now = ctx.clock();
  const { lot, plate } = await gateLot(ctx, viewer, input);
  const stay = await models.Reservation.findOne({ lotId: lot._id, plate, status: { $in: ['CONFIRMED', 'CHECKED_IN'] } }).lean<ReservationRecord>();
  if (!stay) throw conflict(`No car with plate ${plate} is parked in ${lot.name}`);
  requireTransition(stay.status, 'exit');
  const fee = parkingFee(lot, stay.enteredAt ?? now, now);
  if (!(await claimTransition(models, stay._id, 'CHECKED_IN', 'exit', now))) throw conflict('The stay was already completed');
  const left = await models.Reservation.findOneAndUpdate(
    { _id: stay._id },
    { $set: { status: 'COMPLETED', exitedAt: now, fee, updatedAt: now }, $unset: { activePlate: 1 } },
    { returnDocument: 'after' },
  ).lean<ReservationRecord>();
  if (!left) throw conflict('The stay was already completed');
  await giveSpaceBack(models, stay.spaceId);
  await publishAvailability(pubsub, lot);
  return left;
}
