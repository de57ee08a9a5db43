import type { Viewer } from '../../shared/platform/auth';
import { DEMO_RESIDENT_ID, SHUIBEI } from '../../shared/dev/demo';
import { concurrently, outcomes, startBurstGateway, values } from '../support/concurrently';
import { startGraph, type RunningGraph } from '../support/graph';

/**
 * 民生微实事 through the gateway: the whole lifecycle on a fake clock (propose → consult → approve
 * → progress → acceptance), one vote per resident under 50 concurrent taps, every role refused
 * where it does not belong, bad input refused with nothing written, and the figures exact.
 */
const CUIZHU_STREET = '440303003';
const LUOHU = '440303';
const CUIZHU_COMMUNITY = '440303003002';
const DAY = 24 * 3600 * 1000;
let now = new Date('2026-11-20T02:00:00Z');
let graph: RunningGraph;

const tok = (viewer: Viewer) => graph.token(viewer);
const resident = (id: string) => tok({ role: 'resident', subject: id, residentId: id });
const proposer = () => resident(DEMO_RESIDENT_ID);
const worker = (community = SHUIBEI) => tok({ role: 'community_worker', subject: `worker-${community}`, communityCode: community });
const streetOffice = (street = CUIZHU_STREET) => tok({ role: 'staff', subject: `staff-ST-${street}`, departmentId: `ST-${street}`, streetCode: street });
const admin = () => tok({ role: 'admin', subject: 'admin' });

/** Residents registered in Shuibei besides the demo's three (R-DEMO-0001, R-0002, R-0006). */
const NEW_RESIDENTS = ['R-MP-0001', 'R-MP-0002', 'R-MP-0003'];
const VOTERS = [DEMO_RESIDENT_ID, 'R-0002', 'R-0006', ...NEW_RESIDENTS];

const PROJECT = `id title status category estimatedBudget approvedBudget spent proposedByMe votingEndsAt approvedAt completedAt acceptedAt rejectionReason acceptedBy
  community { code } street { code } district { code }
  votes { support oppose cast eligible passes mine }
  timeline { action status actor role note stage spend party }`;
const STATS = 'count approved completed accepted approvedBudget spent';

async function ok<T = any>(query: string, variables: Record<string, unknown>, token?: string): Promise<T> {
  const res = await graph.query<T>(query, variables, token);
  if (res.errors) throw new Error(`unexpected errors: ${JSON.stringify(res.errors)}`);
  return res.data as T;
}

async function refused(query: string, variables: Record<string, unknown>, token?: string) {
  const res = await graph.query(query, variables, token);
  expect(res.errors?.length).toBeGreaterThan(0);
  return res.errors![0] as { message: string; extensions: Record<string, unknown> };
}

/** GB 11643 check character, so the test's residents register with valid ID numbers. */
function idNumber(first17: string): string {
  const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const sum = weights.reduce((acc, w, i) => acc + w * Number(first17[i]), 0);
  return first17 + '10X98765432'[sum % 11];
}

const PROPOSE = `mutation($input: ProposeMicroProjectInput!) { proposeMicroProject(input: $input) { ${PROJECT} } }`;
const OPEN = `mutation($id: ID!, $end: DateTime!) { openMicroProjectConsultation(id: $id, votingEndsAt: $end) { ${PROJECT} } }`;
const VOTE = `mutation($id: ID!, $support: Boolean!) { voteOnMicroProject(id: $id, support: $support) { id } }`;
const CLOSE = `mutation($id: ID!) { closeMicroProjectConsultation(id: $id) { ${PROJECT} } }`;
const APPROVE = `mutation($id: ID!, $budget: Int!, $note: String) { approveMicroProject(id: $id, budget: $budget, note: $note) { ${PROJECT} } }`;
const REJECT = `mutation($id: ID!, $reason: String!) { rejectMicroProject(id: $id, reason: $reason) { ${PROJECT} } }`;
const REPORT = `mutation($id: ID!, $input: ReportMicroProjectProgressInput!) { reportMicroProjectProgress(id: $id, input: $input) { ${PROJECT} } }`;
const ACCEPT = `mutation($id: ID!, $note: String) { acceptMicroProject(id: $id, note: $note) { ${PROJECT} } }`;
const GET = `query($id: ID!) { microProject(id: $id) { ${PROJECT} } }`;
const SCOPES = `{
  microProjectStats { ${STATS} }
  district(code: "${LUOHU}") { microProjectStats { ${STATS} } }
  street(code: "${CUIZHU_STREET}") { microProjectStats { ${STATS} } communities { code microProjectStats { ${STATS} } } }
  community(code: "${SHUIBEI}") { microProjectStats { ${STATS} } microProjects(limit: 200) { status approvedBudget spent } }
}`;

