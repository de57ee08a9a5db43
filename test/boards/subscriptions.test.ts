import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { DEMO_RESIDENT_ID, SHUIBEI } from '../../shared/dev/demo';
import { startGraph, type RunningGraph } from '../support/graph';

/**
 * The boards' subscriptions through the gateway over graphql-ws: a department's board arrives
 * with its fresh figures after a change to one of its requests (and to the one it was returned
 * by), only for its staff and admins; the overview sends the changed street with its figures.
 */
let graph: RunningGraph;
let wsUrl: string;
let resident: string;
const clients: Client[] = [];

beforeAll(async () => {
  graph = await startGraph();
  wsUrl = graph.gatewayUrl.replace(/^http/, 'ws');
  resident = graph.token({ role: 'resident', subject: DEMO_RESIDENT_ID, residentId: DEMO_RESIDENT_ID });
}, 120000);

afterAll(async () => {
  await Promise.all(clients.map((c) => c.dispose()));
  await graph?.stop();
});

function client(token?: string): Client {
  const c = createClient({ url: wsUrl, webSocketImpl: WebSocket, retryAttempts: 0, connectionParams: token ? { authorization: `Bearer ${token}` } : {} });
  clients.push(c);
  return c;
}

/** Collects a subscription's events (and its error) until disposed. */
function collect(c: Client, query: string, variables: Record<string, unknown>) {
  const events: any[] = [];
  let failure: any;
  const dispose = c.subscribe({ query, variables }, { next: (e) => events.push(e), error: (e) => (failure = e), complete: () => {} });
  return { events, dispose, failure: () => failure };
}

async function until(check: () => boolean, what: string) {
  const deadline = Date.now() + 10000;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

async function untilStreams(n: number) {
  await until(() => graph.gateway.subscriptions.stats().streams >= n, 'the upstream subscriptions');
  await new Promise((r) => setTimeout(r, 200));
}

const BOARD = 'subscription($id: ID!) { departmentBoardChanged(departmentId: $id) { department { id } byStatus { status count } returnsTotal } }';

it('departmentBoardChanged: the holding department and the one that returned it get their fresh boards', async () => {
  const urban = graph.token({ role: 'staff', subject: 'staff-LH-URBAN', departmentId: 'LH-URBAN' });
  const housing = graph.token({ role: 'staff', subject: 'staff-LH-HOUSING', departmentId: 'LH-HOUSING' });
  const count = (e: any, status: string) => e.data.departmentBoardChanged.byStatus.find((s: any) => s.status === status).count;
  const urbanBoard = collect(client(urban), BOARD, { id: 'LH-URBAN' });
  const housingBoard = collect(client(housing), BOARD, { id: 'LH-HOUSING' });
  const start = graph.gateway.subscriptions.stats().streams;
  await untilStreams(start);
  const submitted = await graph.query(
    'mutation($input: SubmitRequestInput!) { submitRequest(input: $input) { id department { id } } }',
    { input: { title: '物业乱收费', description: '物业公司多收停车管理费。', channel: 'WECHAT', communityCode: SHUIBEI, itemCode: 'C02-01' } },
    resident,
  );
  expect(submitted.data.submitRequest.department.id).toBe('LH-HOUSING');
  await until(() => housingBoard.events.length === 1, 'the housing board');
  const before = housingBoard.events[0];
  expect(before.errors).toBeUndefined();
  expect(before.data.departmentBoardChanged.department.id).toBe('LH-HOUSING');
  const returned = await graph.query(`mutation { returnRequest(id: "${submitted.data.submitRequest.id}", reason: "不属本部门职责") { status } }`, {}, housing);
  expect(returned.errors).toBeUndefined();
  // The request left housing (department cleared): housing's board still moves.
  await until(() => housingBoard.events.length === 2, 'the housing board after the return');
  const after = housingBoard.events[1];
  expect(after.data.departmentBoardChanged.returnsTotal).toBe(before.data.departmentBoardChanged.returnsTotal + 1);
  expect(count(after, 'DISPATCHED')).toBe(count(before, 'DISPATCHED') - 1);
  expect(urbanBoard.events).toEqual([]);
  urbanBoard.dispose();
  housingBoard.dispose();
});

it('departmentBoardChanged is refused to another department, residents and anonymous callers', async () => {
  const cases: Array<[string | undefined, string]> = [
    [graph.token({ role: 'staff', subject: 'staff-LH-HOUSING', departmentId: 'LH-HOUSING' }), 'FORBIDDEN'],
    [resident, 'FORBIDDEN'],
    [undefined, 'UNAUTHENTICATED'],
  ];
  for (const [token, code] of cases) {
    const sub = collect(client(token), BOARD, { id: 'LH-URBAN' });
    await until(() => sub.events.length > 0 || !!sub.failure(), `the refusal (${code})`);
    const errors = sub.events[0]?.errors ?? sub.failure();
    expect(JSON.stringify(errors)).toContain(code);
    sub.dispose();
  }
});

it('overviewChanged: the district\'s and the city\'s subscribers get the street with its fresh figures', async () => {
  const OVERVIEW = 'subscription($d: ID) { overviewChanged(districtCode: $d) { code requestStats { red received } } }';
  const before = (await graph.query('{ street(code: "440303003") { requestStats { red received } } }')).data.street.requestStats;
  const start = graph.gateway.subscriptions.stats().streams;
  const luohu = collect(client(), OVERVIEW, { d: '440303' });
  const city = collect(client(), OVERVIEW, {});
  const guangming = collect(client(), OVERVIEW, { d: '440311' });
  await untilStreams(start + 3);
  const submitted = await graph.query(
    'mutation($input: SubmitRequestInput!) { submitRequest(input: $input) { id level } }',
    { input: { title: '楼道燃气泄漏', description: '楼道燃气味很重。', channel: 'WECHAT', communityCode: SHUIBEI, urgent: true } },
    resident,
  );
  expect(submitted.data.submitRequest.level).toBe(1);
  await until(() => luohu.events.length === 1 && city.events.length === 1, 'both overviews');
  const expected = { data: { overviewChanged: { code: '440303003', requestStats: { red: before.red + 1, received: before.received + 1 } } } };
  expect(luohu.events[0]).toEqual(expected);
  expect(city.events[0]).toEqual(expected);
  await new Promise((r) => setTimeout(r, 300));
  expect(guangming.events).toEqual([]);
  for (const s of [luohu, city, guangming]) s.dispose();
});
