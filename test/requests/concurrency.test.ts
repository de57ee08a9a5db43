import { DEMO_RESIDENT_ID, SHUIBEI } from '../../shared/dev/demo';
import { createModels } from '../../subgraphs/requests/models';
import { superviseOverdue } from '../../subgraphs/requests/services/supervision';
import { autoCloseResolved } from '../../subgraphs/requests/services/auto-close';
import { rebuildStatsCounters } from '../../subgraphs/requests/services/stats-counters';
import { adminViewer, communityWorkerViewer, residentViewer, staffViewer, type RunningSubgraph } from '../support/subgraph';
import { distinct, FRIDAY_10, ok, startRequests, SUBMIT } from './helpers';
import { concurrently, values } from '../support/concurrently';
import { serviceContext } from '../../shared/subgraph/service';

let sg: RunningSubgraph;
const demo = residentViewer(DEMO_RESIDENT_ID);
const urban = staffViewer('LH-URBAN');
const models = () => createModels(sg.db.conn);
/** A sweep's context at a given time, as the scheduler builds one. */
const sweepAt = (now: Date) => serviceContext({ models: models(), pubsub: sg.pubsub, clock: () => now });

beforeAll(async () => {
  sg = await startRequests('rq_concurrency', { history: false });
});
afterAll(() => sg?.stop());
beforeEach(() => sg.setNow(FRIDAY_10));

// With a key, the same input each time (a retry); without, a request of its own (not a duplicate).
const streetlight = (key?: string) => ({ title: '路灯不亮', description: key ? '水贝二路路灯不亮' : distinct('水贝二路路灯不亮'), channel: 'I_SHENZHEN', communityCode: SHUIBEI, ...(key ? { idempotencyKey: key } : {}) });

it('50 simultaneous submissions with one idempotency key create exactly one request', async () => {
  const before = await models().Request.countDocuments();
  const results = values(await concurrently(50, () => sg.query(SUBMIT, { input: streetlight('same-key-0000001') }, demo)));
  for (const r of results) expect(r.errors).toBeUndefined();
  const ids = new Set(results.map((r) => r.data.submitRequest.id));
  expect(ids.size).toBe(1);
  expect(await models().Request.countDocuments()).toBe(before + 1);
  expect(await models().Request.countDocuments({ submitterId: DEMO_RESIDENT_ID, idempotencyKey: 'same-key-0000001' })).toBe(1);
  // The same key from someone else is their own request.
  const other = await ok(sg, SUBMIT, { input: streetlight('same-key-0000001') }, residentViewer('R-0002'));
  expect(ids.has(other.submitRequest.id)).toBe(false);
});

it('50 simultaneous accepts over 5 requests: exactly one per request wins, the rest are CONFLICT', async () => {
  const ids: string[] = [];
  for (let i = 0; i < 5; i += 1) ids.push((await ok(sg, SUBMIT, { input: streetlight() }, demo)).submitRequest.id);
  const results = values(await concurrently(50, (i) => sg.query('mutation($id: ID!) { acceptRequest(id: $id) { id status } }', { id: ids[i % 5] }, urban)));
  const wins = results.filter((r) => !r.errors);
  expect(wins).toHaveLength(5);
  expect(new Set(wins.map((w) => w.data.acceptRequest.id))).toEqual(new Set(ids));
  for (const r of results.filter((x) => x.errors)) expect(r.errors![0].extensions?.code).toBe('CONFLICT');
  const docs = await models().Request.find({ _id: { $in: ids } }).lean();
  for (const d of docs) {
    expect(d.status).toBe('ACCEPTED');
    expect(d.timeline.filter((e) => e.action === 'ACCEPTED')).toHaveLength(1);
  }
});

it('51 simultaneous reports of 3 community orders: each is reported once', async () => {
  const issue = 'mutation($d: ID!, $s: String!, $by: DateTime!) { issueCommunityOrder(communityCode: "440303003001", departmentId: $d, subject: $s, reportBy: $by) { id } }';
  const by = new Date(FRIDAY_10.getTime() + 24 * 3600000).toISOString();
  const ids: string[] = [];
  for (let i = 0; i < 3; i += 1) ids.push((await ok(sg, issue, { d: 'LH-URBAN', s: `占道经营整治 ${i}`, by }, communityWorkerViewer(SHUIBEI))).issueCommunityOrder.id);
  const results = values(
    await concurrently(51, (i) => sg.query('mutation($id: ID!) { reportCommunityOrder(id: $id, note: "已到场") { id status onTime } }', { id: ids[i % 3] }, urban)),
  );
  expect(results.filter((r) => !r.errors)).toHaveLength(3);
  for (const r of results.filter((x) => x.errors)) expect(r.errors![0].extensions?.code).toBe('CONFLICT');
  expect(await models().CommunityOrder.countDocuments({ _id: { $in: ids }, status: 'REPORTED' })).toBe(3);
});

