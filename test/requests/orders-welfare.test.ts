import { DEMO_RESIDENT_ID, SHUIBEI } from '../../shared/dev/demo';
import { adminViewer, communityWorkerViewer, residentViewer, staffViewer, type RunningSubgraph } from '../support/subgraph';
import { fails, FRIDAY_10, ok, startRequests } from './helpers';

let sg: RunningSubgraph;
const worker = communityWorkerViewer(SHUIBEI);
const hours = (h: number) => new Date(FRIDAY_10.getTime() + h * 3600000).toISOString();

beforeAll(async () => {
  sg = await startRequests('rq_orders', { history: false });
});
afterAll(() => sg?.stop());
beforeEach(() => sg.setNow(FRIDAY_10));

const ISSUE = 'mutation($c: ID!, $d: ID!, $s: String!, $by: DateTime!) { issueCommunityOrder(communityCode: $c, departmentId: $d, subject: $s, reportBy: $by) { id status overdue onTime reportBy community { name } department { id } } }';
const REPORT = 'mutation($id: ID!, $note: String!) { reportCommunityOrder(id: $id, note: $note) { id status onTime reportedAt reportNote overdue } }';

describe('community orders (社区发令、部门报到)', () => {
  it('a community worker orders a department; it reports once, on time or late', async () => {
    const vars = { c: SHUIBEI, d: 'LH-URBAN', s: '水贝商业街占道经营', by: hours(24) };
    for (const [viewer, code] of [[undefined, 'UNAUTHENTICATED'], [residentViewer(DEMO_RESIDENT_ID), 'FORBIDDEN'], [communityWorkerViewer('440311001001'), 'FORBIDDEN'], [staffViewer('LH-URBAN'), 'FORBIDDEN']] as const) {
      expect((await fails(sg, ISSUE, vars, viewer)).extensions?.code).toBe(code);
    }
    for (const [patch, field] of [[{ by: hours(-1) }, 'reportBy'], [{ by: 'tomorrow' }, 'reportBy'], [{ by: hours(24 * 31) }, 'reportBy'], [{ d: 'NOPE-X' }, 'departmentId'], [{ c: '000000' }, 'communityCode'], [{ s: '' }, 'subject']] as const) {
      expect((await fails(sg, ISSUE, { ...vars, ...patch }, adminViewer)).extensions).toMatchObject({ code: 'BAD_USER_INPUT', field });
    }
    expect((await ok(sg, '{ communityOrders { id } }', {})).communityOrders).toHaveLength(0);

    const onTime = (await ok(sg, ISSUE, vars, worker)).issueCommunityOrder;
    expect(onTime).toMatchObject({ status: 'ISSUED', overdue: false, onTime: null, community: { name: '水贝社区' }, department: { id: 'LH-URBAN' } });
    const late = (await ok(sg, ISSUE, { ...vars, d: 'LH-HOUSING', by: hours(2) }, adminViewer)).issueCommunityOrder;

    expect((await fails(sg, REPORT, { id: onTime.id, note: '已到场' }, staffViewer('LH-HOUSING'))).extensions?.code).toBe('FORBIDDEN');
    expect((await fails(sg, REPORT, { id: onTime.id, note: '' }, staffViewer('LH-URBAN'))).extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'note' });
    expect((await fails(sg, REPORT, { id: '5eed00000000000000000abc', note: '已到场' }, staffViewer('LH-URBAN'))).extensions?.code).toBe('NOT_FOUND');
    sg.setNow(new Date(FRIDAY_10.getTime() + 3 * 3600000));
    const reported = (await ok(sg, REPORT, { id: onTime.id, note: '已到场清理' }, staffViewer('LH-URBAN'))).reportCommunityOrder;
    expect(reported).toMatchObject({ status: 'REPORTED', onTime: true, reportNote: '已到场清理', overdue: false });
    expect((await fails(sg, REPORT, { id: onTime.id, note: '再次' }, staffViewer('LH-URBAN'))).extensions?.code).toBe('CONFLICT');

    const listed = await ok(sg, 'query($c: ID) { communityOrders(communityCode: $c, status: ISSUED) { id overdue } community(code: "440303003001") { communityOrders { id } } }', { c: SHUIBEI });
    expect(listed.communityOrders).toEqual([{ id: late.id, overdue: true }]);
    expect(listed.community.communityOrders).toHaveLength(2);
    const lateReport = (await ok(sg, REPORT, { id: late.id, note: '已排查' }, staffViewer('LH-HOUSING'))).reportCommunityOrder;
    expect(lateReport.onTime).toBe(false);
  });
});

