import { DEMO_RESIDENT_ID, SHUIBEI } from '../../shared/dev/demo';
import { startGraph, type RunningGraph } from '../support/graph';
import { createModels } from '../../subgraphs/requests/models';
import { rebuildStatsCounters } from '../../subgraphs/requests/services/stats-counters';

/**
 * Period statistics, community-order on-time rates and 事办不成 root causes through the gateway,
 * on a fake clock set in June 2027: the seed's history lies months before it (relative to the
 * real time), so every figure of those weeks comes from the requests filed here.
 */
const CUIZHU_STREET = '440303003';
const CUIZHU_COMMUNITY = '440303003002';
/** Monday 2027-06-07 10:00 in Shenzhen. */
const MONDAY = new Date('2027-06-07T02:00:00Z');
const days = (n: number) => new Date(MONDAY.getTime() + n * 86400000);

let graph: RunningGraph;
let now = MONDAY;
const t: Record<string, string> = {};

async function ok(query: string, variables: Record<string, unknown>, token?: string): Promise<any> {
  const res = await graph.query(query, variables, token);
  if (res.errors) throw new Error(`unexpected errors: ${JSON.stringify(res.errors)}`);
  return res.data;
}

async function fails(query: string, variables: Record<string, unknown>, token?: string) {
  const res = await graph.query(query, variables, token);
  expect(res.errors?.length).toBeGreaterThan(0);
  return res.errors![0];
}

async function submit(token: string, channel: string, itemCode: string, title: string): Promise<{ id: string; department: { id: string } | null }> {
  const data = await ok(
    'mutation($input: SubmitRequestInput!) { submitRequest(input: $input) { id department { id } } }',
    { input: { title, description: `${title}，请尽快处理。`, channel, communityCode: SHUIBEI, itemCode } },
    token,
  );
  return data.submitRequest;
}

const step = (mutation: string, token: string) => ok(`mutation { ${mutation} { id status } }`, {}, token);

const PERIOD_FIELDS = 'period start key received resolved resolutionRate onTimeRate satisfactionRate reopenRate returnRate';
const byPeriod = (args: string) => ok(`{ requestStatsByPeriod(${args}) { ${PERIOD_FIELDS} } }`, {}).then((d) => d.requestStatsByPeriod);

beforeAll(async () => {
  graph = await startGraph({ clock: () => now });
  t.demo = graph.token({ role: 'resident', subject: DEMO_RESIDENT_ID, residentId: DEMO_RESIDENT_ID });
  t.wang = graph.token({ role: 'resident', subject: 'R-0002', residentId: 'R-0002' });
  t.urban = graph.token({ role: 'staff', subject: 'staff-LH-URBAN', departmentId: 'LH-URBAN' });
  t.housing = graph.token({ role: 'staff', subject: 'staff-LH-HOUSING', departmentId: 'LH-HOUSING' });
  t.hall = graph.token({ role: 'staff', subject: 'clerk-cuizhu', departmentId: `ST-${CUIZHU_STREET}` });
  t.otherHall = graph.token({ role: 'staff', subject: 'clerk-other', departmentId: 'ST-440303002' });
  t.worker = graph.token({ role: 'community_worker', subject: 'worker-cuizhu', communityCode: CUIZHU_COMMUNITY });
}, 120000);

afterAll(() => graph?.stop());

