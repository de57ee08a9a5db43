/**
 * Supervision of every limit, through the gateway with a fake clock: each passed limit raises its
 * urge, then the street office's and the district's escalations; each alert is on the timeline,
 * published to `supervisionAlertRaised` subscribers, raised once with two replicas sweeping the
 * same database, and raised once after a sweep-less stretch past several due times.
 */
import type { Client } from 'graphql-ws';
import { untilUpstreamStreams, wsClientOf } from '../support/live';
import { DEMO_RESIDENT_ID, SHUIBEI } from '../../shared/dev/demo';
import type { SubgraphServer } from '../../shared/subgraph/subgraph-server';
import { createModels } from '../../subgraphs/requests/models';
import { createSubgraph } from '../../subgraphs/requests/server';
import { startGraph, type RunningGraph } from '../support/graph';
import { testConfig } from '../support/subgraph';
import { distinct, FRIDAY_10 } from './helpers';

jest.setTimeout(120_000);

const STREET = '440303003'; // Cuizhu 翠竹街道, Shuibei's street
const OFFICE = `ST-${STREET}`;
const JOB = 'requests.supervise-overdue';
const min = (n: number) => new Date(FRIDAY_10.getTime() + n * 60_000);

let graph: RunningGraph;
let now = FRIDAY_10;
const clock = () => now;
const models = () => createModels(graph.subgraphs.requests.db.conn);

const tokens = {
  resident: '',
  office: '',
  urban: '',
  admin: '',
  worker: '',
};

beforeAll(async () => {
  graph = await startGraph({ clock, now: FRIDAY_10 });
  // Only this file's requests: the seeded history's overdue cases would raise alerts of their own.
  await models().Request.deleteMany({});
  tokens.resident = graph.token({ role: 'resident', subject: DEMO_RESIDENT_ID, residentId: DEMO_RESIDENT_ID });
  tokens.office = graph.token({ role: 'staff', subject: 'clerk-cuizhu', departmentId: OFFICE });
  tokens.urban = graph.token({ role: 'staff', subject: 'clerk-lh-urban', departmentId: 'LH-URBAN' });
  tokens.admin = graph.token({ role: 'admin', subject: 'admin' });
  tokens.worker = graph.token({ role: 'community_worker', subject: 'worker-shuibei', communityCode: SHUIBEI });
}, 180_000);

afterAll(async () => {
  await graph?.stop();
});

async function ok<T = any>(query: string, variables: Record<string, unknown>, token: string): Promise<T> {
  const res = await graph.query<T>(query, variables, token);
  if (res.errors) throw new Error(`unexpected errors: ${JSON.stringify(res.errors)}`);
  return res.data as T;
}

async function firstError(query: string, variables: Record<string, unknown>, token?: string) {
  const res = await graph.query(query, variables, token);
  expect(res.errors?.length).toBeGreaterThan(0);
  return res.errors![0];
}

const SUBMIT = `mutation($input: SubmitRequestInput!) { submitRequest(input: $input) {
  id status level urgent department { id } reviewDueAt dispatchDueAt acceptDueAt nextUpdateDueAt dueAt } }`;

/** Each case its own (the same text again within 72 h would be linked as a duplicate). */
async function submit(input: { description: string } & Record<string, unknown>) {
  return (await ok(SUBMIT, { input: { channel: 'I_SHENZHEN', communityCode: SHUIBEI, ...input, description: distinct(input.description) } }, tokens.resident)).submitRequest;
}

/** A streetlight case (item of Luohu's urban management, dispatched at once); urgent makes it level 1. */
const streetlight = (urgent: boolean) => submit({ title: '路灯不亮', description: '水贝二路路灯不亮', urgent });

const ALERTS = `query($d: ID, $s: ID, $x: ID, $r: ID) { supervisionAlerts(departmentId: $d, streetCode: $s, districtCode: $x, requestId: $r, first: 200) {
  id deadline stage dueAt stageDueAt raisedAt departmentId streetCode districtCode message request { id } } }`;

