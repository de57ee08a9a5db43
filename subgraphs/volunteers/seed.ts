import { mongo, Types } from 'mongoose';

const { Double } = mongo;
import type { Database } from '../../shared/platform/db';
import { syncIndexes } from '../../shared/platform/db';
import { DEMO_RESIDENT_ID, SHUIBEI } from '../../shared/dev/demo';
import { extraUnits, scaleResidentId, UNIT_RESIDENTS, unitRandom } from '../../shared/dev/scale';
import { addDays, atLocalTime, localMonthString, startOfLocalMonth } from '../../shared/subgraph/time';
import { HOLDS_PLACE } from './domain/sign-up-status';
import type { VolunteerSignUpStatus } from './generated/graphql';
import { createModels, type Models, type OpeningPeriod, type SignUpDoc, type TeamDoc } from './models';
import { claimPlace, releasePlace } from './services/places';
import { claimTime } from './services/time-claims';
import { seedRestHouses } from './seed-rest-houses';

/**
 * The volunteers demo: Shenzhen's river-patrol (河小二), delivery-rider (小蜜蜂) and epidemic-control
 * teams, U-stations with duty rosters and ledgers, past verified sign-ups (so Shuibei has hours
 * this month) and activities over the next 14 days, some nearly full and one with a waitlist.
 * Everything is upserted by a natural key, so running it again changes no counts and only moves
 * the time-dependent records relative to `now`.
 */

const [R2, R3, R4, R5] = ['R-0002', 'R-0003', 'R-0004', 'R-0005'];
const DEMO = DEMO_RESIDENT_ID;
const SEED = 'seed';

const TEAMS: TeamDoc[] = [
  { _id: 'VT-RP-SHUIBEI', name: '水贝社区"河小二"护河志愿服务队', kind: 'RIVER_PATROL', communityCode: SHUIBEI,
    description: '巡查布吉河水贝段，劝导乱扔垃圾，发现排污口异常及时上报。', imported: { roster: 86, hours: 5230.5, patrols: 31200, services: 31200 } },
  { _id: 'VT-RP-DONGXIAO', name: '东晓社区"河小二"护河志愿服务队', kind: 'RIVER_PATROL', communityCode: '440303002001',
    description: '沿布吉河东晓段巡河护河，开展水环境宣传。', imported: { roster: 64, hours: 3860, patrols: 22800, services: 22800 } },
  { _id: 'VT-RP-GUANGMING', name: '光明社区"河小二"茅洲河巡护队', kind: 'RIVER_PATROL', communityCode: '440311001001',
    description: '守护茅洲河光明段，参与河长制巡河与水质观测。', imported: { roster: 120, hours: 8450, patrols: 51000, services: 51000 } },
  { _id: 'VT-RP-PINGHUAN', name: '坪环社区"河小二"坪山河巡护队', kind: 'RIVER_PATROL', communityCode: '440310001001',
    description: '坪山河马峦段日常巡河与河岸清洁。', imported: { roster: 75, hours: 4120, patrols: 24600, services: 24600 } },
  { _id: 'VT-BEE-01', name: '黄贝"小蜜蜂"骑手志愿服务队', kind: 'DELIVERY_RIDERS', communityCode: '440303001001',
    description: '外卖、快递骑手在送餐途中随手拍隐患、帮扶独居老人。', imported: { roster: 62, hours: 410, patrols: 0, services: 196 } },
  { _id: 'VT-BEE-02', name: '翠竹"小蜜蜂"骑手志愿服务队', kind: 'DELIVERY_RIDERS', communityCode: '440303003002',
    description: '骑手随手拍、文明交通劝导。', imported: { roster: 58, hours: 376, patrols: 0, services: 182 } },
  { _id: 'VT-BEE-03', name: '笋岗"小蜜蜂"骑手志愿服务队', kind: 'DELIVERY_RIDERS', communityCode: '440303004001',
    description: '骑手参与消防通道巡查与隐患上报。', imported: { roster: 71, hours: 452, patrols: 0, services: 215 } },
  { _id: 'VT-BEE-04', name: '北站"小蜜蜂"骑手志愿服务队', kind: 'DELIVERY_RIDERS', communityCode: '440309001001',
    description: '骑手为社区长者送餐送药。', imported: { roster: 55, hours: 338, patrols: 0, services: 170 } },
  { _id: 'VT-BEE-05', name: '龙光"小蜜蜂"骑手志愿服务队', kind: 'DELIVERY_RIDERS', communityCode: '440305001001',
    description: '骑手文明交通劝导与路面隐患上报。', imported: { roster: 66, hours: 421, patrols: 0, services: 205 } },
  { _id: 'VT-EPI-LUOHU', name: '罗湖区疫情防控志愿服务队', kind: 'EPIDEMIC_CONTROL', communityCode: null,
    description: '核酸采样点秩序维护、疫苗接种引导与健康宣教。', imported: { roster: 240, hours: 18650, patrols: 0, services: 5420 } },
  { _id: 'VT-CS-SHUIBEI', name: '水贝社区志愿服务队', kind: 'COMMUNITY_SERVICE', communityCode: SHUIBEI,
    description: '水贝U站便民服务、政策咨询和邻里互助。', imported: { roster: 48, hours: 2140, patrols: 0, services: 1630 } },
];