describe('statistics by period, category, channel, level and department', () => {
  beforeAll(async () => {
    // Week of 2027-06-07, Shuibei: four requests.
    const a = await submit(t.demo, 'WECHAT', 'C01-01', '路灯不亮'); // resolved on time, satisfied
    const b = await submit(t.wang, 'HOTLINE_12345', 'C01-03', '垃圾没人清运'); // resolved, unsatisfied → reopened
    const c = await submit(t.demo, 'WECHAT', 'C02-01', '物业不作为'); // returned by housing
    const h = await submit(t.wang, 'WECHAT', 'C01-02', '流动摊贩占道'); // resolved late
    expect([a, b, h].map((r) => r.department?.id)).toEqual(['LH-URBAN', 'LH-URBAN', 'LH-URBAN']);
    expect(c.department?.id).toBe('LH-HOUSING');
    for (const r of [a, b, h]) await step(`acceptRequest(id: "${r.id}")`, t.urban);
    await step(`resolveRequest(id: "${a.id}", note: "已更换灯泡")`, t.urban);
    await step(`resolveRequest(id: "${b.id}", note: "已清运")`, t.urban);
    await step(`evaluateRequest(id: "${a.id}", rating: SATISFIED)`, t.demo);
    await step(`evaluateRequest(id: "${b.id}", rating: UNSATISFIED, comment: "第二天又堆满了")`, t.wang);
    await step(`returnRequest(id: "${c.id}", reason: "属小区物业管理范围，应由街道协调")`, t.housing);
    // Week of 2027-06-14: two walk-in requests; on Wednesday 06-16 the late one is resolved
    // (its 5 working days ended on Monday 06-14).
    now = days(8);
    await submit(t.demo, 'WALK_IN', 'C01-01', '路灯又坏了');
    await submit(t.wang, 'WALK_IN', 'C02-01', '物业费争议');
    now = days(9);
    const late = await ok(`mutation { resolveRequest(id: "${h.id}", note: "已劝离") { resolvedOnTime } }`, {}, t.urban);
    expect(late.resolveRequest.resolvedOnTime).toBe(false);
  }, 120000);

  it('by week: exact figures of the requests received in each week, as they stand now', async () => {
    const rows = await byPeriod(`period: WEEK, from: "2027-06-07", to: "2027-06-20", communityCode: "${SHUIBEI}"`);
    expect(rows).toEqual([
      // 4 received; resolved: a (closed) and h (late); b reopened, c returned.
      { period: 'WEEK', start: '2027-06-07', key: null, received: 4, resolved: 2, resolutionRate: 0.5, onTimeRate: 0.5, satisfactionRate: 0.5, reopenRate: 1 / 3, returnRate: 0.25 },
      { period: 'WEEK', start: '2027-06-14', key: null, received: 2, resolved: 0, resolutionRate: 0, onTimeRate: 0, satisfactionRate: 0, reopenRate: 0, returnRate: 0 },
    ]);
  });

  it('by day (every day of the range, zeros too) and by month; the city and the district agree', async () => {
    const daily = await byPeriod(`period: DAY, from: "2027-06-06", to: "2027-06-08", communityCode: "${SHUIBEI}"`);
    expect(daily.map((r: any) => [r.start, r.received])).toEqual([['2027-06-06', 0], ['2027-06-07', 4], ['2027-06-08', 0]]);
    const monthly = await byPeriod(`period: MONTH, from: "2027-06-01", to: "2027-06-30"`);
    expect(monthly).toEqual([{ period: 'MONTH', start: '2027-06-01', key: null, received: 6, resolved: 2, resolutionRate: 2 / 6, onTimeRate: 0.5, satisfactionRate: 0.5, reopenRate: 1 / 3, returnRate: 1 / 6 }]);
    expect(await byPeriod('period: MONTH, from: "2027-06-01", to: "2027-06-30", districtCode: "440303"')).toEqual(monthly);
    expect(await byPeriod('period: MONTH, from: "2027-06-01", to: "2027-06-30", districtCode: "440311"')).toEqual([{ ...monthly[0], received: 0, resolved: 0, resolutionRate: 0, onTimeRate: 0, satisfactionRate: 0, reopenRate: 0, returnRate: 0 }]);
  });

  it('broken down by channel, category, level and department', async () => {
    const month = `period: MONTH, from: "2027-06-01", to: "2027-06-30", streetCode: "${CUIZHU_STREET}"`;
    const pick = (rows: any[]) => rows.map((r) => [r.key, r.received, r.resolved]);
    expect(pick(await byPeriod(`${month}, by: CHANNEL`))).toEqual([['HOTLINE_12345', 1, 0], ['WALK_IN', 2, 0], ['WECHAT', 3, 2]]);
    expect(pick(await byPeriod(`${month}, by: CATEGORY`))).toEqual([['C01', 4, 2], ['C02', 2, 0]]);
    expect(pick(await byPeriod(`${month}, by: LEVEL`))).toEqual([['3', 6, 2]]);
    // The returned request has no department until it is dispatched again.
    expect(pick(await byPeriod(`${month}, by: DEPARTMENT`))).toEqual([[null, 1, 0], ['LH-HOUSING', 1, 0], ['LH-URBAN', 4, 2]]);
    const wechat = (await byPeriod(`${month}, by: CHANNEL`)).find((r: any) => r.key === 'WECHAT');
    expect(wechat).toMatchObject({ onTimeRate: 0.5, satisfactionRate: 1, returnRate: 1 / 3 });
  });

  it('refuses bad arguments with the field and why', async () => {
    const cases: Array<[string, string]> = [
      ['period: WEEK, from: "2027-6-1", to: "2027-06-20"', 'from'],
      ['period: WEEK, from: "2027-06-20", to: "2027-06-01"', 'to'],
      ['period: DAY, from: "2026-01-01", to: "2027-06-01"', 'to'],
      ['period: DAY, from: "2027-06-01", to: "2027-06-02", districtCode: "440303", streetCode: "440303003"', 'streetCode'],
      ['period: DAY, from: "2027-06-01", to: "2027-06-02", communityCode: "$ne"', 'communityCode'],
    ];
    for (const [args, field] of cases) {
      const err = await fails(`{ requestStatsByPeriod(${args}) { start } }`, {});
      expect(err.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field });
      expect(err.message.length).toBeGreaterThan(10);
    }
  });
});