/** Every alert of one request, as an admin sees them. */
async function alertsOf(requestId: string) {
  const list = (await ok(ALERTS, { r: requestId }, tokens.admin)).supervisionAlerts as any[];
  expect(list.every((a) => a.request.id === requestId)).toBe(true);
  // In the order they came due (one sweep may raise several stages at once).
  return list.sort((a, b) => a.stageDueAt.localeCompare(b.stageDueAt) || a.id.localeCompare(b.id));
}

const kinds = (alerts: any[]) => alerts.map((a) => `${a.deadline}:${a.stage}`);

async function sweepAt(at: Date, server: SubgraphServer = graph.subgraphs.requests.server) {
  now = at;
  await server.scheduler.runNamed(JOB);
}

async function timelineOf(id: string) {
  const data = await ok(`query($id: ID!) { request(id: $id) { urgeCount escalated reviewedAt level timeline { action actor note toDepartment { id } } } }`, { id }, tokens.admin);
  return data.request;
}

it('a level-1 case: review, acceptance and the hourly update each raise an urge, then the street office, then the district', async () => {
  now = FRIDAY_10;
  const r = await streetlight(true);
  expect(r).toMatchObject({ status: 'DISPATCHED', level: 1, department: { id: 'LH-URBAN' } });
  expect(r.reviewDueAt).toBe(min(10).toISOString());
  expect(r.acceptDueAt).toBe(min(30).toISOString());
  expect(r.nextUpdateDueAt).toBe(min(60).toISOString());

  await sweepAt(min(9));
  expect(await alertsOf(r.id)).toEqual([]);
  await sweepAt(min(10));
  expect(kinds(await alertsOf(r.id))).toEqual(['REVIEW:URGE']);
  await sweepAt(min(20));
  expect(kinds(await alertsOf(r.id))).toEqual(['REVIEW:URGE', 'REVIEW:STREET']);
  await sweepAt(min(30));
  expect(kinds(await alertsOf(r.id)).sort()).toEqual(['ACCEPTANCE:URGE', 'REVIEW:DISTRICT', 'REVIEW:STREET', 'REVIEW:URGE']);
  await sweepAt(min(60));
  await sweepAt(min(90));
  const alerts = await alertsOf(r.id);
  expect(kinds(alerts).sort()).toEqual([
    'ACCEPTANCE:DISTRICT', 'ACCEPTANCE:STREET', 'ACCEPTANCE:URGE', 'REVIEW:DISTRICT', 'REVIEW:STREET', 'REVIEW:URGE', 'UPDATE:URGE',
  ]);
  // Review is owed by the street office, acceptance and updates by the department; places, no people.
  const review = alerts.find((a) => a.deadline === 'REVIEW' && a.stage === 'URGE');
  expect(review).toMatchObject({ departmentId: OFFICE, streetCode: STREET, districtCode: '440303', dueAt: min(10).toISOString(), raisedAt: min(10).toISOString() });
  expect(review.message).toBe('一级事件审核超时（时限 2026-11-20 10:10）：催办');
  const acceptDistrict = alerts.find((a) => a.deadline === 'ACCEPTANCE' && a.stage === 'DISTRICT');
  expect(acceptDistrict).toMatchObject({ departmentId: 'LH-URBAN', dueAt: min(30).toISOString(), stageDueAt: min(90).toISOString() });
  expect(acceptDistrict.message).toBe('签收受理超时（时限 2026-11-20 10:30）：升级至区督办');

  // Each alert is on the timeline once, and counts as an urge or an escalation.
  const t = await timelineOf(r.id);
  const supervision = t.timeline.filter((e: any) => e.action === 'URGED' || e.action === 'ESCALATED');
  expect(supervision).toHaveLength(7);
  expect(supervision.every((e: any) => e.actor === 'system')).toBe(true);
  expect(supervision.map((e: any) => e.note)).toContain('一级事件每小时进展报告超时（时限 2026-11-20 11:00）：催办');
  expect(t).toMatchObject({ urgeCount: 3, escalated: true });

  // Accepted at 11:35: acceptance stops; the hourly update restarts from the acceptance.
  now = min(95);
  await ok('mutation($id: ID!) { acceptRequest(id: $id) { id } }', { id: r.id }, tokens.urban);
  await sweepAt(min(120)); // the old update chain's street stage would be now: it no longer applies
  expect(await alertsOf(r.id)).toHaveLength(7);
  await sweepAt(min(155));
  const later = kinds(await alertsOf(r.id));
  expect(later).toHaveLength(8);
  expect(later.filter((k) => k === 'UPDATE:URGE')).toHaveLength(2);

  // The department's board counts them.
  const board = await ok('{ department(id: "LH-URBAN") { board { urges escalations } } }', {}, tokens.urban);
  expect(board.department.board.urges).toBeGreaterThanOrEqual(3);
  expect(board.department.board.escalations).toBeGreaterThanOrEqual(2);
});