const WEEKDAYS = [1, 2, 3, 4, 5];
const WEEKEND = [6, 7];
const roster = (morning: string[], afternoon: string[], weekend: string[]): OpeningPeriod[] => [
  { weekdays: WEEKDAYS, opensAt: '09:00', closesAt: '12:00', volunteerIds: morning },
  { weekdays: WEEKDAYS, opensAt: '14:00', closesAt: '18:00', volunteerIds: afternoon },
  { weekdays: WEEKEND, opensAt: '09:00', closesAt: '17:00', volunteerIds: weekend },
];

const STATIONS = [
  { _id: 'US-SHUIBEI-01', name: '水贝社区志愿服务U站', communityCode: SHUIBEI, managerDepartmentId: 'ST-440303003',
    address: '罗湖区翠竹街道水贝一路与贝丽北路交汇处', lat: 22.5693, lng: 114.1272, openingHours: roster([DEMO, R2], [R3], [R2, R4]) },
  { _id: 'US-CUIZHU-01', name: '翠竹社区志愿服务U站', communityCode: '440303003002', managerDepartmentId: 'ST-440303003',
    address: '罗湖区翠竹街道翠竹路与太白路交汇处', lat: 22.5612, lng: 114.1305, openingHours: roster([R4], [R2], [R3]) },
  { _id: 'US-DONGXIAO-01', name: '东晓社区志愿服务U站', communityCode: '440303002001', managerDepartmentId: 'ST-440303002',
    address: '罗湖区东晓街道东晓路布心花园门口', lat: 22.5829, lng: 114.1334, openingHours: roster([R5], [R3], [R5]) },
  { _id: 'US-GUANGMING-01', name: '光明社区志愿服务U站', communityCode: '440311001001', managerDepartmentId: 'ST-440311001',
    address: '光明区光明街道光明大街与华夏路交汇处', lat: 22.7594, lng: 113.9395, openingHours: roster([R5], [R4], [R5]) },
  { _id: 'US-LONGGUANG-01', name: '龙光社区志愿服务U站', communityCode: '440305001001', managerDepartmentId: 'ST-440305001',
    address: '南山区桃源街道龙珠大道龙光社区党群服务中心旁', lat: 22.5642, lng: 113.9593, openingHours: roster([R3], [R5], [R4]) },
];

/** Ledger lines per station: [days ago, hour, description, people served, volunteer]. */
const LEDGER: Array<[number, string, string, number, string | null]> = [
  [0, '09:40', '为居民指路并提供饮用水', 6, DEMO],
  [1, '10:15', '协助两位长者使用"i深圳"预约社保业务', 2, R2],
  [1, '15:30', '为外卖骑手提供充电与休息', 4, R3],
  [2, '09:20', '发放防诈骗宣传资料', 35, null],
  [3, '16:10', '帮助走失儿童联系家长', 1, R3],
  [5, '10:30', '垃圾分类宣传与督导', 28, R4],
];

