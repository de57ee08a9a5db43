import { Types } from 'mongoose';
import { syncIndexes, type Database } from '../../shared/platform/db';
import { DEMO_RESIDENT, OTHER_RESIDENTS } from '../../shared/dev/demo';
import { extraUnits, scaleResidentId, UNIT_RESIDENTS, unitRandom } from '../../shared/dev/scale';
import { addDays, addMinutes, atLocalTime } from '../../shared/subgraph/time';
import { BOOKING_RULES, dailyBookingScope, entryWindow } from './domain/booking-rules';
import { takeSlot } from '../../shared/subgraph/slots';
import { parkingFee } from './domain/pricing';
import { occurrenceAt } from './domain/windows';
import { createModels, type Models, type ReservationRecord } from './models';
import { giveSpaceBack, occurrenceKeyOf, takeSpace } from './services/capacity';
import { vehicleScope } from './services/vehicles';
import { DEMO_RESERVATION_ID, DEMO_RESERVATION_LOT, LOT_SEEDS, PAST_STAYS } from './seed-data';

/** Minutes after the seed's `now` the demo resident's booking arrives. */
const DEMO_ARRIVAL_MINUTES = 45;

/**
 * Loads the shared-parking demo: Dongxiao street's 35 lots and a few elsewhere, the demo residents'
 * cars, a few past stays, and the demo resident's upcoming booking. Idempotent: lots and vehicles
 * are upserted by their natural keys and past stays only inserted once; the demo booking is moved
 * to `now` + 45 min (its space moved with it) only when it is no longer ahead.
 */
export async function seed(db: Database, opts: { now: Date; onProgress?: (done: number, total: number) => void; scale?: number }): Promise<void> {
  const { now, onProgress = () => {} } = opts;
  const models = createModels(db.conn);
  const extra = extraUnits(opts.scale);
  const total = 5 + extra;
  await syncIndexes(db.conn);
  onProgress(1, total);

  await models.Lot.bulkWrite(
    LOT_SEEDS.map(({ id, ...lot }) => ({
      updateOne: { filter: { _id: id }, update: { $set: lot }, upsert: true },
    })),
  );
  onProgress(2, total);

  const people = [DEMO_RESIDENT, ...OTHER_RESIDENTS];
  await models.Vehicle.bulkWrite(
    people.map((p) => ({
      updateOne: { filter: { plate: p.plate }, update: { $set: { residentId: p.id }, $setOnInsert: { createdAt: addDays(now, -30) } }, upsert: true },
    })),
  );
  await holdVehicleSlots(models, people.map((p) => ({ residentId: p.id, plate: p.plate })), now);
  onProgress(3, total);

  await seedPastStays(models, now);
  onProgress(4, total);

  await refreshDemoReservation(models, now);
  onProgress(5, total);
  for (let unit = 1; unit <= extra; unit += 1) {
    await seedScaleUnit(models, unit, now);
    onProgress(5 + unit, total);
  }
}

/** Past bookings each scale unit adds: two or three per resident over the past months. */
const UNIT_BOOKINGS = 25;

/**
 * One scale unit (`npm run seed -- --scale N`): the unit's residents' cars and their finished
 * bookings (completed, some cancelled) over the past six months, in the demo's lots. They hold no
 * space (all over), so live free counts are the demo's. Ids derive from the unit: idempotent.
 */
async function seedScaleUnit(models: Models, unit: number, now: Date): Promise<void> {
  const rnd = unitRandom(unit, 2);
  const plateOf = (j: number) => `粤B${String.fromCharCode(65 + (unit % 26))}${String(unit).padStart(4, '0').slice(-4)}${j}`;
  await models.Vehicle.bulkWrite(
    Array.from({ length: UNIT_RESIDENTS }, (_, j) => ({
      updateOne: { filter: { plate: plateOf(j) }, update: { $set: { residentId: scaleResidentId(unit, j) }, $setOnInsert: { createdAt: addDays(now, -200) } }, upsert: true },
    })),
  );
  await holdVehicleSlots(models, Array.from({ length: UNIT_RESIDENTS }, (_, j) => ({ residentId: scaleResidentId(unit, j), plate: plateOf(j) })), now);
  const ops = [];
  for (let k = 0; k < UNIT_BOOKINGS; k += 1) {
    const j = Math.floor(rnd() * UNIT_RESIDENTS);
    const lot = LOT_SEEDS[Math.floor(rnd() * LOT_SEEDS.length)];
    const arriveAt = atLocalTime(addDays(now, -(1 + Math.floor(rnd() * 180))), rnd() < 0.5 ? '19:00' : '20:00');
    const occ = occurrenceAt(lot.windows, arriveAt);
    if (!occ) continue;
    const window = entryWindow(arriveAt);
    const enteredAt = addMinutes(arriveAt, 3 + Math.floor(rnd() * 20));
    const exitedAt = new Date(Math.min(occ.mustLeaveBy.getTime(), addMinutes(enteredAt, 60 + Math.floor(rnd() * 600)).getTime()));
    const completed = rnd() < 0.85;
    ops.push({
      updateOne: {
        filter: { _id: new Types.ObjectId(`5ca1e${unit.toString(16).padStart(7, '0')}${k.toString(16).padStart(12, '0')}`) },
        update: {
          $setOnInsert: {
            lotId: lot.id, residentId: scaleResidentId(unit, j), plate: plateOf(j), walkIn: false,
            status: completed ? 'COMPLETED' : 'CANCELLED', arriveAt,
            entryWindowStart: window.start, entryWindowEnd: window.end, mustLeaveBy: occ.mustLeaveBy, windowId: occ.windowId,
            spaceId: `${occurrenceKeyOf(lot.id, occ)}#1`,
            createdAt: addMinutes(arriveAt, -60), updatedAt: completed ? exitedAt : addMinutes(arriveAt, -30),
            ...(completed ? { enteredAt, exitedAt, fee: parkingFee(lot, enteredAt, exitedAt) } : { cancelledAt: addMinutes(arriveAt, -30) }),
            lateCancellation: false,
          },
        },
        upsert: true,
      },
    });
  }
  // Bulks of 25 at most (see BULK_CHUNK in the requests seed: FerretDB's pool).
  for (let i = 0; i < ops.length; i += 25) await models.Reservation.bulkWrite(ops.slice(i, i + 25), { ordered: false });
}