it('levels 2-3: dispatch (2 h), re-dispatch after a return, acceptance (1 working day) and handling (5 working days)', async () => {
  now = FRIDAY_10;
  // No keyword: the fallback item, waiting for the street office.
  const waiting = await submit({ title: '想反映一个情况', description: '希望有人联系我' });
  expect(waiting).toMatchObject({ status: 'SUBMITTED', level: 3, department: { id: OFFICE } });
  const returned = await streetlight(false);
  const unaccepted = await streetlight(false);
  const accepted = await streetlight(false);
  await ok('mutation($id: ID!) { acceptRequest(id: $id) { id } }', { id: accepted.id }, tokens.urban);
  now = min(30);
  await ok('mutation($id: ID!) { returnRequest(id: $id, reason: "不属于本部门") { id dispatchDueAt } }', { id: returned.id }, tokens.urban);

  await sweepAt(min(119));
  expect(await alertsOf(waiting.id)).toEqual([]);
  await sweepAt(min(120));
  expect(kinds(await alertsOf(waiting.id))).toEqual(['DISPATCH:URGE']);
  await sweepAt(min(150)); // the return's 2 hours to re-dispatch have passed
  expect(kinds(await alertsOf(returned.id))).toEqual(['RETURN:URGE']);
  expect((await alertsOf(returned.id))[0].departmentId).toBe(OFFICE);
  await sweepAt(min(360));
  expect(kinds(await alertsOf(waiting.id))).toEqual(['DISPATCH:URGE', 'DISPATCH:STREET', 'DISPATCH:DISTRICT']);
  expect(kinds(await alertsOf(returned.id))).toEqual(['RETURN:URGE', 'RETURN:STREET']);
  expect(await alertsOf(unaccepted.id)).toEqual([]);

  // Monday 10:00 is one working day after Friday 10:00.
  await sweepAt(new Date('2026-11-23T02:00:00Z'));
  expect(kinds(await alertsOf(unaccepted.id))).toEqual(['ACCEPTANCE:URGE']);
  expect(kinds(await alertsOf(accepted.id))).toEqual([]);

  // Due Friday 2026-11-27 10:00: urged from the next local midnight, then 5 and 10 working days late.
  await sweepAt(new Date('2026-11-27T15:59:00Z'));
  expect(kinds(await alertsOf(accepted.id))).toEqual([]);
  await sweepAt(new Date('2026-11-27T16:00:00Z'));
  expect(kinds(await alertsOf(accepted.id))).toEqual(['HANDLING:URGE']);
  await sweepAt(new Date('2026-12-04T02:00:00Z'));
  await sweepAt(new Date('2026-12-11T02:00:00Z'));
  expect(kinds(await alertsOf(accepted.id))).toEqual(['HANDLING:URGE', 'HANDLING:STREET', 'HANDLING:DISTRICT']);
  expect((await alertsOf(accepted.id)).every((a) => a.departmentId === 'LH-URBAN')).toBe(true);
});

