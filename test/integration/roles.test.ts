import { readFileSync } from 'node:fs';
import jwt from 'jsonwebtoken';
import path from 'node:path';
import type { Viewer } from '../../shared/platform/auth';
import { COMMUNITIES, DEMO_RESIDENT_ID, DONGXIAO_STREET, SHUIBEI } from '../../shared/dev/demo';
import { startGraph, type RunningGraph } from '../support/graph';
import { testConfig } from '../support/subgraph';
import { arrivalToday } from '../support/arrival';

/**
 * Every role against every contract operation and the main mutations, through the gateway:
 * allowed ones succeed; the others answer UNAUTHENTICATED or FORBIDDEN and change nothing.
 */
const contract = readFileSync(path.join(__dirname, '..', 'contract', 'operations.graphql'), 'utf8');
type RoleName = 'anonymous' | 'resident' | 'otherResident' | 'staff' | 'communityWorker' | 'admin';
const VIEWERS: Record<Exclude<RoleName, 'anonymous'>, Viewer> = {
  resident: { role: 'resident', subject: DEMO_RESIDENT_ID, residentId: DEMO_RESIDENT_ID },
  otherResident: { role: 'resident', subject: 'R-0002', residentId: 'R-0002' },
  staff: { role: 'staff', subject: 'staff-GM-WATER', departmentId: 'GM-WATER' },
  communityWorker: { role: 'community_worker', subject: 'worker', communityCode: SHUIBEI },
  admin: { role: 'admin', subject: 'admin' },
};
const ROLES = ['anonymous', ...Object.keys(VIEWERS)] as RoleName[];

let graph: RunningGraph;
const tokens: Partial<Record<RoleName, string>> = {};
let lotId: string;
let handling: { requestId: string; departmentId: string };

beforeAll(async () => {
  graph = await startGraph();
  for (const [name, viewer] of Object.entries(VIEWERS)) tokens[name as RoleName] = graph.token(viewer);
  const centre = COMMUNITIES.find((c) => c.streetCode === DONGXIAO_STREET)!;
  const near = await graph.query('query($lat: Float!, $lng: Float!) { parkingLotsNear(lat: $lat, lng: $lng, radiusMeters: 1000, onlyAvailable: true) { id } }', { lat: centre.lat, lng: centre.lng });
  lotId = near.data.parkingLotsNear[0].id;
  const submitted = await graph.query(
    'mutation($input: SubmitRequestInput!) { submitRequest(input: $input) { id department { id } } }',
    { input: { title: '小区门口井盖松动', description: '水贝二路小区门口井盖松动，车辆经过有响声，存在安全隐患。', channel: 'WECHAT', communityCode: SHUIBEI } },
    tokens.resident,
  );
  handling = { requestId: submitted.data.submitRequest.id, departmentId: submitted.data.submitRequest.department.id };
}, 120000);

afterAll(() => graph?.stop());

type Outcome = 'ok' | 'null' | 'UNAUTHENTICATED' | 'FORBIDDEN';

async function outcomeOf(query: string, variables: Record<string, unknown>, role: RoleName, operationName?: string): Promise<Outcome> {
  const res = await graph.query(query, variables, tokens[role], operationName);
  if (res.errors?.length) {
    const code = res.errors[0].extensions?.code;
    if (code === 'UNAUTHENTICATED' || code === 'FORBIDDEN') return code;
    throw new Error(`${operationName ?? query.slice(0, 40)} as ${role}: ${JSON.stringify(res.errors)}`);
  }
  const root = Object.values(res.data as Record<string, unknown>)[0];
  return root === null ? 'null' : 'ok';
}

const reads: Array<[string, Record<string, unknown> | (() => Record<string, unknown>), Record<RoleName, Outcome>]> = [
  ['Communities', {}, { anonymous: 'ok', resident: 'ok', otherResident: 'ok', staff: 'ok', communityWorker: 'ok', admin: 'ok' }],
  ['CommunityDashboard', { code: SHUIBEI }, { anonymous: 'ok', resident: 'ok', otherResident: 'ok', staff: 'ok', communityWorker: 'ok', admin: 'ok' }],
  ['NearbyParking', { lat: 22.5826, lng: 114.133, radiusMeters: 1000 }, { anonymous: 'ok', resident: 'ok', otherResident: 'ok', staff: 'ok', communityWorker: 'ok', admin: 'ok' }],
  // `me` is a resident's page: staff, workers and admins have no resident record.
  ['MyCity', {}, { anonymous: 'UNAUTHENTICATED', resident: 'ok', otherResident: 'ok', staff: 'null', communityWorker: 'null', admin: 'null' }],
];

