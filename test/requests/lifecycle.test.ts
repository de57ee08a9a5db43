import type { Viewer } from '../../shared/platform/auth';
import { DEMO_RESIDENT_ID, SHUIBEI } from '../../shared/dev/demo';
import { topics } from '../../subgraphs/requests/events';
import { adminViewer, residentViewer, staffViewer, type RunningSubgraph } from '../support/subgraph';
import { distinct, fails, FRIDAY_10, ok, REQUEST_FIELDS, startRequests, SUBMIT } from './helpers';

let sg: RunningSubgraph;
const demo = residentViewer(DEMO_RESIDENT_ID);
const urban = staffViewer('LH-URBAN');
const housing = staffViewer('LH-HOUSING');
const cuizhuOffice = staffViewer('ST-440303003');
let keySeq = 0;

beforeAll(async () => {
  sg = await startRequests('rq_lifecycle', { history: false });
});
afterAll(() => sg?.stop());
beforeEach(() => sg.setNow(FRIDAY_10));

const GET = `query($id: ID!) { request(id: $id) { ${REQUEST_FIELDS} } }`;
const M = {
  dispatch: `mutation($id: ID!, $d: ID!, $note: String) { dispatchRequest(id: $id, departmentId: $d, note: $note) { ${REQUEST_FIELDS} } }`,
  accept: `mutation($id: ID!) { acceptRequest(id: $id) { ${REQUEST_FIELDS} } }`,
  return: `mutation($id: ID!, $reason: String!) { returnRequest(id: $id, reason: $reason) { ${REQUEST_FIELDS} } }`,
  progress: `mutation($id: ID!, $note: String!) { addRequestProgress(id: $id, note: $note) { ${REQUEST_FIELDS} } }`,
  extend: `mutation($id: ID!, $reason: String!) { extendRequestDeadline(id: $id, reason: $reason) { ${REQUEST_FIELDS} } }`,
  resolve: `mutation($id: ID!, $note: String!) { resolveRequest(id: $id, note: $note) { ${REQUEST_FIELDS} } }`,
  evaluate: `mutation($id: ID!, $rating: EvaluationRating!, $comment: String) { evaluateRequest(id: $id, rating: $rating, comment: $comment) { ${REQUEST_FIELDS} } }`,
  duplicate: `mutation($id: ID!, $p: ID!) { markRequestDuplicate(id: $id, parentId: $p) { ${REQUEST_FIELDS} duplicates { id } } }`,
  supervise: `mutation($id: ID!, $a: SupervisionAction!, $note: String) { superviseRequest(id: $id, action: $a, note: $note) { ${REQUEST_FIELDS} } }`,
};

async function submit(patch: Record<string, unknown> = {}, viewer: Viewer = demo) {
  const input = { title: '水贝社区路灯不亮', description: '路灯连续三晚不亮', channel: 'I_SHENZHEN', communityCode: SHUIBEI, idempotencyKey: `lifecycle-${++keySeq}-key`, ...patch };
  return (await ok(sg, SUBMIT, { input: { ...input, description: distinct(input.description as string) } }, viewer)).submitRequest;
}
const get = async (id: string) => (await ok(sg, GET, { id }, adminViewer)).request;
const actions = (r: any) => r.timeline.map((e: any) => e.action);

