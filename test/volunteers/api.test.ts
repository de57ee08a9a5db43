import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import type { Models } from '../../subgraphs/volunteers/models';
import { adminViewer, communityWorkerViewer, residentViewer, staffViewer, type RunningSubgraph } from '../support/subgraph';
import { createActivity, errorOf, HOUR, NOW, objectId, registerResidents, SHUIBEI, SIGN_UP, startVolunteers, WATER } from './helpers';

let sg: RunningSubgraph;
let models: Models;
const A = residentViewer('R-A');
const B = residentViewer('R-B');
const C = residentViewer('R-C');
const D = residentViewer('R-D');

beforeAll(async () => {
  ({ sg, models } = await startVolunteers('vol_api'));
  await registerResidents(models, ['R-B', 'R-C', 'R-D']);
  await models.Team.create({ _id: 'VT-T1', name: '水贝河小二', kind: 'RIVER_PATROL', communityCode: SHUIBEI, imported: { roster: 10, hours: 100, patrols: 50, services: 50 } });
  await models.Team.create({ _id: 'VT-T2', name: '骑手队', kind: 'DELIVERY_RIDERS', communityCode: null, imported: { roster: 5, hours: 0, patrols: 0, services: 7 } });
  await models.Station.create({
    _id: 'US-T1', name: '水贝U站', communityCode: SHUIBEI, managerDepartmentId: 'ST-440303003', address: '水贝一路', lat: 22.569, lng: 114.127,
    openingHours: [{ weekdays: [1, 2, 3, 4, 5], opensAt: '09:00', closesAt: '12:00', volunteerIds: ['R-B'] }],
  });
});
afterAll(() => sg?.stop());
beforeEach(() => sg.setNow(NOW));

const signUp = (viewer = A, shiftId: string, key?: string) => sg.query(SIGN_UP, { shiftId, key }, viewer);
const SIGN_UP_FIELDS = 'id status waitlistPosition hours verifiedHours checkedInAt checkedOutAt';
const cancel = (viewer: typeof A, id: string) => sg.query(`mutation($id: ID!) { cancelVolunteerSignUp(id: $id) { ${SIGN_UP_FIELDS} } }`, { id }, viewer);
const checkIn = (viewer: typeof A, id: string) => sg.query(`mutation($id: ID!) { checkInVolunteer(signUpId: $id) { ${SIGN_UP_FIELDS} } }`, { id }, viewer);
const checkOut = (viewer: typeof A, id: string) => sg.query(`mutation($id: ID!) { checkOutVolunteer(signUpId: $id) { ${SIGN_UP_FIELDS} } }`, { id }, viewer);
const verify = (viewer: typeof A, id: string, hours?: number) =>
  sg.query(`mutation($id: ID!, $h: Float) { verifyVolunteerHours(signUpId: $id, hours: $h) { ${SIGN_UP_FIELDS} } }`, { id, h: hours }, viewer);
const statusOf = async (id: string) => (await models.SignUp.findById(id).lean())!.status;
const entities = (representations: unknown[], selection: string, viewer?: typeof A) =>
  sg.query(`query($r: [_Any!]!) { _entities(representations: $r) { ${selection} } }`, { r: representations }, viewer);