describe.each(reads)('%s', (name, variables, expected) => {
  it.each(ROLES)('as %s', async (role) => {
    const vars = typeof variables === 'function' ? variables() : variables;
    expect(await outcomeOf(contract, vars, role, name)).toBe(expected[role]);
  });
});

it("a resident never reads another resident's requests, reservations, stays or profile", async () => {
  const q = `query($id: ID!) { resident(id: $id) { requests { id } } }`;
  expect(await outcomeOf(q, { id: DEMO_RESIDENT_ID }, 'otherResident')).toBe('FORBIDDEN');
  expect(await outcomeOf(q, { id: DEMO_RESIDENT_ID }, 'anonymous')).toBe('UNAUTHENTICATED');
  expect(await outcomeOf(q, { id: DEMO_RESIDENT_ID }, 'resident')).toBe('ok');
  for (const field of ['parkingReservations { id }', 'hostelStays { id }', 'volunteerProfile { verifiedHours }']) {
    const res = await graph.query(`query($id: ID!) { resident(id: $id) { id ${field} } }`, { id: DEMO_RESIDENT_ID }, tokens.otherResident);
    expect({ field, code: res.errors?.[0]?.extensions?.code }).toEqual({ field, code: 'FORBIDDEN' });
  }
});

describe('mutations', () => {
  it('SubmitRequest: residents through public channels; anonymous is refused and nothing is stored', async () => {
    const input = { title: '路面坑洼', description: '水贝一路路面坑洼，下雨积水严重。', channel: 'I_SHENZHEN', communityCode: SHUIBEI };
    const stats = async () => (await graph.query('query($c: ID!) { community(code: $c) { requestStats { received } } }', { c: SHUIBEI })).data.community.requestStats.received;
    const before = await stats();
    expect(await outcomeOf(contract, { input }, 'anonymous', 'SubmitRequest')).toBe('UNAUTHENTICATED');
    expect(await outcomeOf(contract, { input }, 'staff', 'SubmitRequest')).toBe('FORBIDDEN');
    expect(await stats()).toBe(before);
    expect(await outcomeOf(contract, { input }, 'otherResident', 'SubmitRequest')).toBe('ok');
    expect(await stats()).toBe(before + 1);
  });

  it('ReserveParking: residents only; the free count moves only for them', async () => {
    const free = async () => (await graph.query(`{ parkingLot(id: "${lotId}") { freeSpacesNow } }`)).data.parkingLot.freeSpacesNow;
    const vars = { lotId, plate: '粤B3C456', arriveAt: await arrivalToday(25) };
    const before = await free();
    expect(await outcomeOf(contract, vars, 'anonymous', 'ReserveParking')).toBe('UNAUTHENTICATED');
    for (const role of ['staff', 'communityWorker', 'admin'] as const) expect({ role, o: await outcomeOf(contract, vars, role, 'ReserveParking') }).toEqual({ role, o: 'FORBIDDEN' });
    expect(await free()).toBe(before);
    expect(await outcomeOf(contract, vars, 'otherResident', 'ReserveParking')).toBe('ok');
    expect(await free()).toBe(before - 1);
  });

  it("acceptRequest: only the staff of the department it was dispatched to (or an admin)", async () => {
    const accept = 'mutation($id: ID!) { acceptRequest(id: $id) { id status } }';
    const status = async () => (await graph.query(`query($id: ID!) { request(id: $id) { status } }`, { id: handling.requestId }, tokens.admin)).data.request.status;
    expect(await status()).toBe('DISPATCHED');
    expect(await outcomeOf(accept, { id: handling.requestId }, 'anonymous')).toBe('UNAUTHENTICATED');
    for (const role of ['resident', 'otherResident', 'communityWorker', 'staff'] as const) {
      expect({ role, o: await outcomeOf(accept, { id: handling.requestId }, role) }).toEqual({ role, o: 'FORBIDDEN' });
    }
    expect(await status()).toBe('DISPATCHED');
    const clerk = graph.token({ role: 'staff', subject: 'clerk', departmentId: handling.departmentId });
    const res = await graph.query(accept, { id: handling.requestId }, clerk);
    expect(res.data.acceptRequest.status).toBe('ACCEPTED');
  });

  it('applyForHostel and signUpForShift: residents only', async () => {
    const apply = 'mutation($input: ApplyForHostelInput!) { applyForHostel(input: $input) { id } }';
    const input = { hostelId: 'HS-01', checkInDate: new Date(Date.now() + 3 * 86400000).toISOString().slice(0, 10), nights: 2, graduationDate: '2026-06-30', school: '深圳大学' };
    expect(await outcomeOf(apply, { input }, 'anonymous')).toBe('UNAUTHENTICATED');
    expect(await outcomeOf(apply, { input }, 'staff')).toBe('FORBIDDEN');
    expect(await outcomeOf(apply, { input }, 'admin')).toBe('FORBIDDEN');
    const activities = await graph.query('{ volunteerActivities(upcoming: true) { shifts { id } } }');
    const shiftId = activities.data.volunteerActivities[0].shifts[0].id;
    const signUp = 'mutation($id: ID!) { signUpForShift(shiftId: $id) { id } }';
    expect(await outcomeOf(signUp, { id: shiftId }, 'anonymous')).toBe('UNAUTHENTICATED');
    expect(await outcomeOf(signUp, { id: shiftId }, 'staff')).toBe('FORBIDDEN');
  });
});

