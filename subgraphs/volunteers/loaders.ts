import DataLoader from 'dataloader';
import { Types } from 'mongoose';
import { aggregateLoader, byKeyLoader, fetchPerKey, groupLoader, idFilter } from '../../shared/subgraph/loaders';
import { localMonthString } from '../../shared/subgraph/time';
import type {
  ActivityDoc, HoursEntryDoc, LedgerEntryDoc, MembershipDoc, Models, PlaceDoc, ProfileDoc, ShiftDoc, SignUpDoc, StationDoc, TeamDoc,
} from './models';
import { sumHours } from './domain/stars';

/**
 * Loader queries ask for everything in the first batch: the driver's default (101 documents) would
 * add a `getMore` round trip per further batch, so the command count would grow with the data.
 */
const ONE_BATCH = 10_000;

const ids = (keys: readonly string[]) => keys.filter((k) => Types.ObjectId.isValid(k)).map((k) => new Types.ObjectId(k));

/** What a team has earned in CityGraph: verified hours and verified sign-ups. */
export interface TeamEarned {
  hours: number;
  services: number;
}

/** A waitlisted sign-up, reduced to what positions and counts need. */
export type WaitlistEntry = Pick<SignUpDoc, '_id' | 'shiftId' | 'activityId' | 'waitlistTicket'>;

/** A taken place, reduced to what counts need. */
export type TakenPlace = Pick<PlaceDoc, 'shiftId' | 'activityId'>;

/**
 * Activity lists keyed `<owner>|upcoming` or `<owner>|all`: one query per flag per tick, whatever
 * the number of owners.
 */
function activityListLoader(models: Models, field: 'communityCode' | 'organiserId', now: Date) {
  return new DataLoader<string, ActivityDoc[]>(async (keys) => {
    const byFlag = new Map<string, string[]>();
    for (const key of keys) {
      const [owner, flag] = key.split('|');
      byFlag.set(flag, [...(byFlag.get(flag) ?? []), owner]);
    }
    const found = new Map<string, ActivityDoc[]>();
    await Promise.all(
      [...byFlag].map(async ([flag, owners]) => {
        const docs = await fetchPerKey(owners, (some) => {
          const filter: Record<string, unknown> = { [field]: idFilter(some) };
          if (flag === 'upcoming') filter.endsAt = { $gt: now };
          return models.Activity.find(filter).sort({ startsAt: 1 }).batchSize(ONE_BATCH).lean<ActivityDoc[]>().exec();
        });
        for (const doc of docs) {
          const key = `${doc[field]}|${flag}`;
          found.set(key, [...(found.get(key) ?? []), doc]);
        }
      }),
    );
    return keys.map((k) => found.get(k) ?? []);
  });
}

