import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Kind, parse, validate, type OperationDefinitionNode } from 'graphql';
import { DEMO_RESIDENT_ID, DONGXIAO_STREET, COMMUNITIES, SHUIBEI } from '../../shared/dev/demo';
import { SUBGRAPH_NAMES } from '../../shared/subgraph/subgraph-deps';
import { startGraph, type RunningGraph } from '../support/graph';
import { STATS_SCOPES } from '../../subgraphs/requests/services/stats-counters';
import { arrivalToday } from '../support/arrival';

/**
 * Every operation city apps send (test/contract/operations.graphql, a copy of the shared contract)
 * runs through the gateway as written and returns the demo seed's data.
 */
const CONTRACT_PATH = path.join(__dirname, '..', 'contract', 'operations.graphql');
const contractSource = readFileSync(CONTRACT_PATH, 'utf8');
const contract = parse(contractSource);
const operations = new Map(
  contract.definitions
    .filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION)
    .map((d) => [d.name!.value, d]),
);

let graph: RunningGraph;
let residentToken: string;
const perOperationCommands: Record<string, Record<string, number>> = {};

async function run(name: string, variables: Record<string, unknown> = {}, token?: string) {
  for (const s of SUBGRAPH_NAMES) graph.subgraphs[s].db.counter.reset();
  const res = await graph.query(contractSource, variables, token, name);
  perOperationCommands[name] = Object.fromEntries(SUBGRAPH_NAMES.map((s) => [s, graph.subgraphs[s].db.counter.total]));
  return res;
}

beforeAll(async () => {
  graph = await startGraph();
  residentToken = graph.token({ role: 'resident', subject: DEMO_RESIDENT_ID, residentId: DEMO_RESIDENT_ID });
}, 120000);

afterAll(async () => {
  // The figures quoted in the closing note: database commands per contract operation and subgraph.
  console.log(`database commands per contract operation:\n${JSON.stringify(perOperationCommands, null, 1)}`);
  await graph?.stop();
});

it('uses the same contract as shared/contract when it is beside the repository', () => {
  const shared = path.join(__dirname, '..', '..', '..', 'shared', 'contract', 'operations.graphql');
  if (existsSync(shared)) expect(readFileSync(shared, 'utf8')).toBe(contractSource);
});

it('validates every contract operation against the composed API schema', () => {
  const schema = graph.gateway.apiSchema();
  expect(schema).toBeDefined();
  expect(validate(schema!, contract).map((e) => e.message)).toEqual([]);
  expect([...operations.keys()]).toEqual(
    expect.arrayContaining(['Communities', 'CommunityDashboard', 'NearbyParking', 'MyCity', 'SubmitRequest', 'ReserveParking', 'LiveRequests', 'LiveParking']),
  );
});

it('Communities lists every community with its street and district', async () => {
  const res = await run('Communities');
  expect(res.errors).toBeUndefined();
  const shuibei = res.data.communities.find((c: any) => c.code === SHUIBEI);
  expect(shuibei.name).toContain('水贝');
  expect(shuibei.street).toEqual({ name: '翠竹街道', district: { name: '罗湖区' } });
  expect(res.data.communities).toHaveLength(COMMUNITIES.length);
});

it('CommunityDashboard shows all four services for Shuibei in one request', async () => {
  const res = await run('CommunityDashboard', { code: SHUIBEI });
  expect(res.errors).toBeUndefined();
  const c = res.data.community;
  expect(c.name).toContain('水贝');
  expect(c.requestStats.received).toBeGreaterThan(0);
  expect(c.requestStats.resolved).toBeLessThanOrEqual(c.requestStats.received);
  expect(c.requestStats.resolutionRate).toBeCloseTo(c.requestStats.resolved / c.requestStats.received, 5);
  expect(c.requestStats.overdueLevel1).toBeGreaterThanOrEqual(0);
  expect(c.parkingLots.length).toBeGreaterThan(0);
  for (const lot of c.parkingLots) expect(lot.freeSpacesNow).toBeGreaterThanOrEqual(0);
  expect(c.hostels.length).toBeGreaterThan(0);
  for (const h of c.hostels) expect(h.freeBeds).toBeGreaterThanOrEqual(0);
  expect(c.volunteerStations.length).toBeGreaterThan(0);
  expect(c.volunteerHoursThisMonth).toBeGreaterThan(0);
});

it('NearbyParking finds lots with free spaces within 1 km, nearest first, with their complaints', async () => {
  const centre = COMMUNITIES.find((c) => c.streetCode === DONGXIAO_STREET)!;
  const res = await run('NearbyParking', { lat: centre.lat, lng: centre.lng, radiusMeters: 1000 });
  expect(res.errors).toBeUndefined();
  const lots = res.data.parkingLotsNear;
  expect(lots.length).toBeGreaterThan(0);
  const distances = lots.map((l: any) => l.distanceMeters);
  expect([...distances].sort((a, b) => a - b)).toEqual(distances);
  for (const lot of lots) {
    expect(lot.distanceMeters).toBeLessThanOrEqual(1000);
    expect(lot.freeSpacesNow).toBeGreaterThan(0);
    expect(lot.pricePerHour).toBeGreaterThanOrEqual(0);
    expect(new Date(lot.currentWindow.startsAt).getTime()).toBeLessThanOrEqual(Date.now());
    expect(new Date(lot.currentWindow.endsAt).getTime()).toBeGreaterThan(Date.now());
    expect(typeof lot.community.name).toBe('string');
    expect(Array.isArray(lot.openRequests)).toBe(true);
  }
});