describe('reverse service (反向办)', () => {
  const PUSH = 'mutation($p: ID!) { pushWelfarePolicy(policyId: $p) { eligible newlyPushed policy { id pushed accepted uptakeRate } } }';

  it('pushes a policy to eligible residents once, residents answer once, uptake is tracked', async () => {
    expect((await fails(sg, PUSH, { p: 'WP-SENIOR-ALLOWANCE' }, staffViewer('LH-CIVIL'))).extensions?.code).toBe('FORBIDDEN');
    expect((await fails(sg, PUSH, { p: 'WP-NOPE' }, adminViewer)).extensions?.code).toBe('NOT_FOUND');
    const first = (await ok(sg, PUSH, { p: 'WP-SENIOR-ALLOWANCE' }, adminViewer)).pushWelfarePolicy;
    expect(first).toMatchObject({ eligible: 3, newlyPushed: 3, policy: { pushed: 3, accepted: 0, uptakeRate: 0 } });
    const again = (await ok(sg, PUSH, { p: 'WP-SENIOR-ALLOWANCE' }, adminViewer)).pushWelfarePolicy;
    expect(again).toMatchObject({ eligible: 3, newlyPushed: 0 });
    expect((await ok(sg, PUSH, { p: 'WP-FREE-SCREENING' }, adminViewer)).pushWelfarePolicy.eligible).toBe(2);
    expect((await ok(sg, PUSH, { p: 'WP-GM-YOUTH-RENT' }, adminViewer)).pushWelfarePolicy.eligible).toBe(1); // 张丽, 25, Guangming

    const demo = await ok(sg, '{ me { policyPushes { id } } }', {}, residentViewer(DEMO_RESIDENT_ID));
    expect(demo.me.policyPushes).toEqual([]); // 28 years old: not a senior
    const senior = residentViewer('R-0006');
    const mine = (await ok(sg, '{ me { policyPushes { id status policy { id name } resident { id } } } }', {}, senior)).me.policyPushes;
    const allowance = mine.find((p: any) => p.policy.id === 'WP-SENIOR-ALLOWANCE');
    expect(allowance).toMatchObject({ status: 'PUSHED', resident: { id: 'R-0006' } });

    const RESPOND = 'mutation($id: ID!, $a: Boolean!) { respondToPolicyPush(id: $id, accept: $a) { id status respondedAt } }';
    expect((await fails(sg, RESPOND, { id: allowance.id, a: true }, residentViewer('R-0007'))).extensions?.code).toBe('FORBIDDEN');
    expect((await fails(sg, RESPOND, { id: allowance.id, a: true }, adminViewer)).extensions?.code).toBe('FORBIDDEN');
    const answers = await Promise.all(Array.from({ length: 10 }, () => sg.query(RESPOND, { id: allowance.id, a: true }, senior)));
    expect(answers.filter((a) => !a.errors)).toHaveLength(1);
    expect(answers.filter((a) => a.errors?.[0].extensions?.code === 'CONFLICT')).toHaveLength(9);

    const policies = await ok(sg, '{ welfarePolicies { id pushed accepted declined uptakeRate } }', {});
    expect(policies.welfarePolicies.find((p: any) => p.id === 'WP-SENIOR-ALLOWANCE')).toEqual({ id: 'WP-SENIOR-ALLOWANCE', pushed: 3, accepted: 1, declined: 0, uptakeRate: 1 / 3 });
  });
});