describe('community orders: the on-time rate (the seed says 98%)', () => {
  it('reported by reportBy / orders whose outcome is known', async () => {
    now = days(10);
    const issue = async (departmentId: string, hours: number) =>
      (
        await ok(
          'mutation($c: ID!, $d: ID!, $by: DateTime!) { issueCommunityOrder(communityCode: $c, departmentId: $d, subject: "翠竹路井盖缺失，请到场处置", reportBy: $by) { id } }',
          { c: CUIZHU_COMMUNITY, d: departmentId, by: new Date(now.getTime() + hours * 3600000).toISOString() },
          t.worker,
        )
      ).issueCommunityOrder.id;
    const onTime = await issue('LH-URBAN', 4);
    const late = await issue('LH-URBAN', 2);
    await issue('LH-HOUSING', 1); // never reported: overdue once its hour has passed
    await issue('LH-HOUSING', 48); // not due yet: its outcome is not known
    await ok(`mutation { reportCommunityOrder(id: "${onTime}", note: "已到场") { onTime } }`, {}, t.urban);
    now = new Date(now.getTime() + 3 * 3600000);
    const reportedLate = await ok(`mutation { reportCommunityOrder(id: "${late}", note: "晚到场") { onTime } }`, {}, t.urban);
    expect(reportedLate.reportCommunityOrder.onTime).toBe(false);
    const stats = await ok(`{ c: communityOrderStats(communityCode: "${CUIZHU_COMMUNITY}") { issued reported reportedOnTime overdue onTimeRate }
                             d: communityOrderStats(departmentId: "LH-HOUSING") { issued overdue } }`, {});
    expect(stats.c).toEqual({ issued: 4, reported: 2, reportedOnTime: 1, overdue: 1, onTimeRate: 1 / 3 });
    expect(stats.d.overdue).toBeGreaterThanOrEqual(1);
    const err = await fails(`{ communityOrderStats(communityCode: "${CUIZHU_COMMUNITY}", departmentId: "LH-URBAN") { issued } }`, {});
    expect(err.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'departmentId' });
  });
});