describe('registering and teams', () => {
  const REGISTER = 'mutation { registerVolunteer { verifiedHours starLevel joinedAt resident { id } } }';
  const JOIN = 'mutation($id: ID!) { joinVolunteerTeam(teamId: $id) { id memberCount members { id } } }';
  const LEAVE = 'mutation($id: ID!) { leaveVolunteerTeam(teamId: $id) { id memberCount } }';

  it('registers a resident once and refuses others', async () => {
    expect(errorOf(await sg.query(REGISTER))).toEqual({ code: 'UNAUTHENTICATED', field: undefined });
    expect(errorOf(await sg.query(REGISTER, {}, WATER))?.code).toBe('FORBIDDEN');
    expect(await models.Profile.countDocuments({ _id: 'R-A' })).toBe(0);
    expect(errorOf(await sg.query(JOIN, { id: 'VT-T1' }, A))?.code).toBe('CONFLICT');
    const first = await sg.query(REGISTER, {}, A);
    expect(first.data.registerVolunteer).toMatchObject({ verifiedHours: 0, starLevel: 0, resident: { id: 'R-A' } });
    sg.setNow(new Date(NOW.getTime() + HOUR));
    const again = await sg.query(REGISTER, {}, A);
    expect(again.data.registerVolunteer.joinedAt).toBe(first.data.registerVolunteer.joinedAt);
    expect(await models.Profile.countDocuments({ _id: 'R-A' })).toBe(1);
  });

  it('joins a team once, leaves it, and answers bad or unknown teams', async () => {
    expect(errorOf(await sg.query(JOIN, { id: 'no such team!' }, A))).toEqual({ code: 'BAD_USER_INPUT', field: 'teamId' });
    expect(errorOf(await sg.query(JOIN, { id: 'VT-NONE' }, A))?.code).toBe('NOT_FOUND');
    expect(errorOf(await sg.query(JOIN, { id: 'VT-T1' }, WATER))?.code).toBe('FORBIDDEN');
    expect((await sg.query(JOIN, { id: 'VT-T1' }, A)).data.joinVolunteerTeam).toEqual({ id: 'VT-T1', memberCount: 1, members: [{ id: 'R-A' }] });
    expect((await sg.query(JOIN, { id: 'VT-T1' }, A)).data.joinVolunteerTeam.memberCount).toBe(1);
    await sg.query(JOIN, { id: 'VT-T2' }, B);
    expect((await sg.query(LEAVE, { id: 'VT-T2' }, B)).data.leaveVolunteerTeam.memberCount).toBe(0);
    expect(errorOf(await sg.query(LEAVE, { id: 'VT-T2' }, B))?.code).toBe('CONFLICT');
    const profile = await entities([{ __typename: 'Resident', id: 'R-A' }], '... on Resident { volunteerProfile { teams { id } } }', A);
    expect(profile.data._entities[0].volunteerProfile.teams).toEqual([{ id: 'VT-T1' }]);
  });
});

describe('creating activities', () => {
  const input = (extra: Record<string, unknown> = {}) => ({
    title: '水贝U站值守', description: '便民服务', communityCode: SHUIBEI,
    shifts: [{ startsAt: new Date(NOW.getTime() + 24 * HOUR).toISOString(), endsAt: new Date(NOW.getTime() + 27 * HOUR).toISOString(), capacity: 3 }],
    ...extra,
  });
  const CREATE = 'mutation($input: CreateVolunteerActivityInput!) { createVolunteerActivity(input: $input) { id organiser { id } community { code } team { id } station { id } capacity fillRate } }';

  it('lets staff, community workers and admins create, and refuses residents and anonymous callers', async () => {
    const before = await models.Activity.countDocuments();
    expect(errorOf(await sg.query(CREATE, { input: input() }))?.code).toBe('UNAUTHENTICATED');
    expect(errorOf(await sg.query(CREATE, { input: input() }, A))?.code).toBe('FORBIDDEN');
    expect(errorOf(await sg.query(CREATE, { input: input({ title: '' }) }, WATER))).toEqual({ code: 'BAD_USER_INPUT', field: 'input.title' });
    expect(errorOf(await sg.query(CREATE, { input: input({ teamId: 'VT-NONE' }) }, WATER))).toEqual({ code: 'BAD_USER_INPUT', field: 'input.teamId' });
    expect(errorOf(await sg.query(CREATE, { input: input({ stationId: 'US-NONE' }) }, WATER))).toEqual({ code: 'BAD_USER_INPUT', field: 'input.stationId' });
    expect(errorOf(await sg.query(CREATE, { input: input({ communityCode: '440303003002', stationId: 'US-T1' }) }, WATER))?.field).toBe('input.stationId');
    expect(await models.Activity.countDocuments()).toBe(before);
    expect(await models.Shift.countDocuments({ startsAt: new Date(NOW.getTime() + 24 * HOUR) })).toBe(0);

    const staff = await sg.query(CREATE, { input: input({ teamId: 'VT-T1', stationId: 'US-T1' }) }, WATER);
    expect(staff.data.createVolunteerActivity).toMatchObject({ organiser: { id: 'LH-WATER' }, community: { code: SHUIBEI }, team: { id: 'VT-T1' }, station: { id: 'US-T1' }, capacity: 3, fillRate: 0 });
    const worker = await sg.query(CREATE, { input: input() }, communityWorkerViewer(SHUIBEI));
    expect(worker.data.createVolunteerActivity.organiser.id).toBe('ST-440303003');
    const admin = await sg.query(CREATE, { input: input({ organiserId: 'LH-CIVIL' }) }, adminViewer);
    expect(admin.data.createVolunteerActivity.organiser.id).toBe('LH-CIVIL');
  });

  it('returns the first activity for a repeated idempotency key', async () => {
    const first = await sg.query(CREATE, { input: input({ idempotencyKey: 'create-activity-0001' }) }, WATER);
    const again = await sg.query(CREATE, { input: input({ idempotencyKey: 'create-activity-0001', title: '另一个' }) }, WATER);
    expect(again.data.createVolunteerActivity.id).toBe(first.data.createVolunteerActivity.id);
    expect(await models.Activity.countDocuments({ idempotencyKey: 'create-activity-0001' })).toBe(1);
  });
});