it('an urgent case no item matches lands in the street office queue and alarms after 10 minutes', async () => {
  now = FRIDAY_10;
  const r = await submit({ title: '楼顶有人要跳楼', description: '水贝一坊5栋，有人站在边上，情况危急' });
  expect(r).toMatchObject({ status: 'SUBMITTED', level: 1, urgent: true, department: { id: OFFICE } });
  expect(r.dispatchDueAt).toBe(min(10).toISOString());

  const queue = await ok('{ requests(filter: { status: [SUBMITTED], level: 1 }) { id overdue } }', {}, tokens.office);
  expect(queue.requests.map((q: any) => q.id)).toContain(r.id);

  await sweepAt(min(9));
  expect(await alertsOf(r.id)).toEqual([]);
  await sweepAt(min(10));
  const alerts = await alertsOf(r.id);
  expect(kinds(alerts).sort()).toEqual(['DISPATCH:URGE', 'REVIEW:URGE']);
  expect(alerts.every((a) => a.departmentId === OFFICE)).toBe(true);
  now = min(11);
  const overdue = await ok('query($id: ID!) { request(id: $id) { overdue } }', { id: r.id }, tokens.office);
  expect(overdue.request.overdue).toBe(true);
});

it('the review step: the street office confirms or corrects a level-1 grading; others are refused', async () => {
  now = FRIDAY_10;
  const confirmed = await streetlight(true);
  const corrected = await streetlight(true);
  const green = await streetlight(false);
  const REVIEW = 'mutation($id: ID!, $level: Int!, $note: String) { reviewRequest(id: $id, level: $level, note: $note) { id level reviewedAt acceptDueAt nextUpdateDueAt timeline { action note } } }';

  now = min(5);
  expect((await firstError(REVIEW, { id: confirmed.id, level: 1 }, tokens.urban)).extensions?.code).toBe('FORBIDDEN');
  expect((await firstError(REVIEW, { id: confirmed.id, level: 1 }, tokens.resident)).extensions?.code).toBe('FORBIDDEN');
  const bad = await firstError(REVIEW, { id: confirmed.id, level: 4 }, tokens.office);
  expect(bad.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'level' });
  expect((await firstError(REVIEW, { id: green.id, level: 1 }, tokens.office)).extensions?.code).toBe('CONFLICT');

  const c = (await ok(REVIEW, { id: confirmed.id, level: 1 }, tokens.office)).reviewRequest;
  expect(c).toMatchObject({ level: 1, reviewedAt: min(5).toISOString() });
  expect(c.timeline.at(-1)).toEqual({ action: 'REVIEWED', note: '审核确认：一级' });
  expect((await firstError(REVIEW, { id: confirmed.id, level: 1 }, tokens.office)).extensions?.code).toBe('CONFLICT');

  const k = (await ok(REVIEW, { id: corrected.id, level: 3, note: '仅一盏路灯' }, tokens.office)).reviewRequest;
  expect(k).toMatchObject({ level: 3, nextUpdateDueAt: null, acceptDueAt: new Date('2026-11-23T02:00:00Z').toISOString() });
  expect(k.timeline.at(-1).note).toBe('审核更正：一级改为三级（绿）；仅一盏路灯');

  // Neither raises a review alert; the corrected one has no hourly update and a level-3 acceptance limit.
  await sweepAt(min(70));
  expect(kinds(await alertsOf(confirmed.id)).sort()).toEqual(['ACCEPTANCE:STREET', 'ACCEPTANCE:URGE', 'UPDATE:URGE']);
  expect(await alertsOf(corrected.id)).toEqual([]);
});