interface ShiftSeed {
  day: number;
  from: string;
  to: string;
  capacity: number;
  /** Sign-ups in order: resident, status, recorded and verified hours. */
  signUps?: Array<[string, VolunteerSignUpStatus, number?]>;
}

interface ActivitySeed {
  key: string;
  /** Verified when the shift ended, not clamped into this month (the scaled seed's history). */
  historic?: boolean;
  title: string;
  description: string;
  communityCode: string;
  teamId: string | null;
  stationId: string | null;
  organiserId: string;
  shifts: ShiftSeed[];
}

const ACTIVITIES: ActivitySeed[] = [
  // Past, verified: Shuibei's hours this month and the demo resident's record.
  { key: 'past-buji-river-shuibei', title: '布吉河水贝段巡河', description: '沿布吉河水贝段巡查排污口、漂浮物和护栏，记录问题并拍照上报。',
    communityCode: SHUIBEI, teamId: 'VT-RP-SHUIBEI', stationId: null, organiserId: 'LH-WATER',
    shifts: [{ day: -3, from: '08:00', to: '12:00', capacity: 6, signUps: [[DEMO, 'VERIFIED', 4], [R2, 'VERIFIED', 4], [R3, 'NO_SHOW']] }] },
  { key: 'past-ustation-shuibei', title: '水贝U站便民服务', description: '在水贝社区志愿服务U站提供指路、饮水、充电和政策咨询服务。',
    communityCode: SHUIBEI, teamId: 'VT-CS-SHUIBEI', stationId: 'US-SHUIBEI-01', organiserId: 'ST-440303003',
    shifts: [{ day: -10, from: '14:00', to: '18:00', capacity: 4, signUps: [[DEMO, 'VERIFIED', 4], [R2, 'CHECKED_OUT', 3.5]] }] },
  // Upcoming.
  { key: 'ustation-shuibei-weekly', title: '水贝U站周末便民服务', description: '水贝U站值守：便民咨询、饮水充电、长者手机使用帮扶。',
    communityCode: SHUIBEI, teamId: 'VT-CS-SHUIBEI', stationId: 'US-SHUIBEI-01', organiserId: 'ST-440303003',
    shifts: [{ day: 1, from: '09:00', to: '12:00', capacity: 3,
      signUps: [[DEMO, 'CONFIRMED'], [R2, 'CONFIRMED'], [R3, 'CONFIRMED'], [R4, 'WAITLISTED'], [R5, 'WAITLISTED']] }] },
  { key: 'buji-river-shuibei-weekend', title: '布吉河水贝段周末巡河', description: '"河小二"周末巡河：水质观测、垃圾清理和护河宣传。',
    communityCode: SHUIBEI, teamId: 'VT-RP-SHUIBEI', stationId: null, organiserId: 'LH-WATER',
    shifts: [
      { day: 2, from: '08:00', to: '11:00', capacity: 4, signUps: [[R2, 'CONFIRMED'], [R3, 'CONFIRMED'], [R4, 'CONFIRMED']] },
      { day: 2, from: '15:00', to: '18:00', capacity: 4 },
    ] },
  { key: 'buji-river-dongxiao', title: '布吉河东晓段巡河', description: '东晓社区"河小二"巡河护河，排查河岸安全隐患。',
    communityCode: '440303002001', teamId: 'VT-RP-DONGXIAO', stationId: null, organiserId: 'LH-WATER',
    shifts: [{ day: 3, from: '08:30', to: '11:30', capacity: 10, signUps: [[R5, 'CONFIRMED']] }] },
  { key: 'bees-hazard-huangbei', title: '"小蜜蜂"骑手随手拍安全隐患', description: '骑手送餐途中拍摄并上报井盖缺失、路灯不亮等隐患。',
    communityCode: '440303001001', teamId: 'VT-BEE-01', stationId: null, organiserId: 'LH-URBAN',
    shifts: [{ day: 4, from: '14:00', to: '17:00', capacity: 20, signUps: [[R3, 'CONFIRMED']] }] },
  { key: 'maozhou-river-guangming', title: '茅洲河光明段巡河', description: '茅洲河巡河、水质快检和护河宣传。',
    communityCode: '440311001001', teamId: 'VT-RP-GUANGMING', stationId: null, organiserId: 'GM-WATER',
    shifts: [{ day: 5, from: '08:00', to: '11:00', capacity: 15, signUps: [[R5, 'CONFIRMED']] }] },
  { key: 'vaccination-cuizhu', title: '翠竹社区疫苗接种点秩序维护', description: '引导居民排队、测温和填写信息，协助医护人员维持秩序。',
    communityCode: '440303003002', teamId: 'VT-EPI-LUOHU', stationId: 'US-CUIZHU-01', organiserId: 'LH-HEALTH',
    shifts: [
      { day: 6, from: '08:30', to: '12:00', capacity: 6, signUps: [[R4, 'CONFIRMED'], [R2, 'CONFIRMED'], [R3, 'CONFIRMED'], [R5, 'CONFIRMED'], [DEMO, 'CONFIRMED']] },
      { day: 6, from: '14:00', to: '17:30', capacity: 6, signUps: [[R4, 'CONFIRMED']] },
    ] },
  { key: 'pingshan-river-pinghuan', title: '坪山河马峦段巡河', description: '坪山河巡查与河岸清洁。',
    communityCode: '440310001001', teamId: 'VT-RP-PINGHUAN', stationId: null, organiserId: 'PS-WATER',
    shifts: [{ day: 7, from: '08:00', to: '11:00', capacity: 8 }] },
  { key: 'bees-traffic-longguang', title: '"小蜜蜂"文明交通劝导', description: '在龙珠大道路口劝导电动车佩戴头盔、不闯红灯。',
    communityCode: '440305001001', teamId: 'VT-BEE-05', stationId: 'US-LONGGUANG-01', organiserId: 'NS-TRAFFIC',
    shifts: [{ day: 9, from: '17:00', to: '19:00', capacity: 12, signUps: [[R3, 'CONFIRMED']] }] },
  { key: 'waste-sorting-shuibei', title: '水贝社区垃圾分类督导', description: '晚间投放时段在小区分类投放点指导居民垃圾分类。',
    communityCode: SHUIBEI, teamId: null, stationId: null, organiserId: 'LH-URBAN',
    shifts: [{ day: 10, from: '19:00', to: '21:00', capacity: 6, signUps: [[R2, 'CONFIRMED'], [R4, 'CONFIRMED'], [R5, 'CONFIRMED'], [R3, 'CONFIRMED']] }] },
  { key: 'elderly-visit-beizhan', title: '北站社区独居长者探访', description: '上门探访独居长者，陪伴聊天、检查用电用气安全。',
    communityCode: '440309001001', teamId: 'VT-BEE-04', stationId: null, organiserId: 'LHUA-CIVIL',
    shifts: [{ day: 12, from: '09:30', to: '11:30', capacity: 5 }] },
  { key: 'ustation-cuizhu', title: '翠竹U站便民服务', description: '翠竹U站值守，提供便民咨询与应急药箱服务。',
    communityCode: '440303003002', teamId: null, stationId: 'US-CUIZHU-01', organiserId: 'ST-440303003',
    shifts: [{ day: 13, from: '14:00', to: '18:00', capacity: 4, signUps: [[R2, 'CONFIRMED']] }] },
];