describe('the closed loop', () => {
  it('submit → dispatched automatically → accepted → progress → extended once → resolved → unsatisfied reopens → resolved → satisfied closes', async () => {
    const r = await submit();
    expect(r.status).toBe('DISPATCHED');
    expect(r.department.id).toBe('LH-URBAN');
    expect(actions(r)).toEqual(['SUBMITTED', 'DISPATCHED']);
    expect(r.timeline[1]).toMatchObject({ actor: 'system', role: 'system', toDepartment: { id: 'LH-URBAN' } });
    expect(r.number).toMatch(/^SZ20261120-\d{6}$/);

    for (const [viewer, code] of [[housing, 'FORBIDDEN'], [demo, 'FORBIDDEN'], [undefined, 'UNAUTHENTICATED']] as const) {
      expect((await fails(sg, M.accept, { id: r.id }, viewer)).extensions?.code).toBe(code);
    }
    expect((await get(r.id)).status).toBe('DISPATCHED');

    sg.setNow(new Date(FRIDAY_10.getTime() + 3600000));
    const accepted = (await ok(sg, M.accept, { id: r.id }, urban)).acceptRequest;
    expect(accepted).toMatchObject({ status: 'ACCEPTED', acceptedAt: '2026-11-20T03:00:00.000Z', currentDeadline: r.dueAt });
    const progressed = (await ok(sg, M.progress, { id: r.id, note: '已安排人员维修' }, urban)).addRequestProgress;
    expect(progressed.status).toBe('IN_PROGRESS');

    const extended = (await ok(sg, M.extend, { id: r.id, reason: '需更换电缆' }, urban)).extendRequestDeadline;
    expect(extended).toMatchObject({ extended: true, status: 'IN_PROGRESS', dueAt: '2026-12-04T02:00:00.000Z' }); // 10 working days after Friday's dispatch
    const twice = await fails(sg, M.extend, { id: r.id, reason: '再延期' }, urban);
    expect(twice.extensions?.code).toBe('CONFLICT');

    const resolved = (await ok(sg, M.resolve, { id: r.id, note: '已修复' }, urban)).resolveRequest;
    expect(resolved).toMatchObject({ status: 'RESOLVED', resolvedOnTime: true, overdue: false, timeLeftSeconds: null });

    expect((await fails(sg, M.evaluate, { id: r.id, rating: 'SATISFIED' }, residentViewer('R-0002'))).extensions?.code).toBe('FORBIDDEN');
    expect((await fails(sg, M.evaluate, { id: r.id, rating: 'SATISFIED' }, urban)).extensions?.code).toBe('FORBIDDEN');

    sg.setNow(new Date('2026-11-23T02:00:00Z')); // Monday 10:00
    const reopened = (await ok(sg, M.evaluate, { id: r.id, rating: 'UNSATISFIED', comment: '还是不亮' }, demo)).evaluateRequest;
    expect(reopened).toMatchObject({ status: 'REOPENED', department: { id: 'LH-URBAN' }, extended: false, resolvedAt: null, evaluation: { rating: 'UNSATISFIED', comment: '还是不亮' } });
    expect(reopened.dueAt).toBe('2026-11-30T02:00:00.000Z'); // a fresh round of 5 working days

    await ok(sg, M.resolve, { id: r.id, note: '更换灯具' }, urban);
    const closed = (await ok(sg, M.evaluate, { id: r.id, rating: 'BASICALLY_SATISFIED' }, demo)).evaluateRequest;
    expect(closed.status).toBe('CLOSED');
    expect(closed.closedAt).toBe('2026-11-23T02:00:00.000Z');
    expect(actions(closed)).toEqual(['SUBMITTED', 'DISPATCHED', 'ACCEPTED', 'PROGRESS', 'EXTENDED', 'RESOLVED', 'EVALUATED', 'REOPENED', 'RESOLVED', 'EVALUATED', 'CLOSED']);
    // The timeline only grows: what was read before is still its prefix.
    expect(closed.timeline.slice(0, accepted.timeline.length)).toEqual(accepted.timeline);
  });

  it('unclassified text waits for the street office, which dispatches it; only admins and that office may', async () => {
    const r = await submit({ title: '一件事', description: '想了解一下安排' });
    expect(r).toMatchObject({ status: 'SUBMITTED', item: { code: 'C18-01' }, department: { id: 'ST-440303003' }, dispatchedAt: null });
    expect(actions(r)).toEqual(['SUBMITTED']);
    expect((await fails(sg, M.dispatch, { id: r.id, d: 'LH-CIVIL' }, urban)).extensions?.code).toBe('FORBIDDEN');
    expect((await fails(sg, M.dispatch, { id: r.id, d: 'LH-CIVIL' }, staffViewer('ST-440303002'))).extensions?.code).toBe('FORBIDDEN');
    const badDept = await fails(sg, M.dispatch, { id: r.id, d: 'XX-NONE' }, cuizhuOffice);
    expect(badDept.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'departmentId' });
    expect((await get(r.id)).status).toBe('SUBMITTED');
    const d = (await ok(sg, M.dispatch, { id: r.id, d: 'LH-CIVIL', note: '转民政' }, cuizhuOffice)).dispatchRequest;
    expect(d).toMatchObject({ status: 'DISPATCHED', department: { id: 'LH-CIVIL' }, dispatchedAt: FRIDAY_10.toISOString() });
    expect(d.timeline.at(-1)).toMatchObject({ action: 'DISPATCHED', actor: 'staff-ST-440303003', role: 'staff', note: '转民政', toDepartment: { id: 'LH-CIVIL' } });
  });

  it('a department returns within 2 working days with a reason; re-dispatch elsewhere upholds the return', async () => {
    const board = async () => (await ok(sg, '{ department(id: "LH-URBAN") { board { returnsTotal returnsUpheld } } }', {}, urban)).department.board;
    const before = await board();
    const r = await submit();
    const noReason = await fails(sg, M.return, { id: r.id, reason: ' ' }, urban);
    expect(noReason.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'reason' });
    expect((await fails(sg, M.return, { id: r.id, reason: '不归我们' }, housing)).extensions?.code).toBe('FORBIDDEN');
    sg.setNow(new Date('2026-11-24T02:00:00Z')); // Tuesday 10:00: exactly 2 working days after Friday 10:00
    const returned = (await ok(sg, M.return, { id: r.id, reason: '属于供电部门职责' }, urban)).returnRequest;
    expect(returned).toMatchObject({ status: 'RETURNED', department: null });
    expect(returned.timeline.at(-1)).toMatchObject({ action: 'RETURNED', note: '属于供电部门职责', fromDepartment: { id: 'LH-URBAN' } });
    expect(await board()).toEqual({ returnsTotal: before.returnsTotal + 1, returnsUpheld: before.returnsUpheld });

    const redispatched = (await ok(sg, M.dispatch, { id: r.id, d: 'LH-HOUSING' }, adminViewer)).dispatchRequest;
    expect(redispatched.timeline.at(-1)).toMatchObject({ action: 'DISPATCHED', fromDepartment: { id: 'LH-URBAN' }, toDepartment: { id: 'LH-HOUSING' } });
    expect(redispatched.dueAt).toBe('2026-12-01T02:00:00.000Z'); // the new department's own 5 working days
    expect(await board()).toEqual({ returnsTotal: before.returnsTotal + 1, returnsUpheld: before.returnsUpheld + 1 });

    // Too late: dispatched Friday 10:00, Tuesday 10:01 is past the window.
    sg.setNow(FRIDAY_10);
    const late = await submit();
    sg.setNow(new Date('2026-11-24T02:01:00Z'));
    const err = await fails(sg, M.return, { id: late.id, reason: '不归我们' }, urban);
    expect(err.extensions?.code).toBe('CONFLICT');
    expect((await get(late.id)).status).toBe('DISPATCHED');
  });

  it('re-dispatching to the department that returned it does not uphold the return', async () => {
    const board = async () => (await ok(sg, '{ department(id: "LH-URBAN") { board { returnsTotal returnsUpheld } } }', {}, adminViewer)).department.board;
    const r = await submit();
    await ok(sg, M.return, { id: r.id, reason: '信息不全' }, urban);
    const mid = await board();
    await ok(sg, M.dispatch, { id: r.id, d: 'LH-URBAN', note: '已补充信息' }, cuizhuOffice);
    expect(await board()).toEqual(mid);
  });

  it('duplicates close and link to the root parent; errors name the cause', async () => {
    const parent = await submit();
    const child = await submit();
    const grandchild = await submit();
    expect((await fails(sg, M.duplicate, { id: child.id, p: child.id }, adminViewer)).extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'parentId' });
    expect((await fails(sg, M.duplicate, { id: child.id, p: 'abc' }, adminViewer)).extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'parentId' });
    expect((await fails(sg, M.duplicate, { id: child.id, p: '5eed00000000000000000fff' }, adminViewer)).extensions?.code).toBe('NOT_FOUND');
    expect((await fails(sg, M.duplicate, { id: child.id, p: parent.id }, housing)).extensions?.code).toBe('FORBIDDEN');
    const dup = (await ok(sg, M.duplicate, { id: child.id, p: parent.id }, urban)).markRequestDuplicate;
    expect(dup).toMatchObject({ status: 'DUPLICATE', parent: { id: parent.id } });
    const dup2 = (await ok(sg, M.duplicate, { id: grandchild.id, p: child.id }, cuizhuOffice)).markRequestDuplicate;
    expect(dup2.parent.id).toBe(parent.id);
    const p = await ok(sg, 'query($id: ID!) { request(id: $id) { duplicates { id } } }', { id: parent.id });
    expect(p.request.duplicates.map((d: any) => d.id).sort()).toEqual([child.id, grandchild.id].sort());
  });

  it('admins urge and escalate open requests; others may not', async () => {
    const r = await submit();
    expect((await fails(sg, M.supervise, { id: r.id, a: 'URGE' }, urban)).extensions?.code).toBe('FORBIDDEN');
    expect((await fails(sg, M.supervise, { id: r.id, a: 'URGE' })).extensions?.code).toBe('UNAUTHENTICATED');
    const before = (await ok(sg, '{ department(id: "LH-URBAN") { board { urges escalations } } }', {}, adminViewer)).department.board;
    const urged = (await ok(sg, M.supervise, { id: r.id, a: 'URGE', note: '请加快处理' }, adminViewer)).superviseRequest;
    expect(urged).toMatchObject({ urgeCount: 1, escalated: false, status: 'DISPATCHED' });
    const esc = (await ok(sg, M.supervise, { id: r.id, a: 'ESCALATE' }, adminViewer)).superviseRequest;
    expect(esc.escalated).toBe(true);
    expect(actions(esc).slice(-2)).toEqual(['URGED', 'ESCALATED']);
    const after = (await ok(sg, '{ department(id: "LH-URBAN") { board { urges escalations } } }', {}, adminViewer)).department.board;
    expect(after).toEqual({ urges: before.urges + 1, escalations: before.escalations + 1 });
  });

  it('unknown and malformed ids: NOT_FOUND and BAD_USER_INPUT', async () => {
    expect((await fails(sg, M.accept, { id: '5eed00000000000000000fff' }, urban)).extensions?.code).toBe('NOT_FOUND');
    expect((await fails(sg, M.accept, { id: 'not-an-id' }, urban)).extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'id' });
    expect((await fails(sg, GET, { id: '{"$ne":1}' }, adminViewer)).extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'id' });
  });
});

