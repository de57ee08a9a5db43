
import { syncIndexes, type Database } from '../../shared/platform/db';
import { COMMUNITIES, DEMO_RESIDENT_ID, STREETS } from '../../shared/dev/demo';
import { extraUnits, scaleResidentId, unitRandom } from '../../shared/dev/scale';
import { addDays, localDateString } from '../../shared/subgraph/time';
import { addCalendarDays, addCalendarMonths, nightsOf } from './domain/dates';
import { ACTIVE_STATUSES, checkOutDateOf } from './domain/stay';
import { createModels, type Models } from './models';
import type { StayStatus } from './models/types';
import { bedsFor, HOSTEL_SEEDS } from './seed-data';
import { allocateBed } from './services/beds';
import { claimActiveSlot, releaseActiveSlot } from './services/slots';

interface StaySeed {
  key: string;
  residentId: string;
  hostelId: string;
  status: StayStatus;
  /** Check-in date relative to today, in days. */
  checkInOffset: number;
  nights: number;
  graduationDate: string;
  school: string;
  hongKongMacaoYouth?: boolean;
  /** For checked-out stays: days after check-in the guest left. */
  leftAfter?: number;
}

/** The most recent 30 June on or before `today`: "graduated last June". */
function lastJune(today: string): string {
  const year = Number(today.slice(0, 4));
  const june = `${year}-06-30`;
  return june <= today ? june : `${year - 1}-06-30`;
}

function staySeeds(today: string): StaySeed[] {
  return [
    // The demo graduate: checked in yesterday for 5 nights at the Shuibei hostel.
    { key: 'seed-demo-stay', residentId: DEMO_RESIDENT_ID, hostelId: 'HS-01', status: 'CHECKED_IN', checkInOffset: -1, nights: 5, graduationDate: lastJune(today), school: '深圳大学' },
    { key: 'seed-r0002-stay', residentId: 'R-0002', hostelId: 'HS-05', status: 'CHECKED_IN', checkInOffset: -2, nights: 6, graduationDate: addCalendarMonths(today, -10), school: '华南理工大学' },
    { key: 'seed-r0003-stay', residentId: 'R-0003', hostelId: 'HS-01', status: 'CHECKED_IN', checkInOffset: 0, nights: 3, graduationDate: addCalendarMonths(today, -4), school: '南方科技大学', hongKongMacaoYouth: true },
    { key: 'seed-r0004-past', residentId: 'R-0004', hostelId: 'HS-11', status: 'CHECKED_OUT', checkInOffset: -240, nights: 5, leftAfter: 4, graduationDate: addCalendarMonths(today, -14), school: '哈尔滨工业大学（深圳）' },
    { key: 'seed-r0004-stay', residentId: 'R-0004', hostelId: 'HS-06', status: 'CHECKED_IN', checkInOffset: -1, nights: 3, graduationDate: addCalendarMonths(today, -14), school: '哈尔滨工业大学（深圳）' },
    { key: 'seed-r0005-stay', residentId: 'R-0005', hostelId: 'HS-06', status: 'RESERVED', checkInOffset: 1, nights: 4, graduationDate: addCalendarMonths(today, 5), school: '香港中文大学（深圳）', hongKongMacaoYouth: true },
  ];
}

async function seedStay(models: Models, seed: StaySeed, now: Date): Promise<void> {
  const today = localDateString(now);
  const checkInDate = addCalendarDays(today, seed.checkInOffset);
  const checkInAt = addDays(now, seed.checkInOffset);
  const stay = await models.Stay.findOneAndUpdate(
    { residentId: seed.residentId, idempotencyKey: seed.key },
    {
      $set: {
        hostelId: seed.hostelId,
        status: seed.status,
        checkInDate,
        checkOutDate: checkOutDateOf(checkInDate, seed.nights),
        nights: seed.nights,
        graduationDate: seed.graduationDate,
        school: seed.school,
        hongKongMacaoYouth: seed.hongKongMacaoYouth ?? false,
        createdAt: addDays(checkInAt, -3),
        checkedInAt: seed.status === 'RESERVED' ? null : checkInAt,
        checkedOutAt: seed.leftAfter !== undefined ? addDays(checkInAt, seed.leftAfter) : null,
      },
      $setOnInsert: { bedId: 'pending' },
    },
    { upsert: true, returnDocument: 'after' },
  ).lean();
  // Re-hold the stay's nights relative to today, on its previous bed when that is still free.
  const held = seed.leftAfter !== undefined ? seed.leftAfter : seed.nights;
  await models.BedNight.deleteMany({ stayId: stay._id });
  const bedId = await allocateBed(models, {
    hostelId: seed.hostelId,
    stayId: stay._id,
    nights: nightsOf(checkInDate, held),
    preferBedId: stay.bedId,
  });
  if (!bedId) throw new Error(`seed: no free bed at ${seed.hostelId} for ${seed.key}`);
  await models.Stay.updateOne({ _id: stay._id }, { $set: { bedId } });
  // The seed sets the status directly, so earlier steps recorded for the stay no longer apply.
  await models.Transition.deleteMany({ stayId: stay._id });
  if (ACTIVE_STATUSES.includes(seed.status)) {
    await claimActiveSlot(models, seed.residentId, stay._id, addDays(checkInAt, -3));
  } else {
    await releaseActiveSlot(models, seed.residentId, stay._id);
  }
}