describe('automatic supervision', () => {
  it('urges the day after the deadline and escalates 5 working days late, once each, even when run concurrently', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 4; i += 1) ids.push((await ok(sg, SUBMIT, { input: streetlight() }, demo)).submitRequest.id);
    for (const id of ids) await ok(sg, 'mutation($id: ID!) { acceptRequest(id: $id) { id } }', { id }, urban);
    // One of them is resolved in time and must never be supervised.
    await ok(sg, 'mutation($id: ID!) { resolveRequest(id: $id, note: "已修复") { id } }', { id: ids[3] }, urban);
    const open = ids.slice(0, 3);
    const m = models();
    const records = () => m.Supervision.countDocuments({ requestId: { $in: ids } });
    // Every request this file left with a department (earlier tests' too) is due: count them all.
    const due = await m.Request.countDocuments({ status: { $in: ['DISPATCHED', 'ACCEPTED', 'IN_PROGRESS', 'REOPENED'] } });
    const allRecords = () => m.Supervision.countDocuments({});

    // Dispatched Friday 10:00 → due next Friday 10:00 (2026-11-27T02:00Z); the urge starts at Saturday 00:00 local.
    expect(await superviseOverdue(sweepAt(new Date('2026-11-27T15:59:00Z')))).toBe(0);
    const saturday = new Date('2026-11-27T16:00:00Z');
    const [a, b] = await Promise.all([superviseOverdue(sweepAt(saturday)), superviseOverdue(sweepAt(saturday))]);
    expect(a + b).toBe(due);
    expect(await records()).toBe(3);
    expect(await allRecords()).toBe(due);
    expect(await superviseOverdue(sweepAt(saturday))).toBe(0);

    // 5 working days after the deadline: Friday 2026-12-04 10:00.
    expect(await superviseOverdue(sweepAt(new Date('2026-12-04T01:59:00Z')))).toBe(0);
    const late = new Date('2026-12-04T02:00:00Z');
    const [c, d] = await Promise.all([superviseOverdue(sweepAt(late)), superviseOverdue(sweepAt(late))]);
    expect(c + d).toBe(due);
    expect(await superviseOverdue(sweepAt(late))).toBe(0);
    expect(await records()).toBe(6);
    expect(await allRecords()).toBe(2 * due);

    sg.setNow(late);
    const data = await ok(sg, 'query($id: ID!) { request(id: $id) { urgeCount escalated overdue timeline { action actor } } }', { id: open[0] }, adminViewer);
    expect(data.request).toMatchObject({ urgeCount: 1, escalated: true, overdue: true });
    expect(data.request.timeline.filter((e: any) => e.action === 'URGED' || e.action === 'ESCALATED')).toEqual([
      { action: 'URGED', actor: 'system' },
      { action: 'ESCALATED', actor: 'system' },
    ]);
    const board = await ok(sg, '{ department(id: "LH-URBAN") { board { urges escalations overdue { id } } } }', {}, urban);
    expect(board.department.board).toMatchObject({ urges: due, escalations: due });
    expect(board.department.board.overdue.map((r: any) => r.id)).toEqual(expect.arrayContaining(open));
    expect(board.department.board.overdue.map((r: any) => r.id)).not.toContain(ids[3]);
  });
});

describe('automatic close of unevaluated resolved requests', () => {
  it('closes after 3 working days without evaluation, once, even when run concurrently', async () => {
    const m = models();
    const id = (await ok(sg, SUBMIT, { input: streetlight() }, demo)).submitRequest.id;
    await ok(sg, 'mutation($id: ID!) { acceptRequest(id: $id) { id } }', { id }, urban);
    await ok(sg, 'mutation($id: ID!) { resolveRequest(id: $id, note: "已修复") { id } }', { id }, urban); // Friday 10:00
    const resolvedNow = await m.Request.countDocuments({ status: 'RESOLVED' });
    expect(await autoCloseResolved(sweepAt(new Date('2026-11-25T01:59:00Z')))).toBe(0); // Wednesday 09:59
    const wednesday = new Date('2026-11-25T02:00:00Z');
    const [a, b] = await Promise.all([autoCloseResolved(sweepAt(wednesday)), autoCloseResolved(sweepAt(wednesday))]);
    expect(a + b).toBe(resolvedNow);
    const doc = await m.Request.findById(id).lean();
    expect(doc!.status).toBe('CLOSED');
    expect(doc!.timeline.filter((e) => e.action === 'CLOSED')).toEqual([expect.objectContaining({ actor: 'system', note: '逾期未评价，自动办结' })]);
    expect(await autoCloseResolved(sweepAt(wednesday))).toBe(0);
  });
});

it('request figures kept in counters stay exact under simultaneous submissions and steps', async () => {
  const m = models();
  const snapshot = async () =>
    Object.fromEntries((await m.StatsCounter.find().lean()).filter((d) => !d._id.startsWith('~')).map((d) => [d._id, d.groups]).sort(([a], [b]) => String(a).localeCompare(String(b))));
  // 30 submissions at once: all in Shuibei, so every one contends for the same community,
  // street, district, department and city counters.
  const submitted = await Promise.all(Array.from({ length: 30 }, () => ok(sg, SUBMIT, { input: streetlight() }, demo)));
  const ids = submitted.map((s) => s.submitRequest.id);
  // Then half of them accepted at once (moves each between groups in every scope).
  const accepts = await Promise.all(ids.slice(0, 15).map((id) => sg.query('mutation($id: ID!) { acceptRequest(id: $id) { id status } }', { id }, urban)));
  for (const a of accepts) expect(a.errors).toBeUndefined();
  const kept = await snapshot();
  await rebuildStatsCounters({ models: m });
  expect(kept).toEqual(await snapshot());
  const stats = await ok(sg, `query { requestStats(communityCode: "${SHUIBEI}") { received open } }`, {}, adminViewer);
  expect(stats.requestStats.received).toBe(await m.Request.countDocuments({ communityCode: SHUIBEI }));
  expect(stats.requestStats.open).toBe(await m.Request.countDocuments({ communityCode: SHUIBEI, status: { $in: ['SUBMITTED', 'DISPATCHED', 'ACCEPTED', 'IN_PROGRESS', 'RETURNED', 'REOPENED'] } }));
}, 120_000);