describe('the sign-up state machine', () => {
  let shiftId: string;
  let activityId: string;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    const activity = await createActivity(sg, [{ startsInHours: 24, capacity: 2 }], { teamId: 'VT-T1' });
    activityId = activity.id;
    shiftId = activity.shifts[0].id;
  });

  it('confirms while places last, then waitlists in order; refuses duplicates, bad ids and unknown shifts', async () => {
    expect(errorOf(await signUp(A, 'not-an-id'))).toEqual({ code: 'BAD_USER_INPUT', field: 'shiftId' });
    expect(errorOf(await signUp(A, objectId()))?.code).toBe('NOT_FOUND');
    expect(errorOf(await signUp(A, shiftId, 'bad key'))).toEqual({ code: 'BAD_USER_INPUT', field: 'idempotencyKey' });
    expect(errorOf(await signUp(WATER, shiftId))?.code).toBe('FORBIDDEN');
    expect(errorOf(await signUp(residentViewer('R-UNREGISTERED'), shiftId))?.code).toBe('CONFLICT');
    const a = await signUp(A, shiftId, 'signup-key-0001');
    expect(a.data.signUpForShift).toMatchObject({ status: 'CONFIRMED', waitlistPosition: null });
    ids.A = a.data.signUpForShift.id;
    expect((await signUp(A, shiftId, 'signup-key-0001')).data.signUpForShift.id).toBe(ids.A);
    expect(errorOf(await signUp(A, shiftId))?.code).toBe('CONFLICT');
    ids.B = (await signUp(B, shiftId)).data.signUpForShift.id;
    const c = await signUp(C, shiftId);
    const d = await signUp(D, shiftId);
    expect(c.data.signUpForShift).toMatchObject({ status: 'WAITLISTED', waitlistPosition: 1 });
    expect(d.data.signUpForShift).toMatchObject({ status: 'WAITLISTED', waitlistPosition: 2 });
    ids.C = c.data.signUpForShift.id;
    ids.D = d.data.signUpForShift.id;
    const act = await sg.query('query($id: ID!) { volunteerActivity(id: $id) { capacity signedUp fillRate waitlisted shifts { taken waitlistCount } } }', { id: activityId });
    expect(act.data.volunteerActivity).toEqual({ capacity: 2, signedUp: 2, fillRate: 1, waitlisted: 2, shifts: [{ taken: 2, waitlistCount: 2 }] });
    expect(await models.SignUp.countDocuments({ shiftId })).toBe(4);
  });

  it('cancelling a confirmed place promotes the first waitlisted; only the volunteer or an organiser may cancel', async () => {
    expect(errorOf(await cancel(B, ids.A))?.code).toBe('FORBIDDEN');
    expect(errorOf(await cancel(A, objectId()))?.code).toBe('NOT_FOUND');
    expect((await cancel(A, ids.A)).data.cancelVolunteerSignUp.status).toBe('CANCELLED');
    expect(await statusOf(ids.C)).toBe('CONFIRMED');
    const d = await sg.query(`query($r: [_Any!]!) { _entities(representations: $r) { ... on Resident { volunteerSignUps { id status waitlistPosition } } } }`, { r: [{ __typename: 'Resident', id: 'R-D' }] }, D);
    expect(d.data._entities[0].volunteerSignUps).toEqual([{ id: ids.D, status: 'WAITLISTED', waitlistPosition: 1 }]);
    expect(errorOf(await cancel(A, ids.A))?.code).toBe('CONFLICT');
    expect(await models.Place.countDocuments({ shiftId })).toBe(2);
  });

  it('signing up again after cancelling reopens the same sign-up at the back of the line', async () => {
    const again = await signUp(A, shiftId);
    expect(again.data.signUpForShift).toEqual({ id: ids.A, status: 'WAITLISTED', waitlistPosition: 2 });
    expect((await cancel(WATER, ids.A)).data.cancelVolunteerSignUp.status).toBe('CANCELLED');
    expect(await statusOf(ids.D)).toBe('WAITLISTED');
  });

  it('checks in only inside the window, by the volunteer or an organiser', async () => {
    expect(errorOf(await checkIn(B, ids.B))?.code).toBe('CONFLICT'); // a day early
    sg.setNow(new Date(NOW.getTime() + 23.6 * HOUR));
    expect(errorOf(await checkIn(C, ids.B))?.code).toBe('FORBIDDEN');
    expect(errorOf(await checkIn(staffViewer('LH-URBAN'), ids.B))?.code).toBe('FORBIDDEN');
    expect(errorOf(await checkIn(D, ids.D))?.code).toBe('CONFLICT'); // waitlisted
    expect(errorOf(await checkOut(B, ids.B))?.code).toBe('CONFLICT'); // not checked in
    expect((await checkIn(B, ids.B)).data.checkInVolunteer.status).toBe('CHECKED_IN');
    expect(errorOf(await checkIn(B, ids.B))?.code).toBe('CONFLICT');
    expect((await checkIn(WATER, ids.C)).data.checkInVolunteer.status).toBe('CHECKED_IN');
    expect(errorOf(await cancel(B, ids.B))?.code).toBe('CONFLICT');
  });

  it('checks out with hours inside the shift, and verifies them exactly once', async () => {
    expect(errorOf(await verify(WATER, ids.B))?.code).toBe('CONFLICT'); // still checked in
    sg.setNow(new Date(NOW.getTime() + 26.5 * HOUR)); // shift 24h-27h, checked in at 23.6h
    expect(errorOf(await cancel(D, ids.D))?.code).toBe('CONFLICT'); // the shift has started
    expect((await checkOut(B, ids.B)).data.checkOutVolunteer).toMatchObject({ status: 'CHECKED_OUT', hours: 2.5 });
    expect(errorOf(await checkOut(B, ids.B))?.code).toBe('CONFLICT');
    sg.setNow(new Date(NOW.getTime() + 30 * HOUR)); // past the volunteer's 2-hour grace
    expect(errorOf(await checkOut(C, ids.C))?.code).toBe('CONFLICT');
    expect((await checkOut(WATER, ids.C)).data.checkOutVolunteer.hours).toBe(3);

    const pending = await entities([{ __typename: 'Resident', id: 'R-B' }], '... on Resident { volunteerProfile { pendingHours verifiedHours } }', B);
    expect(pending.data._entities[0].volunteerProfile).toEqual({ pendingHours: 2.5, verifiedHours: 0 });
    expect(errorOf(await verify(B, ids.B))?.code).toBe('FORBIDDEN');
    expect(errorOf(await verify(staffViewer('LH-URBAN'), ids.B))?.code).toBe('FORBIDDEN');
    expect(errorOf(await verify(WATER, ids.B, 3.5))).toEqual({ code: 'BAD_USER_INPUT', field: 'hours' });
    expect(await statusOf(ids.B)).toBe('CHECKED_OUT');

    const both = await Promise.all([verify(WATER, ids.B), verify(adminViewer, ids.B)]);
    expect(both.filter((r) => !r.errors).length).toBe(1);
    expect(both.filter((r) => errorOf(r)?.code === 'CONFLICT').length).toBe(1);
    expect(errorOf(await verify(WATER, ids.B))?.code).toBe('CONFLICT');
    expect((await verify(communityWorkerViewer(SHUIBEI), ids.C, 2.75)).data.verifyVolunteerHours.verifiedHours).toBe(2.75);

    const profile = await entities([{ __typename: 'Resident', id: 'R-B' }], '... on Resident { volunteerProfile { pendingHours verifiedHours } }', B);
    expect(profile.data._entities[0].volunteerProfile).toEqual({ pendingHours: 0, verifiedHours: 2.5 });
    const community = await entities([{ __typename: 'Community', code: SHUIBEI }], '... on Community { volunteerHoursThisMonth }');
    expect(community.data._entities[0].volunteerHoursThisMonth).toBe(5.25);
    const team = await sg.query('{ volunteerTeam(id: "VT-T1") { hoursCredited patrols servicesCount registeredVolunteers } }');
    expect(team.data.volunteerTeam).toEqual({ hoursCredited: 105.25, patrols: 52, servicesCount: 52, registeredVolunteers: 11 });
  });

  it('lists an activity’s sign-ups for its organisers only', async () => {
    const Q = 'query($id: ID!) { volunteerActivity(id: $id) { signUps(status: VERIFIED) { resident { id } verifiedHours } } }';
    expect(errorOf(await sg.query(Q, { id: activityId }))?.code).toBe('UNAUTHENTICATED');
    expect(errorOf(await sg.query(Q, { id: activityId }, A))?.code).toBe('FORBIDDEN');
    const res = await sg.query(Q, { id: activityId }, WATER);
    expect(res.data.volunteerActivity.signUps).toEqual([{ resident: { id: 'R-B' }, verifiedHours: 2.5 }, { resident: { id: 'R-C' }, verifiedHours: 2.75 }]);
  });
});