const PROFILES: Array<[string, number, string]> = [
  // 228.5 imported + 8 verified below = 236.5 h: 1★, 63.5 h to 2★.
  [DEMO, 228.5, '2021-03-05T02:00:00Z'],
  [R2, 512, '2019-06-12T02:00:00Z'],
  [R3, 88, '2022-09-01T02:00:00Z'],
  [R4, 1030, '2018-04-20T02:00:00Z'],
  [R5, 0, '2024-02-18T02:00:00Z'],
];

const MEMBERSHIPS: Array<[string, string]> = [
  ['VT-RP-SHUIBEI', DEMO], ['VT-RP-SHUIBEI', R2], ['VT-CS-SHUIBEI', R2], ['VT-BEE-01', R3], ['VT-EPI-LUOHU', R4], ['VT-RP-GUANGMING', R5],
];

async function seedActivity(models: Models, a: ActivitySeed, now: Date): Promise<void> {
  const at = (day: number, hhmm: string) => atLocalTime(addDays(now, day), hhmm);
  const shifts = a.shifts.map((s) => ({ ...s, startsAt: at(s.day, s.from), endsAt: at(s.day, s.to) }));
  const activity = (await models.Activity.findOneAndUpdate(
    { createdBy: SEED, idempotencyKey: `seed:${a.key}` },
    {
      $set: {
        title: a.title, description: a.description, communityCode: a.communityCode, teamId: a.teamId, stationId: a.stationId,
        organiserId: a.organiserId, startsAt: shifts[0].startsAt, endsAt: shifts[shifts.length - 1].endsAt,
      },
    },
    { upsert: true, returnDocument: 'after' },
  ).lean())!;
  for (const [index, s] of shifts.entries()) {
    const shift = (await models.Shift.findOneAndUpdate(
      { activityId: activity._id, index },
      { $set: { startsAt: s.startsAt, endsAt: s.endsAt, capacity: s.capacity } },
      { upsert: true, returnDocument: 'after' },
    ).lean())!;
    let seq = 0;
    for (const [residentId, status, hours] of s.signUps ?? []) {
      const waitlisted = status === 'WAITLISTED';
      const done = status === 'CHECKED_OUT' || status === 'VERIFIED';
      // Verified after the shift, but never before this month began, so Shuibei's monthly figure is never empty.
      const verifiedAt = a.historic
        ? new Date(Math.min(now.getTime(), s.endsAt.getTime() + 2 * 3_600_000))
        : new Date(Math.min(now.getTime(), Math.max(s.endsAt.getTime() + 2 * 3_600_000, startOfLocalMonth(now).getTime())));
      const signedUpAt = addDays(s.startsAt, -5);
      const saved = await models.SignUp.findOneAndUpdate(
        { shiftId: shift._id, residentId },
        {
          $set: {
            activityId: activity._id, communityCode: a.communityCode, organiserId: a.organiserId, teamId: a.teamId,
            shiftStartsAt: s.startsAt, shiftEndsAt: s.endsAt, status,
            waitlistTicket: waitlisted ? Types.ObjectId.createFromTime(Math.floor(signedUpAt.getTime() / 1000) + ++seq) : null,
            idempotencyKey: `seed:${a.key}:${index}:${residentId}`, signedUpAt,
            checkedInAt: done ? s.startsAt : null, checkedOutAt: done ? s.endsAt : null, hours: done ? hours : null,
            verifiedHours: status === 'VERIFIED' ? hours : null, verifiedAt: status === 'VERIFIED' ? verifiedAt : null,
            verifiedBy: status === 'VERIFIED' ? SEED : null, noShowAt: status === 'NO_SHOW' ? s.endsAt : null,
          },
          $setOnInsert: { version: 0 },
        },
        { upsert: true, returnDocument: 'after' },
      ).lean();
      // Places follow the seeded statuses, through the same claim the API uses.
      if (HOLDS_PLACE.has(status)) await claimPlace(models, shift, saved!._id);
      else await releasePlace(models, saved!._id);
      // Upcoming sign-ups hold their volunteer's time, as the API's do.
      if (status === 'CONFIRMED' || status === 'WAITLISTED') {
        await claimTime(models, { residentId, signUpId: saved!._id, shift, idempotencyKey: saved!.idempotencyKey });
      }
      if (status === 'VERIFIED') await seedCredit(models, saved!, verifiedAt);
    }
  }
}

