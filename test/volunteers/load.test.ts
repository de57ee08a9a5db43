import { Types } from 'mongoose';
import type { Models } from '../../subgraphs/volunteers/models';
import { markVolunteerNoShows } from '../../subgraphs/volunteers/services/no-shows';
import { serviceContext } from '../../shared/subgraph/service';
import { residentViewer, type RunningSubgraph } from '../support/subgraph';
import { createActivity, errorOf, HOUR, NOW, registerResidents, SHUIBEI, SIGN_UP, startVolunteers, WATER } from './helpers';
import { concurrently, values } from '../support/concurrently';

let sg: RunningSubgraph;
let models: Models;

beforeAll(async () => {
  ({ sg, models } = await startVolunteers('vol_load'));
});
afterAll(() => sg?.stop());
beforeEach(() => sg.setNow(NOW));

const residents = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `R-${prefix}-${String(i).padStart(3, '0')}`);

describe('concurrency', () => {
  it('50 simultaneous sign-ups at a shift of 10: exactly 10 confirmed and 40 waitlisted in positions 1..40', async () => {
    const ids = residents('C50', 50);
    await registerResidents(models, ids);
    const { shifts } = await createActivity(sg, [{ startsInHours: 48, capacity: 10 }]);
    const results = values(await concurrently(ids.length, (i) => sg.query(SIGN_UP, { shiftId: shifts[0].id }, residentViewer(ids[i]))));
    expect(results.filter((r) => r.errors)).toEqual([]);
    // Positions are read after the rush: each answer saw the line as it was at its own moment.
    const stored = await models.SignUp.find({ shiftId: shifts[0].id }).lean();
    expect(stored.filter((s) => s.status === 'CONFIRMED')).toHaveLength(10);
    expect(stored.filter((s) => s.status === 'WAITLISTED')).toHaveLength(40);
    expect(await models.Place.countDocuments({ shiftId: shifts[0].id })).toBe(10);
    const waiting = stored.filter((s) => s.status === 'WAITLISTED').map((s) => s.residentId);
    const positions = await Promise.all(
      waiting.map(async (id) => {
        const res = await sg.query('query($r: [_Any!]!) { _entities(representations: $r) { ... on Resident { volunteerSignUps { waitlistPosition } } } }', { r: [{ __typename: 'Resident', id }] }, residentViewer(id));
        return res.data._entities[0].volunteerSignUps[0].waitlistPosition as number;
      }),
    );
    expect([...positions].sort((a, b) => a - b)).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
  });

  it('60 sign-ups and 5 cancellations at once over three shifts of 4 never exceed capacity and leave nobody waiting behind a free place', async () => {
    const ids = residents('C60', 60);
    await registerResidents(models, ids);
    const { shifts } = await createActivity(sg, [{ startsInHours: 50, capacity: 4 }, { startsInHours: 54, capacity: 4 }, { startsInHours: 58, capacity: 4 }]);
    const first = await Promise.all(ids.slice(0, 12).map((id, i) => sg.query(SIGN_UP, { shiftId: shifts[i % 3].id }, residentViewer(id))));
    expect(first.every((r) => r.data.signUpForShift.status === 'CONFIRMED')).toBe(true);
    const rush = ids.slice(12);
    // The first 5 attempts cancel, the other 48 sign up, all at once.
    const all = values(
      await concurrently(5 + rush.length, (i) =>
        i < 5
          ? sg.query('mutation($id: ID!) { cancelVolunteerSignUp(id: $id) { status } }', { id: first[i].data.signUpForShift.id }, residentViewer(ids[i]))
          : sg.query(SIGN_UP, { shiftId: shifts[(i - 5) % 3].id }, residentViewer(rush[i - 5])),
      ),
    );
    expect(all.filter((r) => r.errors)).toEqual([]);
    for (const shift of shifts) {
      const stored = await models.SignUp.find({ shiftId: shift.id }).lean();
      expect(stored.filter((s) => s.status === 'CONFIRMED')).toHaveLength(4);
      expect(await models.Place.countDocuments({ shiftId: shift.id })).toBe(4);
    }
    expect(await models.SignUp.countDocuments({ shiftId: { $in: shifts.map((s) => s.id) }, status: 'CANCELLED' })).toBe(5);
  });
});

describe('no-shows', () => {
  /** The sweep's context as the job builds it, at a chosen time. */
  const sweepAt = (now: Date) => serviceContext({ models, pubsub: sg.pubsub, clock: () => now });

  it('marks confirmed sign-ups not checked in once the shift is over, exactly once even when run twice at once', async () => {
    const ids = residents('NS', 4);
    await registerResidents(models, ids);
    const { id: activityId, shifts } = await createActivity(sg, [{ startsInHours: 1, hours: 2, capacity: 3 }]);
    const signUps = [];
    for (const id of ids) signUps.push(await sg.query(SIGN_UP, { shiftId: shifts[0].id }, residentViewer(id)));
    sg.setNow(new Date(NOW.getTime() + 1.5 * HOUR));
    await sg.query('mutation($id: ID!) { checkInVolunteer(signUpId: $id) { status } }', { id: signUps[0].data.signUpForShift.id }, residentViewer(ids[0]));

    expect(await markVolunteerNoShows(sweepAt(new Date(NOW.getTime() + 2.9 * HOUR)))).toBe(0); // not over yet
    const end = new Date(NOW.getTime() + 3 * HOUR);
    const [a, b] = await Promise.all([markVolunteerNoShows(sweepAt(end)), markVolunteerNoShows(sweepAt(end))]);
    expect(a + b).toBe(2);
    expect(await markVolunteerNoShows(sweepAt(end))).toBe(0);
    const stored = await models.SignUp.find({ activityId }).sort({ residentId: 1 }).lean();
    expect(stored.map((s) => s.status)).toEqual(['CHECKED_IN', 'NO_SHOW', 'NO_SHOW', 'WAITLISTED']);
    sg.setNow(end);
    const noShow = stored.find((s) => s.status === 'NO_SHOW')!;
    const late = await sg.query('mutation($id: ID!) { checkInVolunteer(signUpId: $id) { status } }', { id: String(noShow._id) }, residentViewer(noShow.residentId));
    expect(errorOf(late)?.code).toBe('CONFLICT');
    const act = await sg.query('query($id: ID!) { volunteerActivity(id: $id) { signedUp waitlisted } }', { id: activityId });
    expect(act.data.volunteerActivity).toEqual({ signedUp: 3, waitlisted: 1 }); // the places are not given back
  });
});