describe('volunteer profiles through _entities', () => {
  const SELECTION = '... on Resident { id volunteerProfile { verifiedHours starLevel hoursToNextStar nextStarLevel } }';

  it.each([
    [99.9, 0, 0.1],
    [100, 1, 200],
    [1499, 4, 1],
    [1500, 5, null],
    [2000, 5, null],
  ])('%p hours → %p stars, %p to the next', async (hours, stars, toNext) => {
    const id = `R-STAR-${hours}`;
    await registerResidents(models, [id], hours);
    const res = await entities([{ __typename: 'Resident', id }], SELECTION, residentViewer(id));
    expect(res.errors).toBeUndefined();
    expect(res.data._entities[0].volunteerProfile).toMatchObject({ verifiedHours: hours, starLevel: stars, hoursToNextStar: toNext });
  });

  it('shows a profile to the resident, admins and their organisers only', async () => {
    const rep = [{ __typename: 'Resident', id: 'R-B' }];
    expect((await entities(rep, SELECTION, adminViewer)).data._entities[0].volunteerProfile.verifiedHours).toBe(2.5);
    expect((await entities(rep, SELECTION, WATER)).data._entities[0].volunteerProfile.verifiedHours).toBe(2.5);
    expect(errorOf(await entities(rep, SELECTION, staffViewer('LH-URBAN')))?.code).toBe('FORBIDDEN');
    expect(errorOf(await entities(rep, SELECTION, C))?.code).toBe('FORBIDDEN');
    expect(errorOf(await entities(rep, SELECTION))?.code).toBe('UNAUTHENTICATED');
    expect((await entities([{ __typename: 'Resident', id: 'R-NOBODY' }], SELECTION, residentViewer('R-NOBODY'))).data._entities[0].volunteerProfile).toBeNull();
  });
});

