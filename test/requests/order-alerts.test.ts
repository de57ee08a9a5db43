/**
 * Supervision of community-order reports (社区发令、部门报到, ORDER_REPORT), through the gateway
 * with a fake clock: an order not reported by `reportBy` raises the urge to the ordered department,
 * then after as long again as the order's window the street office's escalation, after twice
 * that the district's; once per stage with two replicas sweeping, caught up after a sweep-less
 * stretch, stopped by the report, published to `supervisionAlertRaised` subscribers.
 */
import type { Client } from 'graphql-ws';
import { untilUpstreamStreams, wsClientOf } from '../support/live';
import { SHUIBEI } from '../../shared/dev/demo';
import { createModels } from '../../subgraphs/requests/models';
import { createSubgraph } from '../../subgraphs/requests/server';
import { startGraph, type RunningGraph } from '../support/graph';
import { testConfig } from '../support/subgraph';
import { FRIDAY_10 } from './helpers';

jest.setTimeout(120_000);

const STREET = '440303003'; // Cuizhu 翠竹街道, Shuibei's street
const JOB = 'requests.supervise-overdue';
const hours = (n: number) => new Date(FRIDAY_10.getTime() + n * 3_600_000);

let graph: RunningGraph;
let now = FRIDAY_10;
const clock = () => now;
const models = () => createModels(graph.subgraphs.requests.db.conn);

const tokens = { worker: '', urban: '', housing: '', office: '', admin: '', resident: '' };

beforeAll(async () => {
  graph = await startGraph({ clock, now: FRIDAY_10 });
  // Only this file's orders: the seeded ones (and requests) would raise alerts of their own.
  await models().Request.deleteMany({});
  await models().CommunityOrder.deleteMany({});
  tokens.worker = graph.token({ role: 'community_worker', subject: 'worker-shuibei', communityCode: SHUIBEI });
  tokens.urban = graph.token({ role: 'staff', subject: 'clerk-lh-urban', departmentId: 'LH-URBAN' });
  tokens.housing = graph.token({ role: 'staff', subject: 'clerk-lh-housing', departmentId: 'LH-HOUSING' });
  tokens.office = graph.token({ role: 'staff', subject: 'clerk-cuizhu', departmentId: `ST-${STREET}` });
  tokens.admin = graph.token({ role: 'admin', subject: 'admin' });
  tokens.resident = graph.token({ role: 'resident', subject: 'R-0001', residentId: 'R-0001' });
}, 180_000);

afterAll(async () => {
  await graph?.stop();
});

async function ok<T = any>(query: string, variables: Record<string, unknown>, token: string): Promise<T> {
  const res = await graph.query<T>(query, variables, token);
  if (res.errors) throw new Error(`unexpected errors: ${JSON.stringify(res.errors)}`);
  return res.data as T;
}

const ISSUE = 'mutation($d: ID!, $s: String!, $by: DateTime!) { issueCommunityOrder(communityCode: "' + SHUIBEI + '", departmentId: $d, subject: $s, reportBy: $by) { id } }';
const REPORT = 'mutation($id: ID!) { reportCommunityOrder(id: $id, note: "已到场处理") { id status onTime } }';

/** An order issued now by Shuibei's community worker. */
async function issue(departmentId: string, subject: string, reportBy: Date): Promise<string> {
  return (await ok(ISSUE, { d: departmentId, s: subject, by: reportBy.toISOString() }, tokens.worker)).issueCommunityOrder.id;
}

const ALERTS = `query($d: ID, $s: ID) { supervisionAlerts(departmentId: $d, streetCode: $s, first: 200) {
  id deadline stage dueAt stageDueAt raisedAt departmentId streetCode districtCode message request { id } communityOrder { id subject status } } }`;

/** One order's alerts, in the order they came due, as the token's default scope shows them. */
async function alertsOf(orderId: string, token = tokens.admin, vars: Record<string, unknown> = { s: STREET }) {
  const list = (await ok(ALERTS, vars, token)).supervisionAlerts as any[];
  return list.filter((a) => a.communityOrder?.id === orderId).sort((a, b) => a.stageDueAt.localeCompare(b.stageDueAt));
}

const stages = (alerts: any[]) => alerts.map((a) => `${a.deadline}:${a.stage}`);

async function sweepAt(at: Date) {
  now = at;
  await graph.subgraphs.requests.server.scheduler.runNamed(JOB);
}