const input = (extra: Record<string, unknown> = {}) => ({
  communityCode: SHUIBEI,
  title: '水贝一村加装楼道扶手',
  description: '老人上下楼不便，申请在1至6栋楼道加装不锈钢扶手。',
  category: 'ENGINEERING',
  estimatedBudget: 80000,
  ...extra,
});

async function propose(extra: Record<string, unknown> = {}, token = proposer()) {
  return (await ok(PROPOSE, { input: input(extra) }, token)).proposeMicroProject;
}

async function openVote(id: string) {
  return (await ok(OPEN, { id, end: new Date(now.getTime() + 7 * DAY).toISOString() }, worker())).openMicroProjectConsultation;
}

/** A project carried to SUPPORTED: `support` residents in favour, the rest of five against. */
async function supported(support = 4) {
  const p = await propose();
  await openVote(p.id);
  for (let i = 0; i < 5; i += 1) await ok(VOTE, { id: p.id, support: i < support }, resident(VOTERS[i]));
  now = new Date(now.getTime() + 8 * DAY);
  return (await ok(CLOSE, { id: p.id }, worker())).closeMicroProjectConsultation;
}

const scopes = () => ok(SCOPES, {});

beforeAll(async () => {
  graph = await startGraph({ now, clock: () => now });
  for (const [i, id] of NEW_RESIDENTS.entries()) {
    await ok(
      `mutation($input: RegisterResidentInput!) { registerResident(input: $input) { id } }`,
      { input: { name: `居民${i + 1}`, phone: `1380000000${i}`, idNumber: idNumber(`44030319800101${String(100 + i)}`), homeCommunityCode: SHUIBEI } },
      resident(id),
    );
  }
}, 180000);

afterAll(async () => {
  await graph?.stop();
});

it('seeds five projects per demo community, one in each stage of its life', async () => {
  const data = await ok(`{ community(code: "${SHUIBEI}") { microProjects { status approvedBudget spent acceptedBy votes { support oppose cast } } } }`, {});
  const list = data.community.microProjects;
  expect(list.map((p: any) => p.status).sort()).toEqual(['ACCEPTED', 'APPROVED', 'CONSULTING', 'IN_PROGRESS', 'PROPOSED']);
  for (const p of list) if (p.approvedBudget != null) expect(p.spent).toBeLessThanOrEqual(p.approvedBudget);
  expect(list.find((p: any) => p.status === 'CONSULTING').votes).toEqual({ support: 1, oppose: 1, cast: 2 });
  expect(list.find((p: any) => p.status === 'ACCEPTED').acceptedBy).toEqual(['PROPOSER', 'COMMUNITY']);
  const city = (await ok(`{ microProjectStats { count accepted } communities { code } }`, {}));
  expect(city.microProjectStats).toEqual({ count: city.communities.length * 5, accepted: city.communities.length });
});