export async function seed(db: Database, opts: { now: Date; onProgress?: (done: number, total: number) => void; scale?: number }): Promise<void> {
  const { now, onProgress = () => {} } = opts;
  const models = createModels(db.conn);
  await syncIndexes(db.conn);
  const extra = extraUnits(opts.scale);
  const total = 4 + ACTIVITIES.length + extra;
  let done = 0;
  const step = () => onProgress(++done, total);

  for (const [residentId, importedHours, joinedAt] of PROFILES) {
    await models.Profile.updateOne({ _id: residentId }, { $set: { importedHours, joinedAt: new Date(joinedAt) } }, { upsert: true });
  }
  step();
  for (const { _id, ...team } of TEAMS) await models.Team.updateOne({ _id }, { $set: team }, { upsert: true });
  for (const [teamId, residentId] of MEMBERSHIPS) {
    await models.Membership.updateOne({ teamId, residentId }, { $setOnInsert: { joinedAt: new Date('2023-05-01T02:00:00Z') } }, { upsert: true });
  }
  step();
  for (const { _id, ...station } of STATIONS) await models.Station.updateOne({ _id }, { $set: station }, { upsert: true });
  await seedRestHouses(models);
  step();
  for (const station of STATIONS) {
    for (const [n, [daysAgo, hhmm, description, peopleServed, volunteerId]] of LEDGER.entries()) {
      const recordedAt = new Date(Math.min(now.getTime(), atLocalTime(addDays(now, -daysAgo), hhmm).getTime()));
      await models.LedgerEntry.updateOne(
        { recordedBy: SEED, idempotencyKey: `seed:${station._id}:${n}` },
        { $set: { stationId: station._id, recordedAt, description, peopleServed, volunteerId } },
        { upsert: true },
      );
    }
  }
  step();
  // Seeded sign-ups move in time on every run: their old time claims go first, so one's new time
  // never meets another's old one.
  await models.TimeClaim.deleteMany({ idempotencyKey: /^seed:/ });
  for (const activity of ACTIVITIES) {
    await seedActivity(models, activity, now);
    step();
  }
  for (let unit = 1; unit <= extra; unit += 1) {
    await seedActivity(models, scaleActivity(unit), now);
    step();
  }
}