it('two replicas sweeping the same database raise each alert once', async () => {
  now = FRIDAY_10;
  const ids: string[] = [];
  for (let i = 0; i < 8; i += 1) ids.push((await streetlight(true)).id);
  const sg = graph.subgraphs.requests;
  const second = await createSubgraph({ db: sg.db, config: testConfig, pubsub: sg.pubsub, clock });
  try {
    now = min(30);
    await Promise.all([sg.server.scheduler.runNamed(JOB), second.scheduler.runNamed(JOB), sg.server.scheduler.runNamed(JOB).then(() => second.scheduler.runNamed(JOB))]);
    for (const id of ids) {
      expect(kinds(await alertsOf(id)).sort()).toEqual(['ACCEPTANCE:URGE', 'REVIEW:DISTRICT', 'REVIEW:STREET', 'REVIEW:URGE']);
      const t = await timelineOf(id);
      expect(t.timeline.filter((e: any) => e.action === 'URGED' || e.action === 'ESCALATED')).toHaveLength(4);
    }
    expect(await models().Supervision.countDocuments({ requestId: { $in: ids } })).toBe(4 * ids.length);
    expect(await models().SupervisionAlert.countDocuments({ requestId: { $in: ids }, recorded: false })).toBe(0);
  } finally {
    await second.stop();
  }
});

it('after three hours without a sweep, one sweep raises every stage that came due, each once', async () => {
  now = FRIDAY_10;
  const r = await streetlight(true);
  await sweepAt(min(180));
  const expected = ['ACCEPTANCE:DISTRICT', 'ACCEPTANCE:STREET', 'ACCEPTANCE:URGE', 'REVIEW:DISTRICT', 'REVIEW:STREET', 'REVIEW:URGE', 'UPDATE:DISTRICT', 'UPDATE:STREET', 'UPDATE:URGE'];
  expect(kinds(await alertsOf(r.id)).sort()).toEqual(expected);
  await sweepAt(min(181));
  expect(kinds(await alertsOf(r.id)).sort()).toEqual(expected);
  const t = await timelineOf(r.id);
  expect(t.timeline.filter((e: any) => e.action === 'URGED' || e.action === 'ESCALATED')).toHaveLength(9);
});

it('finishes an alert a stopped replica claimed but never recorded, and withdraws one no longer due', async () => {
  now = FRIDAY_10;
  const r = await streetlight(true);
  const accepted = await streetlight(true);
  now = min(5);
  await ok('mutation($id: ID!) { acceptRequest(id: $id) { id } }', { id: accepted.id }, tokens.urban);
  const m = models();
  const place = { communityCode: SHUIBEI, streetCode: STREET, districtCode: '440303', recorded: false, raisedAt: min(10) };
  // Claimed at 10:10 by replicas that stopped before writing the timeline.
  const reviewId = `${r.id}:REVIEW:${min(10).toISOString()}:URGE`;
  await m.SupervisionAlert.create({ _id: reviewId, requestId: r.id, deadline: 'REVIEW', stage: 'URGE', dueAt: min(10), stageDueAt: min(10), departmentId: OFFICE, ...place });
  const staleId = `${accepted.id}:ACCEPTANCE:${min(30).toISOString()}:URGE`;
  await m.SupervisionAlert.create({ _id: staleId, requestId: accepted.id, deadline: 'ACCEPTANCE', stage: 'URGE', dueAt: min(30), stageDueAt: min(30), departmentId: 'LH-URBAN', ...place });

  await sweepAt(min(10)); // within a minute of the claim: its replica may still be writing
  expect(await alertsOf(r.id)).toEqual([]);
  await sweepAt(min(12));
  expect(kinds(await alertsOf(r.id))).toEqual(['REVIEW:URGE']);
  expect((await timelineOf(r.id)).timeline.filter((e: any) => e.action === 'URGED')).toHaveLength(1);
  expect(await m.SupervisionAlert.countDocuments({ _id: staleId })).toBe(0);
  expect(kinds(await alertsOf(accepted.id))).toEqual(['REVIEW:URGE']);
  await sweepAt(min(13));
  expect((await timelineOf(r.id)).timeline.filter((e: any) => e.action === 'URGED')).toHaveLength(1);
});