async function seedPastStays(models: Models, now: Date): Promise<void> {
  const lots = new Map(LOT_SEEDS.map((l) => [l.id, l]));
  await models.Reservation.bulkWrite(
    PAST_STAYS.map((stay) => {
      const lot = lots.get(stay.lotId)!;
      const resident = OTHER_RESIDENTS[stay.residentIndex];
      const arriveAt = atLocalTime(addDays(now, -stay.daysAgo), '19:00');
      const occ = occurrenceAt(lot.windows, arriveAt)!;
      const window = entryWindow(arriveAt);
      const enteredAt = addMinutes(arriveAt, 6);
      const exitedAt = addMinutes(enteredAt, stay.hours * 60);
      const common = {
        lotId: lot.id,
        residentId: resident.id,
        plate: resident.plate,
        walkIn: false,
        status: stay.status,
        arriveAt,
        entryWindowStart: window.start,
        entryWindowEnd: window.end,
        mustLeaveBy: occ.mustLeaveBy,
        windowId: occ.windowId,
        // Past stays hold no space any more: the id of the slot they used, for the record.
        spaceId: `${occurrenceKeyOf(lot.id, occ)}#1`,
        createdAt: addMinutes(arriveAt, -40),
        updatedAt: stay.status === 'COMPLETED' ? exitedAt : addMinutes(arriveAt, -35),
      };
      const outcome =
        stay.status === 'COMPLETED'
          ? { enteredAt, exitedAt, fee: parkingFee(lot, enteredAt, exitedAt), lateCancellation: false }
          : { cancelledAt: addMinutes(arriveAt, -35), lateCancellation: false };
      return {
        updateOne: { filter: { _id: new Types.ObjectId(stay.id) }, update: { $setOnInsert: { ...common, ...outcome } }, upsert: true },
      };
    }),
  );
}

/** Keeps the demo resident's booking ahead of `now`, with its space taken in the right occurrence. */
async function refreshDemoReservation(models: Models, now: Date): Promise<void> {
  const _id = new Types.ObjectId(DEMO_RESERVATION_ID);
  const existing = await models.Reservation.findById(_id).lean<ReservationRecord>();
  if (existing?.status === 'CONFIRMED' && existing.arriveAt && existing.arriveAt.getTime() > now.getTime()) return;

  const lot = LOT_SEEDS.find((l) => l.id === DEMO_RESERVATION_LOT)!;
  const arriveAt = addMinutes(now, DEMO_ARRIVAL_MINUTES);
  const occ = occurrenceAt(lot.windows, arriveAt);
  if (!occ) throw new Error(`${lot.id} must share spaces at every hour for the demo booking`);
  if (existing && (existing.status === 'CONFIRMED' || existing.status === 'CHECKED_IN')) await giveSpaceBack(models, existing.spaceId);
  const spaceId = await takeSpace(models, { _id: lot.id, communityCode: lot.communityCode }, occ, now);
  // The refreshed booking starts a new life: earlier transitions of the same record no longer apply.
  await models.Transition.deleteMany({ reservationId: _id });
  if (!spaceId) throw new Error(`${lot.id} is full: the demo booking cannot be refreshed`);
  const window = entryWindow(arriveAt);
  await models.Reservation.updateOne(
    { _id },
    {
      $set: {
        lotId: lot.id,
        residentId: DEMO_RESIDENT.id,
        plate: DEMO_RESIDENT.plate,
        walkIn: false,
        status: 'CONFIRMED',
        arriveAt,
        entryWindowStart: window.start,
        entryWindowEnd: window.end,
        mustLeaveBy: occ.mustLeaveBy,
        windowId: occ.windowId,
        spaceId,
        lateCancellation: false,
        activePlate: DEMO_RESIDENT.plate,
        createdAt: addMinutes(now, -5),
        updatedAt: now,
      },
      $unset: { enteredAt: 1, exitedAt: 1, cancelledAt: 1, fee: 1 },
    },
    { upsert: true },
  );
  // Made "five minutes ago", it counts against the resident's bookings of that day like a real one.
  const madeAt = addMinutes(now, -5);
  await takeSlot(models.LimitSlot, { scope: dailyBookingScope(DEMO_RESIDENT.id, madeAt), capacity: BOOKING_RULES.maxBookingsPerDay, holder: String(_id), extra: { createdAt: madeAt } });
}

/**
 * Seeded cars hold their residents' vehicle slots like registered ones, so the limit counts them.
 * Every seeded resident has one car: it holds slot 0 of its resident's scope.
 */
async function holdVehicleSlots(models: Models, cars: Array<{ residentId: string; plate: string }>, now: Date): Promise<void> {
  await models.LimitSlot.bulkWrite(
    cars.map((c) => ({
      updateOne: {
        filter: { scope: vehicleScope(c.residentId), holder: c.plate },
        update: { $setOnInsert: { slot: 0, createdAt: now } },
        upsert: true,
      },
    })),
  );
}