/**
 * One scale unit (`npm run seed -- --scale N`): a past activity, modelled on a demo one, with
 * three shifts over the past months that the unit's residents signed up for, mostly verified
 * (hours), some no-shows. Through the demo's own `seedActivity`: idempotent by its key.
 */
function scaleActivity(unit: number): ActivitySeed {
  const rnd = unitRandom(unit, 4);
  const template = ACTIVITIES[Math.floor(rnd() * 2)];
  const residents = Array.from({ length: UNIT_RESIDENTS }, (_, j) => scaleResidentId(unit, j));
  return {
    ...template,
    key: `scale-${unit}`,
    historic: true,
    shifts: [0, 1, 2].map((s) => ({
      day: -(5 + Math.floor(rnd() * 170)),
      from: '09:00',
      to: '12:00',
      capacity: UNIT_RESIDENTS,
      signUps: residents
        .filter(() => rnd() < 0.7)
        .map((r): [string, 'VERIFIED' | 'NO_SHOW', number] => (rnd() < 0.9 ? [r, 'VERIFIED', 2 + Math.floor(rnd() * 3)] : [r, 'NO_SHOW', 0])),
    })),
  };
}

/**
 * A seeded verification's credit line. The ledger is insert-only through the model; the seed, as
 * dev tooling that moves its dates on every run, rewrites its own lines on the raw collection.
 */
async function seedCredit(models: Models, signUp: SignUpDoc, at: Date): Promise<void> {
  const hours = signUp.verifiedHours ?? 0;
  await models.HoursEntry.collection.replaceOne(
    { _id: `${signUp._id}#0` as never },
    {
      kind: 'CREDIT', signUpId: signUp._id, seq: 0, residentId: signUp.residentId, activityId: signUp.activityId,
      communityCode: signUp.communityCode, teamId: signUp.teamId, hours: new Double(hours), total: new Double(hours),
      reason: null, by: SEED, approvedBy: null, correctionId: null, at, month: localMonthString(at),
    },
    { upsert: true },
  );
}