it('runs the whole lifecycle: propose, consult, approve with a budget, report progress, accept', async () => {
  const before = await scopes();
  const key = 'mp-handrails-0001';
  const p = await propose({ idempotencyKey: key });
  expect(p).toMatchObject({ status: 'PROPOSED', category: 'ENGINEERING', estimatedBudget: 80000, spent: 0, approvedBudget: null, proposedByMe: true, community: { code: SHUIBEI }, street: { code: CUIZHU_STREET }, district: { code: LUOHU } });
  // The same key and input is the same proposal; other input under it is refused.
  expect((await propose({ idempotencyKey: key })).id).toBe(p.id);
  expect((await refused(PROPOSE, { input: input({ idempotencyKey: key, estimatedBudget: 90000 }) }, proposer())).extensions.code).toBe('IDEMPOTENCY_KEY_REUSED');
  // Another viewer sees that someone proposed it, not who.
  expect((await ok(GET, { id: p.id }, resident('R-0002'))).microProject).toMatchObject({ proposedByMe: false, timeline: [{ action: 'PROPOSED', actor: 'resident' }] });

  const opened = await openVote(p.id);
  expect(opened.status).toBe('CONSULTING');
  expect(opened.votes).toMatchObject({ cast: 0, eligible: VOTERS.length, passes: false });
  for (const [i, id] of VOTERS.slice(0, 5).entries()) await ok(VOTE, { id: p.id, support: i !== 4 }, resident(id));
  const tally = (await ok(GET, { id: p.id }, resident(VOTERS[4]))).microProject.votes;
  expect(tally).toEqual({ support: 4, oppose: 1, cast: 5, eligible: VOTERS.length, passes: true, mine: false });
  expect((await refused(CLOSE, { id: p.id }, worker())).extensions.code).toBe('CONFLICT'); // still open

  now = new Date(now.getTime() + 8 * DAY);
  expect((await refused(VOTE, { id: p.id, support: true }, resident(VOTERS[5]))).extensions.code).toBe('CONFLICT'); // closed
  const closed = (await ok(CLOSE, { id: p.id }, worker())).closeMicroProjectConsultation;
  expect(closed.status).toBe('SUPPORTED');
  expect(closed.votes.cast).toBe(5);

  const approved = (await ok(APPROVE, { id: p.id, budget: 75000, note: '按实际工程量核定' }, streetOffice())).approveMicroProject;
  expect(approved).toMatchObject({ status: 'APPROVED', approvedBudget: 75000 });
  expect((await refused(APPROVE, { id: p.id, budget: 75000 }, streetOffice())).extensions.code).toBe('CONFLICT'); // once

  const started = (await ok(REPORT, { id: p.id, input: { stage: 'STARTED', note: '施工队进场', spend: 30000 } }, worker())).reportMicroProjectProgress;
  expect(started).toMatchObject({ status: 'IN_PROGRESS', spent: 30000 });
  const over = await refused(REPORT, { id: p.id, input: { stage: 'UNDERWAY', note: '追加材料', spend: 50000 } }, worker());
  expect(over.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.spend' });
  expect((await ok(GET, { id: p.id }, admin())).microProject.spent).toBe(30000); // unchanged
  const done = (await ok(REPORT, { id: p.id, input: { stage: 'COMPLETED', note: '扶手安装完毕', spend: 40000 } }, streetOffice())).reportMicroProjectProgress;
  expect(done).toMatchObject({ status: 'COMPLETED', spent: 70000 });

  expect((await refused(ACCEPT, { id: p.id }, resident('R-0002'))).extensions.code).toBe('FORBIDDEN'); // not the proposer
  const signed = (await ok(ACCEPT, { id: p.id, note: '扶手牢固，居民满意' }, proposer())).acceptMicroProject;
  expect(signed).toMatchObject({ status: 'COMPLETED', acceptedBy: ['PROPOSER'] });
  expect((await refused(ACCEPT, { id: p.id }, proposer())).extensions.code).toBe('CONFLICT'); // a party signs once
  const accepted = (await ok(ACCEPT, { id: p.id }, worker())).acceptMicroProject;
  expect(accepted).toMatchObject({ status: 'ACCEPTED', acceptedBy: ['PROPOSER', 'COMMUNITY'] });
  expect(accepted.acceptedAt).toBe(now.toISOString());
  expect(accepted.timeline.map((e: any) => `${e.action}:${e.status}`)).toEqual([
    'PROPOSED:PROPOSED',
    'CONSULTATION_OPENED:CONSULTING',
    'CONSULTATION_PASSED:SUPPORTED',
    'APPROVED:APPROVED',
    'PROGRESS_REPORTED:IN_PROGRESS',
    'PROGRESS_REPORTED:COMPLETED',
    'ACCEPTANCE_SIGNED:COMPLETED',
    'ACCEPTANCE_SIGNED:COMPLETED',
    'ACCEPTED:ACCEPTED',
  ]);
  expect(accepted.timeline[2].note).toBe('支持 4 票，反对 1 票');
  expect(accepted.timeline.filter((e: any) => e.spend != null && e.action === 'PROGRESS_REPORTED').map((e: any) => e.spend)).toEqual([30000, 40000]);

  // The figures moved by exactly this project, at every level.
  const after = await scopes();
  const delta = { count: 1, approved: 1, completed: 1, accepted: 1, approvedBudget: 75000, spent: 70000 };
  const plus = (s: any) => Object.fromEntries(Object.entries(s).map(([k, v]) => [k, (v as number) + (delta as any)[k]]));
  expect(after.microProjectStats).toEqual(plus(before.microProjectStats));
  expect(after.district.microProjectStats).toEqual(plus(before.district.microProjectStats));
  expect(after.street.microProjectStats).toEqual(plus(before.street.microProjectStats));
  expect(after.community.microProjectStats).toEqual(plus(before.community.microProjectStats));
});

it('counts 50 concurrent votes by one resident once', async () => {
  const p = await propose({ title: '水贝社区长者饭堂送餐服务', category: 'SERVICE', estimatedBudget: 120000 });
  await openVote(p.id);
  const burst = await startBurstGateway(graph);
  try {
    const token = resident('R-0002');
    const answers = values(await concurrently(50, () => burst.query(VOTE, { id: p.id, support: true }, token)));
    expect(outcomes(answers, 'voteOnMicroProject')).toEqual({ ok: 1, CONFLICT: 49 });
  } finally {
    await burst.stop();
  }
  const votes = (await ok(GET, { id: p.id }, resident('R-0002'))).microProject.votes;
  expect(votes).toMatchObject({ support: 1, oppose: 0, cast: 1, mine: true });
});

it('takes each transition once and never spends past the budget under concurrent clerks', async () => {
  const s = await supported();
  const burst = await startBurstGateway(graph);
  try {
    const office = streetOffice();
    const approvals = values(await concurrently(20, (i) => burst.query(APPROVE, { id: s.id, budget: 50000 + i }, office)));
    expect(outcomes(approvals, 'approveMicroProject')).toEqual({ ok: 1, CONFLICT: 19 });
    const w = worker();
    const reports = values(await concurrently(20, (i) => burst.query(REPORT, { id: s.id, input: { stage: 'UNDERWAY', note: `第${i + 1}笔支出`, spend: 10000 } }, w)));
    const { ok: won = 0, ...lost } = outcomes(reports, 'reportMicroProjectProgress');
    // Serialised by the version claims: the winners' spend all counted, never past the budget;
    // the rest refused (changed meanwhile, or over the budget).
    expect(won).toBeGreaterThanOrEqual(1);
    expect(Object.keys(lost).every((code) => code === 'CONFLICT' || code === 'BAD_USER_INPUT')).toBe(true);
    const raced = (await ok(GET, { id: s.id }, admin())).microProject;
    expect(raced.spent).toBe(10000 * won);
    expect(raced.spent).toBeLessThanOrEqual(raced.approvedBudget);
    // Reporting on until the budget refuses lands exactly on the budget's last 10,000.
    let reported = won;
    for (;;) {
      const res = await graph.query(REPORT, { id: s.id, input: { stage: 'UNDERWAY', note: '补报支出', spend: 10000 } }, w);
      if (res.errors) {
        expect(res.errors[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.spend' });
        break;
      }
      reported += 1;
    }
    const p = (await ok(GET, { id: s.id }, admin())).microProject;
    expect(reported).toBe(Math.floor(p.approvedBudget / 10000));
    expect(p.spent).toBe(10000 * reported);
    expect(p.timeline.filter((e: any) => e.action === 'APPROVED')).toHaveLength(1);
    expect(p.timeline.filter((e: any) => e.action === 'PROGRESS_REPORTED')).toHaveLength(reported);
  } finally {
    await burst.stop();
  }
});

it('refuses every role where it does not belong, and changes nothing', async () => {
  const p = await propose({ title: '翠竹路口增设休息座椅', category: 'GOODS', estimatedBudget: 20000 });
  const other = resident('R-0003'); // home community Pingdi
  const code = async (q: string, v: Record<string, unknown>, t?: string) => (await refused(q, v, t)).extensions.code;

  expect(await code(PROPOSE, { input: input() })).toBe('UNAUTHENTICATED');
  expect(await code(PROPOSE, { input: input() }, other)).toBe('FORBIDDEN');
  expect(await code(PROPOSE, { input: input() }, worker())).toBe('FORBIDDEN');
  expect(await code(PROPOSE, { input: input() }, resident('R-NOBODY'))).toBe('RESIDENT_NOT_REGISTERED');
  const end = new Date(now.getTime() + 7 * DAY).toISOString();
  expect(await code(OPEN, { id: p.id, end }, proposer())).toBe('FORBIDDEN');
  expect(await code(OPEN, { id: p.id, end }, worker(CUIZHU_COMMUNITY))).toBe('FORBIDDEN');
  expect(await code(OPEN, { id: p.id, end }, streetOffice())).toBe('FORBIDDEN');
  expect((await ok(GET, { id: p.id }, admin())).microProject.status).toBe('PROPOSED');

  await openVote(p.id);
  expect(await code(VOTE, { id: p.id, support: true }, other)).toBe('FORBIDDEN');
  expect(await code(VOTE, { id: p.id, support: true }, worker())).toBe('FORBIDDEN');
  expect(await code(VOTE, { id: p.id, support: true }, admin())).toBe('FORBIDDEN');
  expect(await code(VOTE, { id: p.id, support: true }, resident('R-NOBODY'))).toBe('RESIDENT_NOT_REGISTERED');
  expect((await ok(GET, { id: p.id }, admin())).microProject.votes.cast).toBe(0);

  const s = await supported();
  expect(s.status).toBe('SUPPORTED');
  for (const t of [proposer(), worker(), streetOffice('440303002'), tok({ role: 'staff', subject: 'staff-LH-URBAN', departmentId: 'LH-URBAN' })]) {
    expect(await code(APPROVE, { id: s.id, budget: 1000 }, t)).toBe('FORBIDDEN');
    expect(await code(REJECT, { id: s.id, reason: '不符合要求' }, t)).toBe('FORBIDDEN');
  }
  expect(await code(REPORT, { id: s.id, input: { stage: 'STARTED', note: '开始', spend: 0 } }, streetOffice())).toBe('CONFLICT'); // not approved yet
  expect((await ok(GET, { id: s.id }, admin())).microProject).toMatchObject({ status: 'SUPPORTED', approvedBudget: null });

  await ok(APPROVE, { id: s.id, budget: 50000 }, admin());
  expect(await code(REPORT, { id: s.id, input: { stage: 'STARTED', note: '开始', spend: 0 } }, proposer())).toBe('FORBIDDEN');
  expect(await code(REPORT, { id: s.id, input: { stage: 'STARTED', note: '开始', spend: 0 } }, worker(CUIZHU_COMMUNITY))).toBe('FORBIDDEN');
  expect(await code(ACCEPT, { id: s.id }, worker())).toBe('CONFLICT'); // not completed yet
  expect((await ok(GET, { id: s.id }, admin())).microProject).toMatchObject({ status: 'APPROVED', spent: 0 });
});

it('refuses bad input with the field and why, storing nothing', async () => {
  const count = async () => (await scopes()).community.microProjectStats.count;
  const before = await count();
  const field = async (extra: Record<string, unknown>) => {
    const err = await refused(PROPOSE, { input: input(extra) }, proposer());
    expect(err.extensions.code).toBe('BAD_USER_INPUT');
    return err.extensions.field;
  };
  expect(await field({ estimatedBudget: -1 })).toBe('input.estimatedBudget');
  expect(await field({ estimatedBudget: 1_000_001 })).toBe('input.estimatedBudget');
  expect(await field({ title: '扶手\u202e改造' })).toBe('input.title');
  expect(await field({ title: 'x'.repeat(61) })).toBe('input.title');
  expect(await field({ description: '   ' })).toBe('input.description');
  expect(await field({ communityCode: '440399999999' })).toBe('input.communityCode');
  expect(await field({ idempotencyKey: 'short' })).toBe('input.idempotencyKey');
  expect(await count()).toBe(before);

  const p = await propose();
  const tooSoon = await refused(OPEN, { id: p.id, end: new Date(now.getTime() + 3600000).toISOString() }, worker());
  expect(tooSoon.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'votingEndsAt' });
  expect((await refused(OPEN, { id: 'not-an-id', end: new Date(now.getTime() + 2 * DAY).toISOString() }, worker())).extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'id' });
  const s = await supported();
  expect((await refused(APPROVE, { id: s.id, budget: 2_000_000 }, streetOffice())).extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'budget' });
  expect((await refused(REJECT, { id: s.id, reason: '' }, streetOffice())).extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'reason' });
  expect((await ok(GET, { id: s.id }, admin())).microProject.status).toBe('SUPPORTED');
  await ok(APPROVE, { id: s.id, budget: 10000 }, streetOffice());
  expect((await refused(REPORT, { id: s.id, input: { stage: 'DONE', note: '完成', spend: 0 } }, worker())).extensions.code).toBe('BAD_USER_INPUT'); // not an enum value
  expect((await refused(REPORT, { id: s.id, input: { stage: 'STARTED', note: '完成', spend: -5 } }, worker())).extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.spend' });
  expect((await ok(GET, { id: s.id }, admin())).microProject).toMatchObject({ status: 'APPROVED', spent: 0 });
});