describe('U-stations', () => {
  const RECORD = 'mutation($s: ID!, $d: String!, $n: Int!, $k: String) { recordStationService(stationId: $s, description: $d, peopleServed: $n, idempotencyKey: $k) { id peopleServed volunteer { id } station { id } } }';

  it('records services by the volunteer on duty or the street office, once per key', async () => {
    const ok = await sg.query(RECORD, { s: 'US-T1', d: '为长者指路', n: 2, k: 'ledger-key-0001' }, B); // Tuesday 10:00, B on duty
    expect(ok.data.recordStationService).toMatchObject({ peopleServed: 2, volunteer: { id: 'R-B' }, station: { id: 'US-T1' } });
    const again = await sg.query(RECORD, { s: 'US-T1', d: '为长者指路', n: 2, k: 'ledger-key-0001' }, B);
    expect(again.data.recordStationService.id).toBe(ok.data.recordStationService.id);
    expect(errorOf(await sg.query(RECORD, { s: 'US-T1', d: 'x', n: 1 }, A))?.code).toBe('FORBIDDEN'); // not on duty
    sg.setNow(new Date(NOW.getTime() + 4 * HOUR)); // 14:00, closed
    expect(errorOf(await sg.query(RECORD, { s: 'US-T1', d: 'x', n: 1 }, B))?.code).toBe('FORBIDDEN');
    expect((await sg.query(RECORD, { s: 'US-T1', d: '发放宣传资料', n: 30 }, staffViewer('ST-440303003'))).data.recordStationService.volunteer).toBeNull();
    expect(errorOf(await sg.query(RECORD, { s: 'US-T1', d: 'x', n: 1 }, WATER))?.code).toBe('FORBIDDEN');
    expect(errorOf(await sg.query(RECORD, { s: 'US-T1', d: 'x', n: 1 }))?.code).toBe('UNAUTHENTICATED');
    expect(errorOf(await sg.query(RECORD, { s: 'US-NONE', d: 'x', n: 1 }, adminViewer))?.code).toBe('NOT_FOUND');
    expect(errorOf(await sg.query(RECORD, { s: 'US-T1', d: 'x', n: 0 }, adminViewer))).toEqual({ code: 'BAD_USER_INPUT', field: 'peopleServed' });
    expect(errorOf(await sg.query(RECORD, { s: 'US-T1', d: '  ', n: 1 }, adminViewer))).toEqual({ code: 'BAD_USER_INPUT', field: 'description' });
    expect(await models.LedgerEntry.countDocuments({ stationId: 'US-T1' })).toBe(2);
  });

  it('answers the station queries with duty, ledger and community', async () => {
    const STATIONS = `{
      volunteerStations(communityCode: "${SHUIBEI}") { id name community { code } isOpenNow onDutyNow { id } openingHours { weekdays opensAt closesAt onDuty { id } } ledger(limit: 1) { description peopleServed } }
      volunteerStation(id: "US-T1") { id lat lng address }
    }`;
    // Anonymous callers see no people (shared/subgraph/privacy.ts): the rosters are empty for them.
    const anonymous = await sg.query(STATIONS);
    expect(anonymous.errors).toBeUndefined();
    expect(anonymous.data.volunteerStations[0]).toMatchObject({ id: 'US-T1', onDutyNow: [], openingHours: [{ onDuty: [] }] });
    const res = await sg.query(STATIONS, {}, A);
    expect(res.errors).toBeUndefined();
    expect(res.data.volunteerStations).toEqual([{
      id: 'US-T1', name: '水贝U站', community: { code: SHUIBEI }, isOpenNow: true, onDutyNow: [{ id: 'R-B' }],
      openingHours: [{ weekdays: [1, 2, 3, 4, 5], opensAt: '09:00', closesAt: '12:00', onDuty: [{ id: 'R-B' }] }],
      ledger: [{ description: expect.any(String), peopleServed: expect.any(Number) }],
    }]);
    expect(res.data.volunteerStation).toEqual({ id: 'US-T1', lat: 22.569, lng: 114.127, address: '水贝一路' });
    expect(errorOf(await sg.query('{ volunteerStation(id: "US-T1") { ledger(limit: 101) { id } } }'))).toEqual({ code: 'BAD_USER_INPUT', field: 'limit' });
  });
});