/**
 * The 15 hostels and their 331 beds, the demo graduate's current stay and a few other residents'
 * stays. Idempotent: hostels and beds are upserted by id, stays by (resident, seed key), and the
 * stays' dates are moved relative to `now` on every run.
 */
export async function seed(db: Database, opts: { now: Date; onProgress?: (done: number, total: number) => void; scale?: number }): Promise<void> {
  const models = createModels(db.conn);
  await syncIndexes(db.conn);
  const stays = staySeeds(localDateString(opts.now));
  const extra = extraUnits(opts.scale);
  const total = HOSTEL_SEEDS.length + stays.length + extra;
  let done = 0;
  const districtOf = new Map(COMMUNITIES.map((c) => [c.code, STREETS.find((s) => s.code === c.streetCode)!.districtCode]));

  for (const { beds, ...hostel } of HOSTEL_SEEDS) {
    const districtCode = districtOf.get(hostel.communityCode);
    if (!districtCode) throw new Error(`seed: ${hostel._id} names an unknown community ${hostel.communityCode}`);
    await models.Hostel.updateOne({ _id: hostel._id }, { $set: { ...hostel, districtCode, totalBeds: beds } }, { upsert: true });
    await models.Bed.bulkWrite(
      bedsFor(hostel._id, beds).map((bed) => ({
        updateOne: { filter: { _id: bed._id }, update: { $set: bed }, upsert: true },
      })),
    );
    opts.onProgress?.(++done, total);
  }

  for (const stay of stays) {
    await seedStay(models, stay, opts.now);
    opts.onProgress?.(++done, total);
  }
  for (let unit = 1; unit <= extra; unit += 1) {
    await seedScaleUnit(models, unit, opts.now);
    opts.onProgress?.(++done, total);
  }
}

/**
 * One scale unit (`npm run seed -- --scale N`): finished stays of six of the unit's residents over
 * the past year (checked out, a few cancelled). They hold no bed nights (all over), so tonight's
 * free beds are the demo's. Upserted by (resident, key): idempotent.
 */
async function seedScaleUnit(models: Models, unit: number, now: Date): Promise<void> {
  const rnd = unitRandom(unit, 3);
  const today = localDateString(now);
  const ops = [];
  for (let j = 0; j < 6; j += 1) {
    const hostel = HOSTEL_SEEDS[Math.floor(rnd() * HOSTEL_SEEDS.length)];
    const offset = -(10 + Math.floor(rnd() * 350));
    const nights = 1 + Math.floor(rnd() * 7);
    const checkInDate = addCalendarDays(today, offset);
    const checkInAt = addDays(now, offset);
    const cancelled = rnd() < 0.1;
    const residentId = scaleResidentId(unit, j);
    ops.push({
      updateOne: {
        filter: { residentId, idempotencyKey: `seed-scale-${unit}-${j}` },
        update: {
          $set: {
            hostelId: hostel._id, bedId: bedsFor(hostel._id, hostel.beds)[Math.floor(rnd() * hostel.beds)]._id,
            status: cancelled ? 'CANCELLED' : 'CHECKED_OUT', checkInDate, checkOutDate: checkOutDateOf(checkInDate, nights), nights,
            graduationDate: addCalendarMonths(checkInDate, -Math.floor(rnd() * 20)), school: '深圳大学', hongKongMacaoYouth: false,
            createdAt: addDays(checkInAt, -3),
            ...(cancelled ? { cancelledAt: addDays(checkInAt, -1) } : { checkedInAt: checkInAt, checkedOutAt: addDays(checkInAt, nights) }),
          },
        },
        upsert: true,
      },
    });
  }
  await models.Stay.bulkWrite(ops, { ordered: false });
}

