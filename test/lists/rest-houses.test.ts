import { DEMO_RESIDENT_ID } from '../../shared/dev/demo';
import { startGraph, type RunningGraph } from '../support/graph';

/**
 * 歇脚屋 (Longhua's rest houses for delivery riders) and the admins' U-station, roster and team
 * lists, through the gateway, on a fake clock: Wednesday 2 December 2026, 10:00 in Shenzhen.
 */
const WED_10 = new Date('2026-12-02T02:00:00Z');
const local = (iso: string) => new Date(`${iso}+08:00`);
let now = WED_10;
let graph: RunningGraph;
let admin: string;
let staff: string;
let resident: string;

const BEIZHAN = { lat: 22.61, lng: 114.029 };
const NEAR = `query ($lat: Float!, $lng: Float!, $radiusMeters: Int!, $kind: VolunteerStationKind, $open24h: Boolean, $openNow: Boolean, $amenities: [VolunteerStationAmenity!]) {
  volunteerStationsNear(lat: $lat, lng: $lng, radiusMeters: $radiusMeters, kind: $kind, open24h: $open24h, openNow: $openNow, amenities: $amenities) {
    id name kind distanceMeters open24h unattended isOpenNow amenities community { code } programmes { kind title schedule }
  }
}`;
const CREATE_STATION = `mutation ($input: CreateVolunteerStationInput!) { createVolunteerStation(input: $input) { id kind open24h isOpenNow openingHours { weekdays opensAt closesAt } } }`;
const SET_HOURS = `mutation ($id: ID!, $hours: [VolunteerStationHoursInput!]!) { setVolunteerStationHours(id: $id, hours: $hours) { id openingHours { weekdays opensAt closesAt onDuty { id } } } }`;
const CLOSE_STATION = `mutation ($id: ID!) { closeVolunteerStation(id: $id) { id closed isOpenNow } }`;
const UPDATE_STATION = `mutation ($id: ID!, $input: UpdateVolunteerStationInput!) { updateVolunteerStation(id: $id, input: $input) { id amenities unattended } }`;
const CREATE_TEAM = `mutation ($input: CreateVolunteerTeamInput!) { createVolunteerTeam(input: $input) { id name kind closed community { code } } }`;
const CLOSE_TEAM = `mutation ($id: ID!) { closeVolunteerTeam(id: $id) { id closed } }`;
const JOIN = `mutation ($teamId: ID!) { joinVolunteerTeam(teamId: $teamId) { id } }`;
const AUDIT = `query ($entityId: ID) { volunteerAuditLog(entityId: $entityId) { actor actorRole action entityType entityId before after } }`;
const ids = (res: any) => res.data.volunteerStationsNear.map((s: any) => s.id);
const ext = (res: { errors?: Array<{ extensions?: Record<string, any> }> }) => res.errors?.[0]?.extensions ?? {};

beforeAll(async () => {
  graph = await startGraph({ now: WED_10, clock: () => now });
  admin = graph.token({ role: 'admin', subject: 'admin-zhao' });
  staff = graph.token({ role: 'staff', subject: 'staff-LHUA-URBAN', departmentId: 'LHUA-URBAN' });
  resident = graph.token({ role: 'resident', subject: DEMO_RESIDENT_ID, residentId: DEMO_RESIDENT_ID });
}, 120000);
afterAll(() => graph?.stop());
beforeEach(() => {
  now = WED_10;
});