describe('grading and deadlines through the API', () => {
  it('level 1 gets the 10/30/60-minute clocks; time left and overdue follow the clock across the weekend', async () => {
    sg.setNow(new Date('2026-11-20T07:00:00Z')); // Friday 15:00
    const r = await submit({ title: '楼道燃气泄漏', description: '闻到很重的煤气味', urgent: true });
    expect(r).toMatchObject({
      level: 1,
      levelColor: 'RED',
      item: { code: 'C02-06' },
      department: { id: 'LH-HOUSING' },
      reviewDueAt: '2026-11-20T07:10:00.000Z',
      dispatchDueAt: '2026-11-20T07:30:00.000Z',
      acceptDueAt: '2026-11-20T07:30:00.000Z',
      nextUpdateDueAt: '2026-11-20T08:00:00.000Z',
      dueAt: '2026-11-27T07:00:00.000Z',
      currentDeadline: '2026-11-20T07:30:00.000Z',
      timeLeftSeconds: 1800,
      overdue: false,
    });
    sg.setNow(new Date('2026-11-20T07:31:00Z'));
    expect(await get(r.id)).toMatchObject({ overdue: true, timeLeftSeconds: -60 });
    const stats = async () => (await ok(sg, '{ requestStats(departmentId: "LH-HOUSING", level: 1) { overdueLevel1 } }', {})).requestStats.overdueLevel1;
    const overdueBefore = await stats();
    const accepted = (await ok(sg, M.accept, { id: r.id }, housing)).acceptRequest;
    expect(accepted).toMatchObject({ overdue: false, currentDeadline: '2026-11-27T07:00:00.000Z', nextUpdateDueAt: '2026-11-20T08:31:00.000Z' });
    expect(await stats()).toBe(overdueBefore - 1);

    const yellow = await submit({ peopleInvolved: 5 });
    expect(yellow).toMatchObject({ level: 2, levelColor: 'YELLOW', reviewDueAt: null, nextUpdateDueAt: null, acceptDueAt: '2026-11-23T07:31:00.000Z' });
    const green = await submit({ amountAtStake: 99_999 });
    expect(green).toMatchObject({ level: 3, levelColor: 'GREEN' });
    const rich = await submit({ amountAtStake: 1_000_000 });
    expect(rich.level).toBe(1);
  });
});