describe('database commands stay constant however many items', () => {
  beforeAll(async () => {
    const teams = Array.from({ length: 100 }, (_, i) => ({
      _id: `VT-Q-${i}`, name: `队${i}`, kind: 'RIVER_PATROL', communityCode: `C-Q-${i}`, imported: { roster: 1, hours: 1, patrols: 1, services: 1 },
    }));
    await models.Team.insertMany(teams);
    await models.Membership.insertMany(teams.map((t) => ({ teamId: t._id, residentId: `R-Q-${t._id}`, joinedAt: NOW })));
    await models.Station.insertMany(teams.map((t, i) => ({
      _id: `US-Q-${i}`, name: `U站${i}`, communityCode: `C-Q-${i}`, managerDepartmentId: 'ST-440303003', address: '地址', lat: 22.5, lng: 114.1,
      openingHours: [{ weekdays: [1, 2, 3, 4, 5, 6, 7], opensAt: '00:00', closesAt: '23:59', volunteerIds: [`R-Q-${i}`] }],
    })));
    const activities = teams.map((t) => ({
      _id: new Types.ObjectId(), title: '巡河', description: '巡河', communityCode: t.communityCode, teamId: t._id, stationId: null, organiserId: 'LH-WATER',
      startsAt: new Date(NOW.getTime() + 24 * HOUR), endsAt: new Date(NOW.getTime() + 27 * HOUR), createdBy: 'test', idempotencyKey: `q-${t._id}`,
    }));
    await models.Activity.insertMany(activities);
    const shifts = activities.map((a) => ({ _id: new Types.ObjectId(), activityId: a._id, index: 0, startsAt: a.startsAt, endsAt: a.endsAt, capacity: 5 }));
    await models.Shift.insertMany(shifts);
    await models.Place.insertMany(shifts.map((s) => ({ shiftId: s._id, activityId: s.activityId, place: 0, signUpId: new Types.ObjectId() })));
    await models.SignUp.insertMany(activities.map((a, i) => ({
      shiftId: shifts[i]._id, activityId: a._id, residentId: `R-Q-${i}`, communityCode: a.communityCode, organiserId: a.organiserId, teamId: a.teamId,
      shiftStartsAt: a.startsAt, shiftEndsAt: a.endsAt, status: 'VERIFIED', version: 3, idempotencyKey: `q-${i}`, signedUpAt: NOW,
      hours: 3, verifiedHours: 3, verifiedAt: NOW,
    })));
  });

  const commandsFor = async (query: string, variables: Record<string, unknown>) => {
    sg.db.counter.reset();
    const res = await sg.query(query, variables);
    expect(res.errors).toBeUndefined();
    return sg.db.counter.total;
  };

  it('VolunteerTeam and Community entities with their child fields: same count for 10 and 100', async () => {
    const TEAMS = `query($r: [_Any!]!) { _entities(representations: $r) { ... on VolunteerTeam {
      id name community { code } members { id } memberCount registeredVolunteers hoursCredited patrols servicesCount
      upcomingActivities { id fillRate signedUp waitlisted capacity organiser { id } station { id } team { id } shifts { id taken waitlistCount activity { id } } }
    } } }`;
    const COMMUNITIES = `query($r: [_Any!]!) { _entities(representations: $r) { ... on Community {
      code volunteerHoursThisMonth volunteerStations { id name isOpenNow onDutyNow { id } ledger(limit: 3) { id } }
      volunteerTeams { id memberCount } volunteerActivities { id fillRate shifts { taken } }
    } } }`;
    const teams = (n: number) => Array.from({ length: n }, (_, i) => ({ __typename: 'VolunteerTeam', id: `VT-Q-${i}` }));
    const communities = (n: number) => Array.from({ length: n }, (_, i) => ({ __typename: 'Community', code: `C-Q-${i}` }));
    const t10 = await commandsFor(TEAMS, { r: teams(10) });
    const t100 = await commandsFor(TEAMS, { r: teams(100) });
    const c10 = await commandsFor(COMMUNITIES, { r: communities(10) });
    const c100 = await commandsFor(COMMUNITIES, { r: communities(100) });
    console.log(`volunteers DB commands: VolunteerTeam ×10 ${t10}, ×100 ${t100}; Community ×10 ${c10}, ×100 ${c100}`);
    expect(t100).toBe(t10);
    expect(c100).toBe(c10);
    expect(t100).toBeLessThanOrEqual(8);
    expect(c100).toBeLessThanOrEqual(10);
  });

  it('the activity list with its children: same count for 10 and 100', async () => {
    const LIST = `query($n: Int) { volunteerActivities(limit: $n) { id fillRate waitlisted community { code } team { id name } shifts { taken waitlistCount } } }`;
    const l10 = await commandsFor(LIST, { n: 10 });
    const l100 = await commandsFor(LIST, { n: 100 });
    console.log(`volunteers DB commands: volunteerActivities ×10 ${l10}, ×100 ${l100}`);
    expect(l100).toBe(l10);
  });
});
