import type { Models, OpeningPeriod, StationDoc } from './models';

/**
 * Longhua's 歇脚屋 (rest houses for delivery riders, the "小蜜蜂" plan), as far as the seed article
 * describes them: built on the party-service V-stations in urban villages and industrial parks;
 * 24-hour unattended opening (cameras, automatic door, face recognition); air conditioning, free
 * WiFi, e-bike charging, microwave, water dispenser and smart bookshelf; rest, meals, shelter from
 * rain, charging; reading, social and matchmaking evenings and first-aid training.
 *
 * The article counts about a hundred houses over 6 streets and 56 communities but names none; the
 * shared reference data (shared/dev/demo.ts, owned by requests) holds one Longhua street and
 * community, 民治街道 北站社区, so the houses seeded here sit there, at the places riders gather
 * around it. A house for another Longhua community is one more line once requests knows it.
 */

const MINZHI_STREET_OFFICE = 'ST-440309001';
const BEIZHAN = '440309001001';

const ALL_WEEK = [1, 2, 3, 4, 5, 6, 7];
/** 00:00 → 00:00 is the whole day (a period closing at or before it opens runs into the next). */
const ROUND_THE_CLOCK: OpeningPeriod[] = [{ weekdays: ALL_WEEK, opensAt: '00:00', closesAt: '00:00', volunteerIds: [] }];
const DAYTIME: OpeningPeriod[] = [{ weekdays: ALL_WEEK, opensAt: '08:00', closesAt: '22:00', volunteerIds: [] }];

const READING = { kind: 'ACTIVITY' as const, title: '骑手读书会', schedule: '每周三 20:00' };
const SOCIAL = { kind: 'ACTIVITY' as const, title: '小蜜蜂交友活动', schedule: '每月第二个周六 19:30' };
const MATCHMAKING = { kind: 'ACTIVITY' as const, title: '青年骑手相亲联谊会', schedule: '每季度一次' };
const FIRST_AID = { kind: 'TRAINING' as const, title: '急救技能培训（心肺复苏与AED）', schedule: '每月第一个周日 15:00' };
const E_BIKE_SAFETY = { kind: 'TRAINING' as const, title: '电动车安全充电培训', schedule: '每月 15 日 14:00' };

const FULL = ['AIR_CONDITIONING', 'WIFI', 'CHARGING', 'MICROWAVE', 'DRINKING_WATER', 'BOOKSHELF', 'REST_AREA'] as const;

export const REST_HOUSES: StationDoc[] = [
  { _id: 'RH-LHUA-01', name: '龙华区"歇脚屋"·北站社区党群服务V站', address: '龙华区民治街道北站社区汇德大厦一楼', lat: 22.6102, lng: 114.0293,
    open24h: true, unattended: true, amenities: [...FULL, 'FIRST_AID_KIT'], programmes: [READING, FIRST_AID], openingHours: ROUND_THE_CLOCK },
  { _id: 'RH-LHUA-02', name: '龙华区"歇脚屋"·北站城中村站', address: '龙华区民治街道北站村二巷8号', lat: 22.6121, lng: 114.0262,
    open24h: true, unattended: true, amenities: [...FULL], programmes: [SOCIAL, E_BIKE_SAFETY], openingHours: ROUND_THE_CLOCK },
  { _id: 'RH-LHUA-03', name: '龙华区"歇脚屋"·深圳北站西广场站', address: '龙华区民治街道深圳北站西广场东侧', lat: 22.6089, lng: 114.0251,
    open24h: true, unattended: true, amenities: ['AIR_CONDITIONING', 'WIFI', 'CHARGING', 'DRINKING_WATER', 'REST_AREA'], programmes: [FIRST_AID], openingHours: ROUND_THE_CLOCK },
  { _id: 'RH-LHUA-04', name: '龙华区"歇脚屋"·民治工业园站', address: '龙华区民治街道北站社区民治工业园3栋旁', lat: 22.6148, lng: 114.0338,
    open24h: false, unattended: false, amenities: ['AIR_CONDITIONING', 'WIFI', 'MICROWAVE', 'DRINKING_WATER', 'REST_AREA'], programmes: [MATCHMAKING, READING], openingHours: DAYTIME },
  { _id: 'RH-LHUA-05', name: '龙华区"歇脚屋"·樟坑径城中村站', address: '龙华区民治街道北站社区樟坑径村口', lat: 22.6063, lng: 114.0347,
    open24h: true, unattended: true, amenities: ['AIR_CONDITIONING', 'WIFI', 'CHARGING', 'MICROWAVE', 'DRINKING_WATER'], programmes: [SOCIAL, FIRST_AID], openingHours: ROUND_THE_CLOCK },
].map((h) => ({ ...h, kind: 'REST_HOUSE' as const, communityCode: BEIZHAN, managerDepartmentId: MINZHI_STREET_OFFICE })) as StationDoc[];

/** Upserts the rest houses by id: a second run changes nothing (an admin's close is kept). */
export async function seedRestHouses(models: Models): Promise<void> {
  for (const { _id, ...house } of REST_HOUSES) await models.Station.updateOne({ _id }, { $set: house }, { upsert: true });
}