describe('歇脚屋 near a point', () => {
  it("lists Longhua's rest houses around 北站社区, nearest first, with amenities, 24-hour opening and programmes", async () => {
    const res = await graph.query(NEAR, { ...BEIZHAN, radiusMeters: 1500, kind: 'REST_HOUSE' });
    expect(res.errors).toBeUndefined();
    const houses = res.data.volunteerStationsNear;
    expect(houses.map((h: any) => h.id).sort()).toEqual(['RH-LHUA-01', 'RH-LHUA-02', 'RH-LHUA-03', 'RH-LHUA-04', 'RH-LHUA-05']);
    const distances = houses.map((h: any) => h.distanceMeters);
    expect(distances).toEqual([...distances].sort((a: number, b: number) => a - b));
    expect(houses[0]).toMatchObject({ id: 'RH-LHUA-01', kind: 'REST_HOUSE', open24h: true, unattended: true, isOpenNow: true, community: { code: '440309001001' } });
    expect(houses[0].amenities).toEqual(expect.arrayContaining(['CHARGING', 'DRINKING_WATER', 'MICROWAVE', 'WIFI']));
    expect(houses[0].programmes.map((p: any) => p.kind)).toEqual(['ACTIVITY', 'TRAINING']);
    expect(houses.every((h: any) => h.kind === 'REST_HOUSE')).toBe(true);
    // A smaller radius keeps only the closest.
    expect(ids(await graph.query(NEAR, { ...BEIZHAN, radiusMeters: 100, kind: 'REST_HOUSE' }))).toEqual(['RH-LHUA-01']);
  });

  it('filters by 24-hour opening, by amenities (all of them) and by open now', async () => {
    const allDay = ids(await graph.query(NEAR, { ...BEIZHAN, radiusMeters: 1500, kind: 'REST_HOUSE', open24h: true }));
    expect(allDay).not.toContain('RH-LHUA-04');
    expect(allDay).toHaveLength(4);
    const microwave = ids(await graph.query(NEAR, { ...BEIZHAN, radiusMeters: 1500, amenities: ['MICROWAVE'] }));
    expect(microwave.sort()).toEqual(['RH-LHUA-01', 'RH-LHUA-02', 'RH-LHUA-04', 'RH-LHUA-05']);
    const chargeAndHeat = ids(await graph.query(NEAR, { ...BEIZHAN, radiusMeters: 1500, amenities: ['CHARGING', 'MICROWAVE'] }));
    expect(chargeAndHeat.sort()).toEqual(['RH-LHUA-01', 'RH-LHUA-02', 'RH-LHUA-05']);
    // 23:00: the industrial-park house (08:00–22:00) has closed; the unattended ones have not.
    now = local('2026-12-02T23:00:00');
    const lateNight = ids(await graph.query(NEAR, { ...BEIZHAN, radiusMeters: 1500, kind: 'REST_HOUSE', openNow: true }));
    expect(lateNight.sort()).toEqual(['RH-LHUA-01', 'RH-LHUA-02', 'RH-LHUA-03', 'RH-LHUA-05']);
    // Another radius: the gateway may reuse the 23:00 answer for 5 s (cache hint), the clock is fake.
    now = local('2026-12-02T12:00:00');
    expect(ids(await graph.query(NEAR, { ...BEIZHAN, radiusMeters: 1501, kind: 'REST_HOUSE', openNow: true }))).toHaveLength(5);
  });

  it('U-stations are a kind of their own; bad input names the field', async () => {
    const shuibei = ids(await graph.query(NEAR, { lat: 22.5693, lng: 114.1272, radiusMeters: 2000, kind: 'U_STATION' }));
    expect(shuibei).toEqual(expect.arrayContaining(['US-SHUIBEI-01', 'US-CUIZHU-01']));
    expect(shuibei.some((id: string) => id.startsWith('RH-'))).toBe(false);
    expect(ext(await graph.query(NEAR, { ...BEIZHAN, radiusMeters: 0 }))).toMatchObject({ code: 'BAD_USER_INPUT', field: 'radiusMeters' });
    expect(ext(await graph.query(NEAR, { ...BEIZHAN, radiusMeters: 50000 }))).toMatchObject({ code: 'BAD_USER_INPUT', field: 'radiusMeters' });
    const list = await graph.query('query { volunteerStations(kind: REST_HOUSE) { id } }');
    expect(list.data.volunteerStations).toHaveLength(5);
  });
});