describe('operator injection', () => {
  it.each([
    ['an operator object as an ID', 'query($c: ID!) { community(code: $c) { code } }', { c: { $gt: '' } }, undefined],
    ['an operator object as a String', 'mutation($lot: ID!, $p: String!, $t: DateTime!) { a: reserveParking(lotId: $lot, plate: $p, arriveAt: $t) { id } }', { lot: 'PL-DX-01', p: { $ne: null }, t: new Date().toISOString() }, 'resident'],
    ['an operator in an id string', 'query($c: ID!) { community(code: $c) { code } }', { c: '{"$where":"sleep(1000)"}' }, undefined],
    ['a $where key in an input object', 'mutation($input: SubmitRequestInput!) { submitRequest(input: $input) { id } }', { input: { title: 't', description: 'd', channel: 'WECHAT', communityCode: SHUIBEI, $where: '1' } }, 'resident'],
  ] as const)('refuses %s with BAD_USER_INPUT and reads nothing it should not', async (_label, query, variables, role) => {
    const res = await graph.query(query, variables as Record<string, unknown>, role ? tokens[role as RoleName] : undefined);
    expect(res.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(res.data?.community ?? null).toBeNull();
  });

  it('stores operator-looking text as plain text', async () => {
    const res = await graph.query(
      'mutation($input: SubmitRequestInput!) { submitRequest(input: $input) { id } }',
      { input: { title: '{"$gt": ""}', description: '$where: function() { return true }', channel: 'WECHAT', communityCode: SHUIBEI } },
      tokens.resident,
    );
    expect(res.errors).toBeUndefined();
    const stored = await graph.query('query($id: ID!) { request(id: $id) { title description } }', { id: res.data.submitRequest.id }, tokens.admin);
    expect(stored.data.request).toEqual({ title: '{"$gt": ""}', description: '$where: function() { return true }' });
  });
});

describe('bad tokens at the gateway', () => {
  it.each([
    ['forged (signed with another key)', () => jwt.sign({ sub: DEMO_RESIDENT_ID, role: 'admin' }, 'another-key-that-is-long-enough-0123456789', { audience: 'citygraph' })],
    ['expired', () => jwt.sign({ sub: DEMO_RESIDENT_ID, role: 'resident', exp: Math.floor(Date.now() / 1000) - 60 }, testConfig.jwtSecret, { audience: 'citygraph' })],
    ['unsigned (alg none)', () => jwt.sign({ sub: 'x', role: 'admin' }, '', { algorithm: 'none', audience: 'citygraph' })],
    ['not a JWT', () => 'hello'],
  ])('answers a %s token with 401 UNAUTHENTICATED and stays healthy', async (_label, make) => {
    const res = await fetch(graph.gatewayUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${make()}` },
      body: JSON.stringify({ query: '{ me { id } }' }),
    });
    expect(res.status).toBe(401);
    expect(((await res.json()) as any).errors[0].extensions.code).toBe('UNAUTHENTICATED');
    expect((await fetch(graph.gatewayUrl.replace('/graphql', '/health'))).status).toBe(200);
  });
});