describe('事办不成反映处: root causes recorded by the street service hall', () => {
  const STATS = `query($s: ID!, $m: String) { cannotDoStats(streetCode: $s, month: $m) {
    street { name } month total byRootCause { rootCause count } byOutcome { outcome count } topMatters { item { code name } count byRootCause { rootCause count } } } }`;
  const record = (id: string, rootCause: string, outcome: string, token: string) =>
    graph.query(`mutation { recordCannotDo(requestId: "${id}", rootCause: ${rootCause}, outcome: ${outcome}, note: "窗口核实") { id cannotDo { rootCause outcome note recordedAt } } }`, {}, token);

  it('the hall records a walk-in case once; the figures show which matters come up most and why', async () => {
    now = days(14); // Monday 2027-06-21
    const walkIns = [
      await submit(t.demo, 'WALK_IN', 'C02-05', '公租房申请被退回'),
      await submit(t.wang, 'WALK_IN', 'C02-05', '人才房资格不符'),
      await submit(t.demo, 'WALK_IN', 'C02-05', '保障房材料不全'),
      await submit(t.wang, 'WALK_IN', 'C01-01', '路灯报修没人管'),
    ];
    const findings: Array<[string, string]> = [['CONDITION_NOT_MET', 'EXPLAINED'], ['CONDITION_NOT_MET', 'EXPLAINED'], ['MATERIALS_MISSING', 'DONE_ON_THE_SPOT'], ['UNCLEAR_RESPONSIBILITY', 'REFERRED']];
    for (const [i, [cause, outcome]] of findings.entries()) {
      const res = await record(walkIns[i].id, cause, outcome, t.hall);
      expect(res.errors).toBeUndefined();
      expect(res.data.recordCannotDo.cannotDo).toEqual({ rootCause: cause, outcome, note: '窗口核实', recordedAt: now.toISOString() });
    }
    const again = await record(walkIns[0].id, 'OTHER', 'REFERRED', t.hall);
    expect(again.errors?.[0].extensions).toMatchObject({ code: 'CONFLICT' });

    const all = (await ok(STATS, { s: CUIZHU_STREET })).cannotDoStats;
    expect(all).toEqual({
      street: { name: '翠竹街道' },
      month: null,
      total: 4,
      byRootCause: [
        { rootCause: 'CONDITION_NOT_MET', count: 2 },
        { rootCause: 'MATERIALS_MISSING', count: 1 },
        { rootCause: 'UNCLEAR_RESPONSIBILITY', count: 1 },
        { rootCause: 'SYSTEM_FAULT', count: 0 },
        { rootCause: 'ATTITUDE', count: 0 },
        { rootCause: 'OTHER', count: 0 },
      ],
      byOutcome: [{ outcome: 'DONE_ON_THE_SPOT', count: 1 }, { outcome: 'EXPLAINED', count: 2 }, { outcome: 'REFERRED', count: 1 }],
      topMatters: [
        { item: { code: 'C02-05', name: '保障性住房' }, count: 3, byRootCause: [{ rootCause: 'CONDITION_NOT_MET', count: 2 }, { rootCause: 'MATERIALS_MISSING', count: 1 }] },
        { item: { code: 'C01-01', name: '路灯故障' }, count: 1, byRootCause: [{ rootCause: 'UNCLEAR_RESPONSIBILITY', count: 1 }] },
      ],
    });
    expect((await ok(STATS, { s: CUIZHU_STREET, m: '2027-06' })).cannotDoStats).toEqual({ ...all, month: '2027-06' });
    expect((await ok(STATS, { s: CUIZHU_STREET, m: '2027-05' })).cannotDoStats.total).toBe(0);
  });

  it('only the street\'s own hall (or an admin), only walk-in requests; bad input changes nothing', async () => {
    const walkIn = await submit(t.demo, 'WALK_IN', 'C02-05', '公租房轮候查询');
    const online = await submit(t.demo, 'WECHAT', 'C02-05', '公租房轮候查询');
    const cases: Array<[string, string, string | undefined, string | undefined]> = [
      [walkIn.id, 'OTHER', t.otherHall, 'FORBIDDEN'],
      [walkIn.id, 'OTHER', t.urban, 'FORBIDDEN'],
      [walkIn.id, 'OTHER', t.demo, 'FORBIDDEN'],
      [walkIn.id, 'OTHER', undefined, 'UNAUTHENTICATED'],
      [online.id, 'OTHER', t.hall, 'BAD_USER_INPUT'],
      ['nope', 'OTHER', t.hall, 'BAD_USER_INPUT'],
      ['0123456789abcdef01234567', 'OTHER', t.hall, 'NOT_FOUND'],
    ];
    for (const [id, cause, token, code] of cases) {
      const res = await record(id, cause, 'EXPLAINED', token!);
      expect(res.errors?.[0].extensions?.code).toBe(code);
    }
    const err = await fails(STATS, { s: CUIZHU_STREET, m: '2027-6' });
    expect(err.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'month' });
    expect((await ok(STATS, { s: CUIZHU_STREET })).cannotDoStats.total).toBe(4);
    const admin = graph.token({ role: 'admin', subject: 'admin' });
    expect((await record(walkIn.id, 'SYSTEM_FAULT', 'REFERRED', admin)).errors).toBeUndefined();
    const after = (await ok(STATS, { s: CUIZHU_STREET })).cannotDoStats;
    expect(after.total).toBe(5);
    expect(after.byRootCause.find((c: any) => c.rootCause === 'SYSTEM_FAULT').count).toBe(1);
    const read = await ok(`{ request(id: "${online.id}") { cannotDo { rootCause } } }`, {});
    expect(read.request.cannotDo).toBeNull();
    // The clerk's note is for staff and admins: anonymous callers and the resident see the finding without it.
    const noted = `{ request(id: "${walkIn.id}") { cannotDo { rootCause note } } }`;
    expect((await ok(noted, {})).request.cannotDo).toEqual({ rootCause: 'SYSTEM_FAULT', note: null });
    expect((await ok(noted, {}, t.demo)).request.cannotDo.note).toBeNull();
    expect((await ok(noted, {}, t.hall)).request.cannotDo.note).toBe('窗口核实');
  });

  it('a rebuild of the counters keeps the figures; the seed records Pingdi hall\'s findings', async () => {
    const before = (await ok(STATS, { s: CUIZHU_STREET })).cannotDoStats;
    const models = createModels(graph.subgraphs.requests.db.conn);
    await models.StatsCounter.deleteOne({ _id: `cannotDo:${CUIZHU_STREET}` });
    expect((await ok(STATS, { s: CUIZHU_STREET })).cannotDoStats.total).toBe(0);
    await rebuildStatsCounters({ models });
    expect((await ok(STATS, { s: CUIZHU_STREET })).cannotDoStats).toEqual(before);
    const pingdi = (await ok(STATS, { s: '440307001' })).cannotDoStats;
    expect(pingdi.total).toBe(20);
    // Ties keep the enum's order.
    expect(pingdi.byRootCause.slice(0, 4)).toEqual([{ rootCause: 'SYSTEM_FAULT', count: 8 }, { rootCause: 'CONDITION_NOT_MET', count: 4 }, { rootCause: 'MATERIALS_MISSING', count: 4 }, { rootCause: 'UNCLEAR_RESPONSIBILITY', count: 4 }]);
    expect(pingdi.byOutcome).toEqual([{ outcome: 'DONE_ON_THE_SPOT', count: 4 }, { outcome: 'EXPLAINED', count: 4 }, { outcome: 'REFERRED', count: 12 }]);
    // The seed's first Pingdi walk-in (seed.ts: seedId(1, 170)).
    const seeded = await ok('{ request(id: "5eed000100000000000000aa") { title channel cannotDo { rootCause outcome } } }', {});
    expect(seeded.request).toEqual({ title: '事办不成反映：营业执照变更窗口要求重复提交材料', channel: 'WALK_IN', cannotDo: { rootCause: 'MATERIALS_MISSING', outcome: 'DONE_ON_THE_SPOT' } });
  });
});