describe('admins run stations, rosters and teams', () => {
  const HOUSE = {
    id: 'RH-LHUA-06', kind: 'REST_HOUSE', name: '龙华区"歇脚屋"·民治大道站', communityCode: '440309001001', managerDepartmentId: 'ST-440309001',
    address: '龙华区民治街道民治大道与留仙大道交汇处', lat: 22.6131, lng: 114.0301, open24h: true, unattended: true, amenities: ['CHARGING', 'DRINKING_WATER'],
    programmes: [{ kind: 'TRAINING', title: '急救技能培训', schedule: '每月一次' }],
  };

  it('an admin opens a new 歇脚屋, which is found near the point at once; others are refused', async () => {
    expect(ext(await graph.query(CREATE_STATION, { input: HOUSE }, staff)).code).toBe('FORBIDDEN');
    expect(ext(await graph.query(CREATE_STATION, { input: { ...HOUSE, id: 'US-LHUA-06' } }, admin))).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.id' });
    expect(ext(await graph.query(CREATE_STATION, { input: { ...HOUSE, communityCode: '440309001999' } }, admin))).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.communityCode' });
    expect(ext(await graph.query(CREATE_STATION, { input: { ...HOUSE, lat: 40 } }, admin))).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.lat' });
    const res = await graph.query(CREATE_STATION, { input: HOUSE }, admin);
    expect(res.errors).toBeUndefined();
    expect(res.data.createVolunteerStation).toMatchObject({ id: 'RH-LHUA-06', kind: 'REST_HOUSE', open24h: true, isOpenNow: true, openingHours: [{ weekdays: [1, 2, 3, 4, 5, 6, 7], opensAt: '00:00', closesAt: '00:00' }] });
    // Radii differ between tests so that no cached answer (5 s hint) is read.
    expect(ids(await graph.query(NEAR, { ...BEIZHAN, radiusMeters: 1503, kind: 'REST_HOUSE' }))).toContain('RH-LHUA-06');
    expect(ext(await graph.query(CREATE_STATION, { input: HOUSE }, admin))).toMatchObject({ code: 'CONFLICT', field: 'input.id' });
    const updated = await graph.query(UPDATE_STATION, { id: 'RH-LHUA-06', input: { amenities: ['CHARGING', 'DRINKING_WATER', 'MICROWAVE'] } }, admin);
    expect(updated.data.updateVolunteerStation.amenities).toEqual(['CHARGING', 'DRINKING_WATER', 'MICROWAVE']);
  });

  it('a roster change that takes a volunteer off the period they are on duty in now is refused; other changes pass', async () => {
    // Wednesday 10:00: the Shuibei U-station's morning period (09:00–12:00) has the demo resident and R-0002 on duty.
    const dropDemo = [
      { weekdays: [1, 2, 3, 4, 5], opensAt: '09:00', closesAt: '12:00', volunteerIds: ['R-0002'] },
      { weekdays: [6, 7], opensAt: '09:00', closesAt: '17:00', volunteerIds: [] },
    ];
    const refused = await graph.query(SET_HOURS, { id: 'US-SHUIBEI-01', hours: dropDemo }, admin);
    expect(ext(refused)).toMatchObject({ code: 'CONFLICT', field: 'hours', volunteerIds: [DEMO_RESIDENT_ID] });
    expect(ext(await graph.query(SET_HOURS, { id: 'US-SHUIBEI-01', hours: [{ weekdays: [1, 1], opensAt: '09:00', closesAt: '12:00' }] }, admin))).toMatchObject({ code: 'BAD_USER_INPUT', field: 'hours.0.weekdays' });
    expect(ext(await graph.query(SET_HOURS, { id: 'US-SHUIBEI-01', hours: [{ weekdays: [3], opensAt: '9:00', closesAt: '12:00' }] }, admin))).toMatchObject({ code: 'BAD_USER_INPUT', field: 'hours.0.opensAt' });
    const unknown = [{ weekdays: [1, 2, 3, 4, 5], opensAt: '09:00', closesAt: '12:00', volunteerIds: [DEMO_RESIDENT_ID, 'R-0002', 'R-NOBODY'] }];
    expect(ext(await graph.query(SET_HOURS, { id: 'US-SHUIBEI-01', hours: unknown }, admin))).toMatchObject({ code: 'BAD_USER_INPUT', field: 'hours.0.volunteerIds.2' });

    // Dropping the afternoon period while R-0003 is on its roster is refused; emptying its roster is not.
    const noAfternoon = [
      { weekdays: [1, 2, 3, 4, 5], opensAt: '09:00', closesAt: '12:00', volunteerIds: [DEMO_RESIDENT_ID, 'R-0002'] },
      { weekdays: [6, 7], opensAt: '09:00', closesAt: '17:00', volunteerIds: ['R-0002'] },
    ];
    expect(ext(await graph.query(SET_HOURS, { id: 'US-SHUIBEI-01', hours: noAfternoon }, admin))).toMatchObject({
      code: 'CONFLICT', field: 'hours', period: '1,2,3,4,5@14:00-18:00', volunteerIds: ['R-0003'],
    });
    const kept = [...noAfternoon, { weekdays: [1, 2, 3, 4, 5], opensAt: '14:00', closesAt: '18:00', volunteerIds: [] }];
    const ok = await graph.query(SET_HOURS, { id: 'US-SHUIBEI-01', hours: kept }, resident);
    expect(ext(ok).code).toBe('FORBIDDEN');
    const done = await graph.query(SET_HOURS, { id: 'US-SHUIBEI-01', hours: kept }, admin);
    expect(done.errors).toBeUndefined();
    expect(done.data.setVolunteerStationHours.openingHours).toHaveLength(3);
    // After the morning period, the demo resident may come off it, and the empty afternoon period go.
    now = local('2026-12-02T13:00:00');
    expect((await graph.query(SET_HOURS, { id: 'US-SHUIBEI-01', hours: dropDemo }, admin)).errors).toBeUndefined();
  });

  it('a station with activities not yet ended is not closed; a closed one leaves the search and takes no ledger lines', async () => {
    const busy = await graph.query(CLOSE_STATION, { id: 'US-SHUIBEI-01' }, admin);
    expect(ext(busy)).toMatchObject({ code: 'CONFLICT', field: 'id' });
    expect(ext(busy).activities).toBeGreaterThanOrEqual(1);
    const closed = await graph.query(CLOSE_STATION, { id: 'RH-LHUA-06' }, admin);
    expect(closed.data.closeVolunteerStation).toEqual({ id: 'RH-LHUA-06', closed: true, isOpenNow: false });
    expect(ids(await graph.query(NEAR, { ...BEIZHAN, radiusMeters: 1504, kind: 'REST_HOUSE' }))).not.toContain('RH-LHUA-06');
    const ledger = await graph.query('mutation { recordStationService(stationId: "RH-LHUA-06", description: "为骑手提供充电", peopleServed: 3) { id } }', {}, admin);
    expect(ext(ledger)).toMatchObject({ code: 'CONFLICT', field: 'stationId' });
  });

  it('teams: created, refused to close while activities are ahead, closed to new members', async () => {
    const team = { id: 'VT-BEE-06', name: '民治"小蜜蜂"骑手志愿服务队', kind: 'DELIVERY_RIDERS', communityCode: '440309001001', description: '歇脚屋骑手急救志愿服务。' };
    expect(ext(await graph.query(CREATE_TEAM, { input: team }, staff)).code).toBe('FORBIDDEN');
    expect(ext(await graph.query(CREATE_TEAM, { input: { ...team, kind: 'PARTY' } }, admin)).code).toBe('BAD_USER_INPUT');
    expect((await graph.query(CREATE_TEAM, { input: team }, admin)).data.createVolunteerTeam).toEqual({ id: 'VT-BEE-06', name: team.name, kind: 'DELIVERY_RIDERS', closed: false, community: { code: '440309001001' } });
    const busy = await graph.query(CLOSE_TEAM, { id: 'VT-RP-SHUIBEI' }, admin);
    expect(ext(busy)).toMatchObject({ code: 'CONFLICT', field: 'id' });
    expect((await graph.query(CLOSE_TEAM, { id: 'VT-BEE-06' }, admin)).data.closeVolunteerTeam.closed).toBe(true);
    expect(ext(await graph.query(JOIN, { teamId: 'VT-BEE-06' }, resident))).toMatchObject({ code: 'CONFLICT', field: 'teamId' });
  });

  it('every change is audited (who, what, before and after), for admins only', async () => {
    const hours = (await graph.query(AUDIT, { entityId: 'US-SHUIBEI-01' }, admin)).data.volunteerAuditLog;
    expect(hours.map((e: any) => e.action)).toEqual(['SET_STATION_HOURS', 'SET_STATION_HOURS']);
    expect(hours[0]).toMatchObject({ actor: 'admin-zhao', actorRole: 'admin', entityType: 'VolunteerStation' });
    expect(JSON.parse(hours[0].after).openingHours[0].volunteerIds).toEqual(['R-0002']);
    expect(JSON.parse(hours[0].before).openingHours).toHaveLength(3);
    const all = (await graph.query(AUDIT, {}, admin)).data.volunteerAuditLog.map((e: any) => e.action);
    expect(all).toEqual(expect.arrayContaining(['CREATE_STATION', 'UPDATE_STATION', 'CLOSE_STATION', 'CREATE_TEAM', 'CLOSE_TEAM']));
    expect(ext(await graph.query(AUDIT, {}, staff)).code).toBe('FORBIDDEN');
  });
});