it('ends a consultation without a majority or quorum as NOT_SUPPORTED, and a rejection with its reason', async () => {
  const failed = await supported(2); // 2 for, 3 against
  expect(failed.status).toBe('NOT_SUPPORTED');
  expect(failed.timeline.at(-1)).toMatchObject({ action: 'CONSULTATION_FAILED', note: '支持 2 票，反对 3 票' });
  expect((await refused(APPROVE, { id: failed.id, budget: 1000 }, streetOffice())).extensions.code).toBe('CONFLICT');

  const few = await propose({ title: '小区门口增设快递柜' });
  await openVote(few.id);
  for (const id of VOTERS.slice(0, 4)) await ok(VOTE, { id: few.id, support: true }, resident(id));
  now = new Date(now.getTime() + 8 * DAY);
  expect((await ok(CLOSE, { id: few.id }, worker())).closeMicroProjectConsultation.status).toBe('NOT_SUPPORTED'); // 4 < quorum of 5

  const s = await supported();
  const rejected = (await ok(REJECT, { id: s.id, reason: '该路段已列入区级改造计划，无需重复立项' }, streetOffice())).rejectMicroProject;
  expect(rejected).toMatchObject({ status: 'REJECTED', rejectionReason: '该路段已列入区级改造计划，无需重复立项' });
  expect((await refused(APPROVE, { id: s.id, budget: 1000 }, streetOffice())).extensions.code).toBe('CONFLICT');

  // The community list and the figures agree, project by project.
  const view = await scopes();
  const list = view.community.microProjects as Array<{ status: string; approvedBudget: number | null; spent: number }>;
  const later = ['APPROVED', 'IN_PROGRESS', 'COMPLETED', 'ACCEPTED'];
  expect(view.community.microProjectStats).toEqual({
    count: list.length,
    approved: list.filter((x) => later.includes(x.status)).length,
    completed: list.filter((x) => x.status === 'COMPLETED' || x.status === 'ACCEPTED').length,
    accepted: list.filter((x) => x.status === 'ACCEPTED').length,
    approvedBudget: list.filter((x) => later.includes(x.status)).reduce((a, x) => a + (x.approvedBudget ?? 0), 0),
    spent: list.reduce((a, x) => a + x.spent, 0),
  });
  const sum = (view.street.communities as any[]).reduce((acc, c) => Object.fromEntries(Object.keys(c.microProjectStats).map((k) => [k, (acc[k] ?? 0) + c.microProjectStats[k]])), {} as Record<string, number>);
  expect(view.street.microProjectStats).toEqual(sum);
});