describe('forbidden transitions answer CONFLICT naming the status and change nothing', () => {
  const calls: Record<string, [string, (id: string) => Record<string, unknown>, Viewer]> = {
    accept: [M.accept, (id) => ({ id }), urban],
    return: [M.return, (id) => ({ id, reason: '不归我们' }), urban],
    progress: [M.progress, (id) => ({ id, note: '进展' }), urban],
    extend: [M.extend, (id) => ({ id, reason: '延期' }), urban],
    resolve: [M.resolve, (id) => ({ id, note: '办结' }), urban],
    evaluate: [M.evaluate, (id) => ({ id, rating: 'SATISFIED' }), demo],
    dispatch: [M.dispatch, (id) => ({ id, d: 'LH-URBAN' }), adminViewer],
    markDuplicate: [M.duplicate, (id) => ({ id, p: parentId }), adminViewer],
    supervise: [M.supervise, (id) => ({ id, a: 'URGE' }), adminViewer],
  };
  let parentId: string;
  beforeAll(async () => {
    parentId = (await submit()).id;
  });
  const allowed: Record<string, string[]> = {
    SUBMITTED: ['dispatch', 'markDuplicate', 'supervise'],
    DISPATCHED: ['accept', 'return', 'markDuplicate', 'supervise'],
    RETURNED: ['dispatch', 'markDuplicate', 'supervise'],
    ACCEPTED: ['progress', 'extend', 'resolve', 'markDuplicate', 'supervise'],
    IN_PROGRESS: ['progress', 'extend', 'resolve', 'markDuplicate', 'supervise'],
    RESOLVED: ['evaluate'],
    REOPENED: ['progress', 'extend', 'resolve', 'supervise'],
    CLOSED: [],
    DUPLICATE: [],
  };

  /** Drives a new request of the demo resident to `status` through the API. */
  async function reach(status: string): Promise<string> {
    if (status === 'SUBMITTED') return (await submit({ title: '一件事', description: '想问问' })).id;
    const { id } = await submit();
    const run = (name: string) => ok(sg, calls[name][0], calls[name][1](id), name === 'dispatch' ? adminViewer : calls[name][2]);
    const paths: Record<string, string[]> = {
      DISPATCHED: [],
      RETURNED: ['return'],
      ACCEPTED: ['accept'],
      IN_PROGRESS: ['accept', 'progress'],
      RESOLVED: ['accept', 'resolve'],
      REOPENED: ['accept', 'resolve'],
      CLOSED: ['accept', 'resolve', 'evaluate'],
      DUPLICATE: ['markDuplicate'],
    };
    for (const step of paths[status]) await run(step);
    if (status === 'REOPENED') await ok(sg, M.evaluate, { id, rating: 'UNSATISFIED' }, demo);
    return id;
  }

  it.each(Object.keys(allowed))('from %s', async (status) => {
    const id = await reach(status);
    const before = await get(id);
    expect(before.status).toBe(status);
    for (const [action, [query, vars, viewer]] of Object.entries(calls)) {
      if (allowed[status].includes(action)) continue;
      const err = await fails(sg, query, vars(id), viewer);
      expect({ action, code: err.extensions?.code, status: err.extensions?.status }).toEqual({ action, code: 'CONFLICT', status });
      expect(err.message).toContain(status);
    }
    expect(await get(id)).toEqual(before);
  });
});

describe('events', () => {
  it('publishes the request and the community figures after a change', async () => {
    const updates = sg.pubsub.subscribe<any>(topics.requestUpdated(SHUIBEI));
    const stats = sg.pubsub.subscribe<any>(topics.requestStatsChanged(SHUIBEI));
    const r = await submit();
    const event = (await updates.next()).value;
    expect(String(event._id)).toBe(r.id);
    const figures = (await stats.next()).value;
    expect(figures.received).toBeGreaterThan(0);
    await ok(sg, M.accept, { id: r.id }, urban);
    expect((await updates.next()).value.status).toBe('ACCEPTED');
    await updates.return!();
    await stats.return!();
  });
});