/** A fresh set per request (and per subscription event), so nothing is cached across viewers or time. */
export function createLoaders(models: Models, now: Date) {
  return {
    profile: byKeyLoader((keys: readonly string[]) => models.Profile.find({ _id: idFilter(keys) }).batchSize(ONE_BATCH).lean<ProfileDoc[]>(), (d) => d._id),
    team: byKeyLoader((keys: readonly string[]) => models.Team.find({ _id: idFilter(keys) }).batchSize(ONE_BATCH).lean<TeamDoc[]>(), (d) => d._id),
    station: byKeyLoader((keys: readonly string[]) => models.Station.find({ _id: idFilter(keys) }).batchSize(ONE_BATCH).lean<StationDoc[]>(), (d) => d._id),
    activity: byKeyLoader((keys: readonly string[]) => models.Activity.find({ _id: idFilter(ids(keys)) }).batchSize(ONE_BATCH).lean<ActivityDoc[]>(), (d) => String(d._id)),
    shift: byKeyLoader((keys: readonly string[]) => models.Shift.find({ _id: idFilter(ids(keys)) }).batchSize(ONE_BATCH).lean<ShiftDoc[]>(), (d) => String(d._id)),

    membershipsByTeam: groupLoader(
      (keys: readonly string[]) => models.Membership.find({ teamId: idFilter(keys) }).sort({ joinedAt: 1 }).batchSize(ONE_BATCH).lean<MembershipDoc[]>(),
      (d) => d.teamId,
    ),
    membershipsByResident: groupLoader(
      (keys: readonly string[]) => models.Membership.find({ residentId: idFilter(keys) }).sort({ joinedAt: 1 }).batchSize(ONE_BATCH).lean<MembershipDoc[]>(),
      (d) => d.residentId,
    ),
    teamsByCommunity: groupLoader(
      (keys: readonly string[]) => models.Team.find({ communityCode: idFilter(keys) }).sort({ name: 1 }).batchSize(ONE_BATCH).lean<TeamDoc[]>(),
      (d) => d.communityCode ?? '',
    ),
    stationsByCommunity: groupLoader(
      (keys: readonly string[]) => models.Station.find({ communityCode: idFilter(keys) }).sort({ name: 1 }).batchSize(ONE_BATCH).lean<StationDoc[]>(),
      (d) => d.communityCode,
    ),
    ledgerByStation: groupLoader(
      (keys: readonly string[]) => models.LedgerEntry.find({ stationId: idFilter(keys) }).sort({ recordedAt: -1 }).batchSize(ONE_BATCH).lean<LedgerEntryDoc[]>(),
      (d) => d.stationId,
    ),

    shiftsByActivity: groupLoader(
      (keys: readonly string[]) => models.Shift.find({ activityId: idFilter(ids(keys)) }).sort({ index: 1 }).batchSize(ONE_BATCH).lean<ShiftDoc[]>(),
      (d) => String(d.activityId),
    ),
    upcomingActivitiesByTeam: groupLoader(
      (keys: readonly string[]) =>
        models.Activity.find({ teamId: idFilter(keys), endsAt: { $gt: now } }).sort({ startsAt: 1 }).batchSize(ONE_BATCH).lean<ActivityDoc[]>(),
      (d) => d.teamId ?? '',
    ),
    activitiesByCommunity: activityListLoader(models, 'communityCode', now),
    activitiesByOrganiser: activityListLoader(models, 'organiserId', now),

    waitlistByActivity: groupLoader(
      (keys: readonly string[]) =>
        models.SignUp.find({ activityId: idFilter(ids(keys)), status: 'WAITLISTED' }, { shiftId: 1, activityId: 1, waitlistTicket: 1 })
          .sort({ waitlistTicket: 1, _id: 1 })
          .batchSize(ONE_BATCH).lean<WaitlistEntry[]>(),
      (d) => String(d.activityId),
    ),
    placesByActivity: groupLoader(
      (keys: readonly string[]) => models.Place.find({ activityId: idFilter(ids(keys)) }, { shiftId: 1, activityId: 1 }).batchSize(ONE_BATCH).lean<TakenPlace[]>(),
      (d) => String(d.activityId),
    ),
    signUpsByActivity: groupLoader(
      (keys: readonly string[]) => models.SignUp.find({ activityId: idFilter(ids(keys)) }).sort({ signedUpAt: 1, _id: 1 }).batchSize(ONE_BATCH).lean<SignUpDoc[]>(),
      (d) => String(d.activityId),
    ),
    signUp: byKeyLoader((keys: readonly string[]) => models.SignUp.find({ _id: idFilter(ids(keys)) }).batchSize(ONE_BATCH).lean<SignUpDoc[]>(), (d) => String(d._id)),
    hoursByResident: groupLoader(
      (keys: readonly string[]) => models.HoursEntry.find({ residentId: idFilter(keys) }, { residentId: 1, hours: 1 }).batchSize(ONE_BATCH).lean<HoursEntryDoc[]>(),
      (d) => d.residentId,
    ),
    signUpsByResident: groupLoader(
      (keys: readonly string[]) => models.SignUp.find({ residentId: idFilter(keys) }).sort({ shiftStartsAt: 1 }).batchSize(ONE_BATCH).lean<SignUpDoc[]>(),
      (d) => d.residentId,
    ),

    // Totals come from the insert-only hours ledger: a credit line per verified sign-up (one service)
    // plus approved corrections.
    teamEarned: aggregateLoader<string, TeamEarned>(async (keys) => {
      const docs = await models.HoursEntry.find({ teamId: idFilter(keys) }, { teamId: 1, kind: 1, hours: 1 }).batchSize(ONE_BATCH).lean();
      const byTeam = new Map<string, { hours: number[]; services: number }>();
      for (const d of docs) {
        const t = byTeam.get(d.teamId!) ?? { hours: [], services: 0 };
        t.hours.push(d.hours);
        if (d.kind === 'CREDIT') t.services += 1;
        byTeam.set(d.teamId!, t);
      }
      return new Map([...byTeam].map(([team, t]) => [team, { hours: sumHours(t.hours), services: t.services }]));
    }, { hours: 0, services: 0 }),

    hoursThisMonthByCommunity: aggregateLoader<string, number>(async (keys) => {
      const docs = await models.HoursEntry.find(
        // the month's lines only (an equality, pushed down); `at` for a clock set back in a test
        { communityCode: idFilter(keys), month: localMonthString(now), at: { $lte: now } },
        { communityCode: 1, hours: 1 },
      ).batchSize(ONE_BATCH).lean();
      const byCommunity = new Map<string, number[]>();
      for (const d of docs) byCommunity.set(d.communityCode, [...(byCommunity.get(d.communityCode) ?? []), d.hours]);
      return new Map([...byCommunity].map(([code, hours]) => [code, sumHours(hours)]));
    }, 0),
  };
}

export type Loaders = ReturnType<typeof createLoaders>;