it('an order not reported by reportBy: the urge to the department, then the street office, then the district', async () => {
  now = FRIDAY_10;
  const id = await issue('LH-URBAN', '水贝商业街占道经营整治', hours(24));

  await sweepAt(new Date(hours(24).getTime() - 60_000));
  expect(await alertsOf(id)).toEqual([]);
  await sweepAt(hours(24));
  const [urge] = await alertsOf(id);
  expect(urge).toMatchObject({
    id: `${id}:ORDER_REPORT:${hours(24).toISOString()}:URGE`,
    deadline: 'ORDER_REPORT',
    stage: 'URGE',
    dueAt: hours(24).toISOString(),
    stageDueAt: hours(24).toISOString(),
    raisedAt: hours(24).toISOString(),
    departmentId: 'LH-URBAN',
    streetCode: STREET,
    districtCode: '440303',
    request: null,
    communityOrder: { id, subject: '水贝商业街占道经营整治', status: 'ISSUED' },
  });
  expect(urge.message).toBe('社区发令报到超时（时限 2026-11-21 10:00）：催办');

  // The window was 24 hours: the street office a day after reportBy, the district two days after.
  await sweepAt(hours(47));
  expect(stages(await alertsOf(id))).toEqual(['ORDER_REPORT:URGE']);
  await sweepAt(hours(48));
  expect(stages(await alertsOf(id))).toEqual(['ORDER_REPORT:URGE', 'ORDER_REPORT:STREET']);
  await sweepAt(hours(72));
  const all = await alertsOf(id);
  expect(stages(all)).toEqual(['ORDER_REPORT:URGE', 'ORDER_REPORT:STREET', 'ORDER_REPORT:DISTRICT']);
  expect(all[2]).toMatchObject({ stageDueAt: hours(72).toISOString(), departmentId: 'LH-URBAN' });
  expect(all[2].message).toBe('社区发令报到超时（时限 2026-11-21 10:00）：升级至区督办');
  await sweepAt(hours(200));
  expect(await alertsOf(id)).toHaveLength(3);

  // The department sees its own; the street office and the community worker their street's.
  expect(stages(await alertsOf(id, tokens.urban, {}))).toHaveLength(3);
  expect(stages(await alertsOf(id, tokens.office, {}))).toHaveLength(3);
  expect(stages(await alertsOf(id, tokens.worker, {}))).toHaveLength(3);
  expect(await alertsOf(id, tokens.housing, {})).toEqual([]);
  const refused = await graph.query(ALERTS, {}, tokens.resident);
  expect(refused.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
});

it('an order reported in time raises nothing; one reported after the urge is not escalated', async () => {
  now = FRIDAY_10;
  const inTime = await issue('LH-URBAN', '水贝二村垃圾清运', hours(10));
  const late = await issue('LH-URBAN', '水贝一坊路面塌陷', hours(10));
  now = hours(9);
  expect((await ok(REPORT, { id: inTime }, tokens.urban)).reportCommunityOrder).toMatchObject({ status: 'REPORTED', onTime: true });
  await sweepAt(hours(10));
  expect(await alertsOf(inTime)).toEqual([]);
  expect(stages(await alertsOf(late))).toEqual(['ORDER_REPORT:URGE']);

  now = hours(15);
  expect((await ok(REPORT, { id: late }, tokens.urban)).reportCommunityOrder).toMatchObject({ status: 'REPORTED', onTime: false });
  await sweepAt(hours(20)); // the street stage's time: the report came first
  await sweepAt(hours(100));
  expect(await alertsOf(inTime)).toEqual([]);
  expect(stages(await alertsOf(late))).toEqual(['ORDER_REPORT:URGE']);
});

it('after a sweep-less stretch one sweep raises every stage that came due, and sweeps again raise none twice', async () => {
  now = FRIDAY_10;
  const id = await issue('LH-HOUSING', '水贝二村危房排查', hours(2));
  await sweepAt(hours(7)); // urge at 12:00, street at 14:00, district at 16:00: all passed
  const all = await alertsOf(id);
  expect(stages(all)).toEqual(['ORDER_REPORT:URGE', 'ORDER_REPORT:STREET', 'ORDER_REPORT:DISTRICT']);
  expect(all.map((a) => a.stageDueAt)).toEqual([hours(2), hours(4), hours(6)].map((d) => d.toISOString()));
  expect(all.every((a) => a.raisedAt === hours(7).toISOString())).toBe(true);
  await sweepAt(hours(7));
  await sweepAt(hours(8));
  expect(await alertsOf(id)).toHaveLength(3);
  expect(await models().SupervisionAlert.countDocuments({ orderId: id })).toBe(3);
});

it('finishes an order alert a stopped replica claimed but never recorded, and withdraws one of a reported order', async () => {
  now = FRIDAY_10;
  const open = await issue('LH-URBAN', '翠竹路井盖缺失', hours(1));
  const reported = await issue('LH-URBAN', '翠竹路树木倒伏', hours(1));
  const m = models();
  const place = { requestId: null, deadline: 'ORDER_REPORT', stage: 'URGE', dueAt: hours(1), stageDueAt: hours(1), raisedAt: hours(1), departmentId: 'LH-URBAN', communityCode: SHUIBEI, streetCode: STREET, districtCode: '440303', recorded: false } as const;
  await m.SupervisionAlert.create({ _id: `${open}:ORDER_REPORT:${hours(1).toISOString()}:URGE`, orderId: open, ...place });
  await m.SupervisionAlert.create({ _id: `${reported}:ORDER_REPORT:${hours(1).toISOString()}:URGE`, orderId: reported, ...place });
  now = new Date(hours(1).getTime() + 30_000);
  await ok(REPORT, { id: reported }, tokens.urban);

  await sweepAt(new Date(hours(1).getTime() + 30_000)); // within a minute of the claim: its replica may still be writing
  expect(await alertsOf(open)).toEqual([]);
  await sweepAt(new Date(hours(1).getTime() + 120_000));
  expect(stages(await alertsOf(open))).toEqual(['ORDER_REPORT:URGE']);
  expect(await alertsOf(reported)).toEqual([]);
  expect(await m.SupervisionAlert.countDocuments({ orderId: reported })).toBe(0);
});

describe('two replicas and a subscriber', () => {
  let client: Client;
  afterEach(() => client?.dispose());


  it('the department subscriber receives each stage once, with the order from the graph, however many replicas sweep', async () => {
    now = FRIDAY_10;
    const ids: string[] = [];
    for (let i = 0; i < 4; i += 1) ids.push(await issue('LH-URBAN', `翠竹街道路灯检修（${i + 1}）`, hours(3)));
    client = wsClientOf(graph, tokens.urban);
    const streams = graph.gateway.subscriptions.stats().streams;
    const received: any[] = [];
    const failed = new Promise<never>((_, reject) => {
      client.subscribe(
        { query: 'subscription { supervisionAlertRaised(departmentId: "LH-URBAN") { id deadline stage departmentId message request { id } communityOrder { id subject } } }' },
        { next: (msg) => (msg.errors ? reject(new Error(JSON.stringify(msg.errors))) : received.push(msg.data!.supervisionAlertRaised)), error: reject, complete: () => {} },
      );
    });
    await untilUpstreamStreams(graph, streams + 1);

    const sg = graph.subgraphs.requests;
    const second = await createSubgraph({ db: sg.db, config: testConfig, pubsub: sg.pubsub, clock });
    try {
      now = hours(6); // urge and street stage due
      await Promise.all([sg.server.scheduler.runNamed(JOB), second.scheduler.runNamed(JOB), sg.server.scheduler.runNamed(JOB).then(() => second.scheduler.runNamed(JOB))]);
    } finally {
      await second.stop();
    }
    const mine = () => received.filter((a) => ids.includes(a.communityOrder?.id));
    const deadline = Date.now() + 10_000;
    while (mine().length < 2 * ids.length && Date.now() < deadline) await Promise.race([failed, new Promise((r) => setTimeout(r, 50))]);
    await new Promise((r) => setTimeout(r, 300)); // a duplicate would arrive meanwhile
    expect(mine()).toHaveLength(2 * ids.length);
    expect(new Set(mine().map((a) => a.id)).size).toBe(2 * ids.length);
    expect(mine()[0]).toMatchObject({ deadline: 'ORDER_REPORT', departmentId: 'LH-URBAN', request: null, communityOrder: { subject: expect.stringContaining('路灯检修') } });
    for (const id of ids) expect(stages(await alertsOf(id))).toEqual(['ORDER_REPORT:URGE', 'ORDER_REPORT:STREET']);
    expect(await models().SupervisionAlert.countDocuments({ orderId: { $in: ids }, recorded: false })).toBe(0);
  });
});