describe('queries and entities', () => {
  it('filters teams and activities', async () => {
    const res = await sg.query(`{
      rivers: volunteerTeams(kind: RIVER_PATROL) { id kind community { code } }
      shuibei: volunteerTeams(communityCode: "${SHUIBEI}") { id }
      riders: volunteerTeam(id: "VT-T2") { patrols servicesCount community { code } }
      missing: volunteerTeam(id: "VT-NONE") { id }
      acts: volunteerActivities(teamId: "VT-T1", upcoming: false) { id team { id } }
      upcoming: volunteerActivities(communityCode: "${SHUIBEI}") { startsAt }
    }`);
    expect(res.errors).toBeUndefined();
    expect(res.data.rivers).toEqual([{ id: 'VT-T1', kind: 'RIVER_PATROL', community: { code: SHUIBEI } }]);
    expect(res.data.shuibei).toEqual([{ id: 'VT-T1' }]);
    expect(res.data.riders).toEqual({ patrols: null, servicesCount: 7, community: null });
    expect(res.data.missing).toBeNull();
    expect(res.data.acts.length).toBeGreaterThanOrEqual(2);
    const starts = res.data.upcoming.map((a: { startsAt: string }) => a.startsAt);
    expect([...starts].sort()).toEqual(starts);
    expect(errorOf(await sg.query('{ volunteerActivity(id: "nope") { id } }'))).toEqual({ code: 'BAD_USER_INPUT', field: 'id' });
    expect(errorOf(await sg.query('{ volunteerActivities(limit: 0) { id } }'))).toEqual({ code: 'BAD_USER_INPUT', field: 'limit' });
  });

  it('resolves every entity type from its key', async () => {
    sg.setNow(new Date(NOW.getTime() + 31 * HOUR)); // after the hours above were verified
    const activity = await models.Activity.findOne({ teamId: 'VT-T1' }).lean();
    const res = await entities(
      [
        { __typename: 'Community', code: SHUIBEI },
        { __typename: 'VolunteerTeam', id: 'VT-T1' },
        { __typename: 'VolunteerStation', id: 'US-T1' },
        { __typename: 'VolunteerActivity', id: String(activity!._id) },
        { __typename: 'Department', id: 'LH-WATER' },
        { __typename: 'VolunteerTeam', id: 'VT-NONE' },
      ],
      `... on Community { code volunteerStations { id name } volunteerHoursThisMonth volunteerTeams { id } volunteerActivities(upcoming: false) { id } }
       ... on VolunteerTeam { id name memberCount }
       ... on VolunteerStation { id name }
       ... on VolunteerActivity { id title organiser { id } }
       ... on Department { id organisedVolunteerActivities(upcoming: false) { id } }`,
    );
    expect(res.errors).toBeUndefined();
    const [community, team, station, act, dept, missing] = res.data._entities;
    expect(community).toMatchObject({ code: SHUIBEI, volunteerStations: [{ id: 'US-T1', name: '水贝U站' }], volunteerHoursThisMonth: 5.25, volunteerTeams: [{ id: 'VT-T1' }] });
    expect(community.volunteerActivities.length).toBeGreaterThan(0);
    expect(team).toEqual({ id: 'VT-T1', name: '水贝河小二', memberCount: 1 });
    expect(station).toEqual({ id: 'US-T1', name: '水贝U站' });
    expect(act).toEqual({ id: String(activity!._id), title: activity!.title, organiser: { id: 'LH-WATER' } });
    expect(dept.organisedVolunteerActivities.map((a: { id: string }) => a.id)).toContain(String(activity!._id));
    expect(missing).toBeNull();
  });
});

describe('subscriptions', () => {
  it('publishes the activity with fresh counts when sign-ups change', async () => {
    const activity = await createActivity(sg, [{ startsInHours: 48, capacity: 1 }]);
    const client = createClient({ url: sg.url.replace('http', 'ws') + '/graphql', webSocketImpl: WebSocket, lazy: false });
    const events: Array<{ signedUp: number; waitlisted: number }> = [];
    const done = new Promise<void>((resolve, reject) => {
      client.subscribe<{ volunteerActivityChanged: { signedUp: number; waitlisted: number } }>(
        { query: `subscription { volunteerActivityChanged(activityId: "${activity.id}") { signedUp waitlisted } }` },
        {
          next: ({ data }) => {
            events.push(data!.volunteerActivityChanged);
            if (events.length === 2) resolve();
          },
          error: reject,
          complete: () => {},
        },
      );
    });
    await new Promise((r) => setTimeout(r, 200));
    await signUp(B, activity.shifts[0].id);
    await signUp(C, activity.shifts[0].id);
    await done;
    await client.dispose();
    expect(events).toEqual([{ signedUp: 1, waitlisted: 0 }, { signedUp: 1, waitlisted: 1 }]);
  });
});