describe('who sees alerts', () => {
  it('admins any scope, the department its own, the street and its community workers their street; nobody else', async () => {
    const office = (await ok(ALERTS, { s: STREET }, tokens.office)).supervisionAlerts;
    expect(office.length).toBeGreaterThan(0);
    expect(office.every((a: any) => a.streetCode === STREET)).toBe(true);
    const own = (await ok(ALERTS, {}, tokens.urban)).supervisionAlerts;
    expect(own.length).toBeGreaterThan(0);
    expect(own.every((a: any) => a.departmentId === 'LH-URBAN')).toBe(true);
    const worker = (await ok(ALERTS, {}, tokens.worker)).supervisionAlerts;
    expect(worker.length).toBe((await ok(ALERTS, { s: STREET }, tokens.admin)).supervisionAlerts.length);
    expect((await ok(ALERTS, { x: '440303' }, tokens.admin)).supervisionAlerts.length).toBeGreaterThan(0);

    expect((await firstError(ALERTS, {})).extensions?.code).toBe('UNAUTHENTICATED');
    expect((await firstError(ALERTS, {}, tokens.resident)).extensions?.code).toBe('FORBIDDEN');
    expect((await firstError(ALERTS, { d: OFFICE }, tokens.urban)).extensions).toMatchObject({ code: 'FORBIDDEN', field: 'departmentId' });
    expect((await firstError(ALERTS, { s: '440303001' }, tokens.worker)).extensions).toMatchObject({ code: 'FORBIDDEN', field: 'streetCode' });
    expect((await firstError(ALERTS, { x: '440303' }, tokens.office)).extensions).toMatchObject({ code: 'FORBIDDEN', field: 'districtCode' });
    expect((await firstError(ALERTS, { s: 'not a code!' }, tokens.admin)).extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'streetCode' });
  });
});

describe('supervisionAlertRaised', () => {
  let client: Client;
  afterEach(() => client?.dispose());



  it('a street office subscriber receives the alert as it is raised, with the request from the graph', async () => {
    now = FRIDAY_10;
    const r = await streetlight(true);
    client = wsClientOf(graph, tokens.office);
    const streams = graph.gateway.subscriptions.stats().streams;
    const received: any[] = [];
    const done = new Promise<void>((resolve, reject) => {
      client.subscribe(
        { query: `subscription { supervisionAlertRaised(streetCode: "${STREET}") { id deadline stage departmentId message request { id number status community { name } } } }` },
        {
          next: (msg) => {
            if (msg.errors) return reject(new Error(JSON.stringify(msg.errors)));
            received.push(msg.data!.supervisionAlertRaised);
            if (received.some((a) => a.request.id === r.id)) resolve();
          },
          error: reject,
          complete: () => {},
        },
      );
    });
    await untilUpstreamStreams(graph, streams + 1);
    await sweepAt(min(10));
    await done;
    const alert = received.find((a) => a.request.id === r.id);
    expect(alert).toMatchObject({ deadline: 'REVIEW', stage: 'URGE', departmentId: OFFICE, request: { status: 'DISPATCHED', community: { name: expect.any(String) } } });
    expect(received.every((a) => a.id.includes(':'))).toBe(true);
  });

  it('refuses a subscriber outside its scope', async () => {
    client = wsClientOf(graph, tokens.urban);
    const error = await new Promise<any>((resolve) => {
      client.subscribe(
        { query: `subscription { supervisionAlertRaised(streetCode: "${STREET}") { id } }` },
        { next: (msg) => resolve(msg.errors?.[0] ?? msg), error: resolve, complete: () => resolve(null) },
      );
    });
    const first = Array.isArray(error) ? error[0] : error;
    expect(first?.extensions?.code ?? first?.message).toBe('FORBIDDEN');
  });
});