it('MyCity needs a token and then shows the resident across all four services', async () => {
  const anonymous = await run('MyCity');
  expect(anonymous.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');

  const res = await run('MyCity', {}, residentToken);
  expect(res.errors).toBeUndefined();
  const me = res.data.me;
  expect(me.id).toBe(DEMO_RESIDENT_ID);
  expect(me.requests.length).toBeGreaterThanOrEqual(2);
  for (const r of me.requests) {
    expect([1, 2, 3]).toContain(r.level);
    expect(r.dueAt).toBeTruthy();
  }
  expect(me.parkingReservations.length).toBeGreaterThanOrEqual(1);
  const reservation = me.parkingReservations[0];
  expect(new Date(reservation.entryWindowEnd).getTime()).toBeGreaterThan(Date.now());
  expect(reservation.lot.name).toBeTruthy();
  expect(me.hostelStays.some((s: any) => s.nightsLeft > 0 && s.hostel.name)).toBe(true);
  expect(me.volunteerProfile.verifiedHours).toBeGreaterThan(0);
  expect(me.volunteerProfile.starLevel).toBeGreaterThanOrEqual(1);
  expect(me.volunteerProfile.hoursToNextStar).toBeGreaterThan(0);
});

it('SubmitRequest classifies, grades and dispatches, and a retry with the same key returns the same request', async () => {
  const input = {
    title: '水贝社区路灯不亮',
    description: '水贝二路路灯连续三晚不亮，夜间行人很多，存在安全隐患。',
    channel: 'I_SHENZHEN',
    communityCode: SHUIBEI,
    peopleInvolved: 8,
    idempotencyKey: 'contract-test-streetlight-0001',
  };
  const res = await run('SubmitRequest', { input }, residentToken);
  expect(res.errors).toBeUndefined();
  const r = res.data.submitRequest;
  expect(r.status).toBe('DISPATCHED');
  expect([1, 2, 3]).toContain(r.level);
  expect(r.category.name).toBeTruthy();
  expect(r.department.name).toContain('罗湖区');
  expect(new Date(r.dueAt).getTime()).toBeGreaterThan(Date.now());
  expect(r.community.name).toBe('水贝社区');

  const again = await graph.query(contractSource, { input }, residentToken, 'SubmitRequest');
  expect(again.data.submitRequest.id).toBe(r.id);

  const mine = await graph.query(contractSource, {}, residentToken, 'MyCity');
  expect(mine.data.me.requests.map((x: any) => x.id)).toContain(r.id);
});

it('SubmitRequest refuses bad input with the field and changes nothing', async () => {
  const before = await graph.query(contractSource, {}, residentToken, 'MyCity');
  const res = await graph.query(
    contractSource,
    { input: { title: '', description: 'x', channel: 'WECHAT', communityCode: SHUIBEI } },
    residentToken,
    'SubmitRequest',
  );
  expect(res.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
  expect(res.errors?.[0].extensions?.field).toBe('input.title');
  const after = await graph.query(contractSource, {}, residentToken, 'MyCity');
  expect(after.data.me.requests.length).toBe(before.data.me.requests.length);
});

it('ReserveParking confirms a space with its entry window and takes it from the free count', async () => {
  const arriveAt = await arrivalToday(30);
  const centre = COMMUNITIES.find((c) => c.streetCode === DONGXIAO_STREET)!;
  const near = await graph.query(contractSource, { lat: centre.lat, lng: centre.lng, radiusMeters: 1000 }, undefined, 'NearbyParking');
  const lot = near.data.parkingLotsNear[0];
  const res = await run('ReserveParking', { lotId: lot.id, plate: '粤B5K321', arriveAt }, residentToken);
  expect(res.errors).toBeUndefined();
  const r = res.data.reserveParking;
  expect(r.status).toBe('CONFIRMED');
  expect(new Date(r.entryWindowStart).getTime()).toBe(new Date(arriveAt).getTime() - 30 * 60000);
  expect(new Date(r.entryWindowEnd).getTime()).toBe(new Date(arriveAt).getTime() + 30 * 60000);
  expect(r.lot).toEqual({ id: lot.id, freeSpacesNow: lot.freeSpacesNow - 1 });

  const bad = await graph.query(contractSource, { lotId: lot.id, plate: 'not-a-plate', arriveAt }, residentToken, 'ReserveParking');
  expect(bad.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
  expect(bad.errors?.[0].extensions?.field).toBe('plate');
});

it('keeps database commands per contract operation small and independent of list sizes', () => {
  for (const [name, counts] of Object.entries(perOperationCommands)) {
    for (const [subgraph, n] of Object.entries(counts)) {
      // A handful of batched queries per subgraph, never one per list item. A submission also
      // moves the request into its scopes' figures: read, claim and rewrite of each scope's
      // counter (community, street, district, department; a lot when named).
      const allowed = name === 'SubmitRequest' && subgraph === 'requests' ? 12 + 3 * STATS_SCOPES.length : 12;
      expect({ name, subgraph, n: n <= allowed }).toEqual({ name, subgraph, n: true });
    }
  }
});
