import { SHUIBEI } from '../../shared/dev/demo';
import { addMinutes, addWorkingDays } from '../../shared/subgraph/time';
import { startGraph, type RunningGraph } from '../support/graph';
import { FRIDAY_10 } from './helpers';
import { createModels } from '../../subgraphs/requests/models';
import { backfillResidentFacts } from '../../subgraphs/requests/services/welfare-policies';

/**
 * Admins run the requests subgraph's lists (issue 14), through the gateway: a versioned, validated,
 * audited responsibility list whose current state the next submission uses (old requests keep their
 * version), and welfare policies whose age, gender, place and care criteria reach exactly the
 * matching residents.
 */
let graph: RunningGraph;
const now = FRIDAY_10;
const admin = () => graph.token({ role: 'admin', subject: 'ops-lin' });
const staff = () => graph.token({ role: 'staff', subject: 'clerk-1', departmentId: 'LH-URBAN' });
const resident = (id = 'R-DEMO-0001') => graph.token({ role: 'resident', subject: id, residentId: id });
const worker = (communityCode: string) => graph.token({ role: 'community_worker', subject: `cw-${communityCode}`, communityCode });
const errorOf = (res: { errors?: Array<{ extensions?: Record<string, any> }> }) => ({ code: res.errors?.[0]?.extensions?.code, field: res.errors?.[0]?.extensions?.field });

async function ok(query: string, variables: Record<string, unknown>, token?: string) {
  const res = await graph.query(query, variables, token);
  if (res.errors) throw new Error(JSON.stringify(res.errors));
  return res.data;
}

const ITEM_FIELDS = 'code name version dispatchLimitMinutes handlingDays emergency keywords departmentKind';
const UPDATE_ITEM = `mutation($code: ID!, $input: UpdateResponsibilityItemInput!) { updateResponsibilityItem(code: $code, input: $input) { ${ITEM_FIELDS} } }`;
const CREATE_ITEM = `mutation($input: CreateResponsibilityItemInput!) { createResponsibilityItem(input: $input) { ${ITEM_FIELDS} category { code } } }`;
const HISTORY = 'query { categories { code items { code version history { version handlingDays changedBy note } } } }';
const SUBMIT = `mutation($input: SubmitRequestInput!) { submitRequest(input: $input) {
  id dueAt dispatchDueAt item { code version handlingDays } itemVersion { version handlingDays dispatchLimitMinutes changedBy }
} }`;
const REQUEST = 'query($id: ID!) { request(id: $id) { id dueAt item { version handlingDays } itemVersion { version handlingDays changedBy } } }';
const AUDIT = 'query($entity: ListAuditEntity, $entityId: ID) { listAudit(entity: $entity, entityId: $entityId) { actor actorRole entityType entityId action summary before after } }';
const streetlight = (extra: Record<string, unknown> = {}) => ({ title: '路灯不亮', description: '小区门口的路灯坏了好几天。', channel: 'WECHAT', communityCode: SHUIBEI, itemCode: 'C01-01', ...extra });

async function itemHistory(code: string) {
  const data = await ok(HISTORY, {}, admin());
  for (const c of data.categories) for (const i of c.items) if (i.code === code) return i;
  return null;
}

/** Every filter the requests subgraph sends during these tests, by shape, to explain at the end. */
const sent = new Map<string, { collection: string; filter: Record<string, unknown> }>();
const shapeOf = (v: unknown): unknown =>
  Array.isArray(v) ? [shapeOf(v[0])] : v && typeof v === 'object' && !(v instanceof Date) && !('_bsontype' in v) ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, shapeOf(x)])) : typeof v;

beforeAll(async () => {
  graph = await startGraph({ now, clock: () => now });
  graph.subgraphs.requests.db.conn.getClient().on('commandStarted', (event: any) => {
    const cmd = event.command;
    const filter = event.commandName === 'find' ? cmd.filter : event.commandName === 'count' ? cmd.query : event.commandName === 'update' ? cmd.updates?.[0]?.q : undefined;
    if (filter === undefined) return;
    const collection = String(cmd[event.commandName]);
    sent.set(`${collection} ${JSON.stringify(shapeOf(filter))}`, { collection, filter });
  });
}, 120000);

afterAll(() => graph?.stop());

describe('the responsibility list', () => {
  it('an admin changes an item\'s limits: the next submission uses them, the earlier request keeps its version', async () => {
    const before = (await ok(SUBMIT, { input: streetlight() }, resident())).submitRequest;
    expect(before.itemVersion).toEqual({ version: 1, handlingDays: 5, dispatchLimitMinutes: 120, changedBy: null });
    expect(new Date(before.dueAt).getTime()).toBe(addWorkingDays(now, 5).getTime());

    const changed = await ok(UPDATE_ITEM, { code: 'C01-01', input: { handlingDays: 3, dispatchLimitMinutes: 60, expectedVersion: 1, note: '路灯维修提速' } }, admin());
    expect(changed.updateResponsibilityItem).toMatchObject({ code: 'C01-01', version: 2, handlingDays: 3, dispatchLimitMinutes: 60 });

    const after = (await ok(SUBMIT, { input: streetlight({ idempotencyKey: 'after-edit' }) }, resident())).submitRequest;
    expect(after.itemVersion).toEqual({ version: 2, handlingDays: 3, dispatchLimitMinutes: 60, changedBy: null });
    expect(new Date(after.dueAt).getTime()).toBe(addWorkingDays(now, 3).getTime());

    // The earlier request: its deadline and the version it was classified under stay; `item` is today's list.
    const old = (await ok(REQUEST, { id: before.id }, admin())).request;
    expect(old.itemVersion).toEqual({ version: 1, handlingDays: 5, changedBy: 'seed' });
    expect(old.item).toEqual({ version: 2, handlingDays: 3 });
    expect(new Date(old.dueAt).getTime()).toBe(addWorkingDays(now, 5).getTime());

    // Who and when: the history and the audit.
    const history = await itemHistory('C01-01');
    expect(history.history).toEqual([
      { version: 2, handlingDays: 3, changedBy: 'ops-lin', note: '路灯维修提速' },
      { version: 1, handlingDays: 5, changedBy: 'seed', note: null },
    ]);
    const audit = (await ok(AUDIT, { entity: 'RESPONSIBILITY_ITEM', entityId: 'C01-01' }, admin())).listAudit;
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actor: 'ops-lin', actorRole: 'admin', entityType: 'ResponsibilityItem', action: 'UPDATE' });
    expect(audit[0].summary).toContain('handlingDays: 5 → 3');
    expect(audit[0].summary).toContain('dispatchLimitMinutes: 120 → 60');
    expect(JSON.parse(audit[0].before)).toMatchObject({ handlingDays: 5, version: 1 });
    expect(JSON.parse(audit[0].after)).toMatchObject({ handlingDays: 3, version: 2 });
  });

  it('refuses non-admins and bad input, naming the field, and changes nothing', async () => {
    const input = { handlingDays: 2 };
    expect(errorOf(await graph.query(UPDATE_ITEM, { code: 'C01-02', input }, staff())).code).toBe('FORBIDDEN');
    expect(errorOf(await graph.query(UPDATE_ITEM, { code: 'C01-02', input }, resident())).code).toBe('FORBIDDEN');
    expect(errorOf(await graph.query(UPDATE_ITEM, { code: 'C01-02', input })).code).toBe('UNAUTHENTICATED');
    expect(errorOf(await graph.query(AUDIT, {}, staff())).code).toBe('FORBIDDEN');

    const cases: Array<[string, Record<string, unknown>, string]> = [
      ['C01-02', { handlingDays: 6 }, 'input.handlingDays'],
      ['C01-02', { handlingDays: 0 }, 'input.handlingDays'],
      ['C01-02', { dispatchLimitMinutes: 5 }, 'input.dispatchLimitMinutes'],
      ['C01-02', { dispatchLimitMinutes: 180 }, 'input.dispatchLimitMinutes'],
      // An emergency is dispatched within 30 minutes: making the item one with its 120 is refused.
      ['C01-02', { emergency: true }, 'input.dispatchLimitMinutes'],
      ['C01-02', { keywords: ['两个 词'] }, 'input.keywords.0'],
      ['C01-02', { name: '\u202e反转' }, 'input.name'],
      ['C01-2', { handlingDays: 2 }, 'code'],
    ];
    for (const [code, bad, field] of cases) {
      const res = await graph.query(UPDATE_ITEM, { code, input: bad }, admin());
      expect({ bad, ...errorOf(res) }).toEqual({ bad, code: 'BAD_USER_INPUT', field });
    }
    expect(errorOf(await graph.query(UPDATE_ITEM, { code: 'C01-99', input }, admin())).code).toBe('NOT_FOUND');

    const create = (extra: Record<string, unknown>) => ({ code: 'C01-20', categoryCode: 'C01', name: '共享单车乱停放', departmentKind: 'URBAN_MANAGEMENT', ...extra });
    const createCases: Array<[Record<string, unknown>, string]> = [
      [{ code: 'C02-20' }, 'input.code'],
      [{ categoryCode: 'C77', code: 'C77-01' }, 'input.categoryCode'],
      [{ emergency: true, dispatchLimitMinutes: 60 }, 'input.dispatchLimitMinutes'],
    ];
    for (const [extra, field] of createCases) {
      const res = await graph.query(CREATE_ITEM, { input: create(extra) }, admin());
      expect({ extra, ...errorOf(res) }).toEqual({ extra, code: 'BAD_USER_INPUT', field });
    }
    const main = graph.subgraphs.requests.db.conn;
    expect(await main.collection('responsibility_items').findOne({ _id: 'C01-20' as any })).toBeNull();
    const item = await main.collection('responsibility_items').findOne({ _id: 'C01-02' as any });
    expect(item).toMatchObject({ handlingDays: 5, dispatchLimitMinutes: 120, emergency: false });
    expect(await main.collection('responsibility_item_versions').countDocuments({ code: 'C01-02' })).toBe(1);
    expect(await main.collection('requests_audit').countDocuments({ entityId: 'C01-02' })).toBe(0);
  });

  it('a new item classifies the next submission at once; a stale save is a CONFLICT', async () => {
    const created = await ok(CREATE_ITEM, {
      input: { code: 'C01-20', categoryCode: 'C01', name: '共享单车乱停放', departmentKind: 'URBAN_MANAGEMENT', keywords: ['共享单车', '单车乱停', '共享单车'], handlingDays: 2 },
    }, admin());
    expect(created.createResponsibilityItem).toMatchObject({ code: 'C01-20', version: 1, keywords: ['共享单车', '单车乱停'], handlingDays: 2, dispatchLimitMinutes: 120, category: { code: 'C01' } });
    expect(errorOf(await graph.query(CREATE_ITEM, { input: { code: 'C01-20', categoryCode: 'C01', name: '重复', departmentKind: 'URBAN_MANAGEMENT' } }, admin())).code).toBe('CONFLICT');

    const filed = (await ok(SUBMIT, { input: { title: '共享单车堵住了人行道', description: '地铁口的共享单车乱停，行人过不去。', channel: 'WECHAT', communityCode: SHUIBEI } }, resident())).submitRequest;
    expect(filed.item).toEqual({ code: 'C01-20', version: 1, handlingDays: 2 });
    expect(new Date(filed.dueAt).getTime()).toBe(addWorkingDays(now, 2).getTime());
    expect(new Date(filed.dispatchDueAt).getTime()).toBe(addMinutes(now, 120).getTime());

    // Ten admins save version 1 at once: exactly one becomes version 2, the rest reload.
    const saves = await Promise.all(
      Array.from({ length: 10 }, (_, k) => graph.query(UPDATE_ITEM, { code: 'C01-20', input: { name: `共享单车乱停放${k}`, expectedVersion: 1 } }, admin())),
    );
    const won = saves.filter((r) => !r.errors);
    expect(won).toHaveLength(1);
    for (const lost of saves.filter((r) => r.errors)) expect(errorOf(lost).code).toBe('CONFLICT');
    const history = await itemHistory('C01-20');
    expect(history.version).toBe(2);
    expect(history.history.map((h: { version: number }) => h.version)).toEqual([2, 1]);
    const audit = (await ok(AUDIT, { entityId: 'C01-20' }, admin())).listAudit;
    expect(audit.map((a: { action: string }) => a.action)).toEqual(['UPDATE', 'CREATE']);
  });

  it('departments are renamed (id, kind and place stay), audited', async () => {
    const RENAME = 'mutation($id: ID!, $name: String!) { updateDepartment(id: $id, name: $name) { id name kind } }';
    expect(errorOf(await graph.query(RENAME, { id: 'LH-URBAN', name: '罗湖区城管局' }, staff())).code).toBe('FORBIDDEN');
    expect(errorOf(await graph.query(RENAME, { id: 'LH-URBAN', name: '' }, admin()))).toEqual({ code: 'BAD_USER_INPUT', field: 'name' });
    expect(errorOf(await graph.query(RENAME, { id: 'LH-NOPE', name: '无' }, admin())).code).toBe('NOT_FOUND');
    const renamed = await ok(RENAME, { id: 'LH-URBAN', name: '罗湖区城市管理和综合执法局（新）' }, admin());
    expect(renamed.updateDepartment).toEqual({ id: 'LH-URBAN', name: '罗湖区城市管理和综合执法局（新）', kind: 'URBAN_MANAGEMENT' });
    const audit = (await ok(AUDIT, { entity: 'DEPARTMENT', entityId: 'LH-URBAN' }, admin())).listAudit;
    expect(audit).toEqual([expect.objectContaining({ action: 'UPDATE', summary: 'name: 罗湖区城市管理和综合执法局 → 罗湖区城市管理和综合执法局（新）' })]);
  });

  it('categories are created and renamed as versions too', async () => {
    const created = await ok('mutation { createCategory(input: { code: "C19", name: "民生微实事" }) { code name order version } }', {}, admin());
    expect(created.createCategory).toEqual({ code: 'C19', name: '民生微实事', order: 18, version: 1 });
    const renamed = await ok('mutation { updateCategory(code: "C19", input: { name: "民生微实事项目", note: "更名" }) { code name version history { version name changedBy } } }', {}, admin());
    expect(renamed.updateCategory).toEqual({ code: 'C19', name: '民生微实事项目', version: 2, history: [{ version: 2, name: '民生微实事项目', changedBy: 'ops-lin' }, { version: 1, name: '民生微实事', changedBy: 'ops-lin' }] });
    expect(errorOf(await graph.query('mutation { createCategory(input: { code: "X19", name: "坏" }) { code } }', {}, admin()))).toEqual({ code: 'BAD_USER_INPUT', field: 'input.code' });
    expect(errorOf(await graph.query('mutation { updateCategory(code: "C19", input: { name: "x" }) { code } }', {}, worker(SHUIBEI))).code).toBe('FORBIDDEN');
  });
});

// ---- welfare policies -------------------------------------------------------------------------

const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
/** A valid 18-character ID number born on `birth` (YYYYMMDD); the 17th digit odd for men. */
function idNumber(birth: string, gender: 'M' | 'F', seq: number): string {
  const body = `440303${birth}${String(seq).padStart(2, '0')}${gender === 'M' ? 1 : 2}`;
  const sum = ID_WEIGHTS.reduce((acc, w, i) => acc + w * Number(body[i]), 0);
  return body + '10X98765432'[sum % 11];
}

// On Friday 2026-11-20 (Shenzhen): who is a woman of 35 to 64.
const PEOPLE: Array<{ id: string; birth: string; gender: 'M' | 'F'; community: string; match: boolean }> = [
  { id: 'R-W35', birth: '19911120', gender: 'F', community: SHUIBEI, match: true }, // 35 today
  { id: 'R-W34', birth: '19911121', gender: 'F', community: SHUIBEI, match: false }, // 35 tomorrow
  { id: 'R-W50', birth: '19760601', gender: 'F', community: '440303003002', match: true },
  { id: 'R-W64', birth: '19611121', gender: 'F', community: '440307001001', match: true }, // 65 tomorrow
  { id: 'R-W65', birth: '19611120', gender: 'F', community: SHUIBEI, match: false }, // 65 today
  { id: 'R-M50', birth: '19760601', gender: 'M', community: SHUIBEI, match: false },
];
const POLICY_FIELDS = 'id name target minAge maxAge gender district { code } community { code } livesAlone disability';
const CREATE_POLICY = `mutation($input: CreateWelfarePolicyInput!) { createWelfarePolicy(input: $input) { ${POLICY_FIELDS} } }`;
const PUSH = 'mutation($id: ID!) { pushWelfarePolicy(policyId: $id) { eligible newlyPushed } }';

async function pushedTo(policyId: string): Promise<string[]> {
  const pushes = await graph.subgraphs.requests.db.conn.collection('policy_pushes').find({ policyId }).toArray();
  return pushes.map((p) => p.residentId as string).sort();
}

describe('welfare policies', () => {
  beforeAll(async () => {
    for (const [k, p] of PEOPLE.entries()) {
      const token = resident(p.id);
      await ok('mutation($input: RegisterResidentInput!) { registerResident(input: $input) { id } }', {
        input: { name: `测试${k}`, phone: `1380000${String(k).padStart(4, '0')}`, idNumber: idNumber(p.birth, p.gender, k), homeCommunityCode: p.community },
      }, token);
    }
  });

  it('free 两癌 screening for women of 35 to 64 reaches exactly them', async () => {
    const created = await ok(CREATE_POLICY, {
      input: { id: 'WP-TWO-CANCER', name: '两癌免费筛查', description: '35至64周岁女性可免费进行宫颈癌和乳腺癌筛查。', criteria: { minAge: 35, maxAge: 64, gender: 'FEMALE' } },
    }, admin());
    expect(created.createWelfarePolicy).toEqual({ id: 'WP-TWO-CANCER', name: '两癌免费筛查', target: 'RESIDENT', minAge: 35, maxAge: 64, gender: 'FEMALE', district: null, community: null, livesAlone: null, disability: null });

    // Of the seeded residents only R-0003 (a woman of 38) matches: the others are men, or R-0005 (27) and R-0007 (78).
    const expected = [...PEOPLE.filter((p) => p.match).map((p) => p.id), 'R-0003'].sort();
    expect((await ok('query { welfarePolicyEligibleCount(id: "WP-TWO-CANCER") }', {}, admin())).welfarePolicyEligibleCount).toBe(expected.length);
    expect((await ok(PUSH, { id: 'WP-TWO-CANCER' }, admin())).pushWelfarePolicy).toEqual({ eligible: expected.length, newlyPushed: expected.length });
    expect(await pushedTo('WP-TWO-CANCER')).toEqual(expected);
    expect((await ok(PUSH, { id: 'WP-TWO-CANCER' }, admin())).pushWelfarePolicy).toEqual({ eligible: expected.length, newlyPushed: 0 });

    // The resident sees it among their pushes.
    const mine = await ok('query { me { policyPushes { policy { id name } status } } }', {}, resident('R-W50'));
    expect(mine.me.policyPushes).toEqual([{ policy: { id: 'WP-TWO-CANCER', name: '两癌免费筛查' }, status: 'PUSHED' }]);

    const audit = (await ok(AUDIT, { entity: 'WELFARE_POLICY', entityId: 'WP-TWO-CANCER' }, admin())).listAudit;
    expect(audit.map((a: { action: string }) => a.action)).toEqual(['PUSH', 'PUSH', 'CREATE']);
  });

  it('narrowing to a community and to residents living alone, recorded by that community\'s worker', async () => {
    await ok('mutation($id: ID!, $input: UpdateWelfarePolicyInput!) { updateWelfarePolicy(id: $id, input: $input) { id } }', {
      id: 'WP-TWO-CANCER', input: { criteria: { minAge: 35, maxAge: 64, gender: 'FEMALE', communityCode: SHUIBEI, livesAlone: true } },
    }, admin());
    expect((await ok('query { welfarePolicyEligibleCount(id: "WP-TWO-CANCER") }', {}, admin())).welfarePolicyEligibleCount).toBe(0);

    const CARE = 'mutation($id: ID!) { setResidentCareFacts(id: $id, livesAlone: true, disability: false) { id } }';
    expect(errorOf(await graph.query(CARE, { id: 'R-W35' }, worker('440303003002')))).toEqual({ code: 'FORBIDDEN', field: 'id' });
    expect(errorOf(await graph.query(CARE, { id: 'R-W35' }, resident('R-W35'))).code).toBe('FORBIDDEN');
    await ok(CARE, { id: 'R-W35' }, worker(SHUIBEI));
    await ok(CARE, { id: 'R-W50' }, admin()); // lives alone, but in another community
    expect((await ok('query { welfarePolicyEligibleCount(id: "WP-TWO-CANCER") }', {}, admin())).welfarePolicyEligibleCount).toBe(1);

    const care = (await ok(AUDIT, { entity: 'RESIDENT_CARE', entityId: 'R-W35' }, admin())).listAudit;
    expect(care).toEqual([expect.objectContaining({ actor: `cw-${SHUIBEI}`, actorRole: 'community_worker', summary: 'livesAlone: false → true' })]);
    expect(care[0].after).not.toContain('440303');
  });

  it('a district criterion, bad criteria refused with the field, enterprise policies authored but not pushed', async () => {
    await ok(CREATE_POLICY, { input: { id: 'WP-LH-SENIOR-WOMEN', name: '罗湖女性长者关爱', description: '罗湖区60周岁以上女性长者上门探访。', criteria: { minAge: 60, gender: 'FEMALE', districtCode: '440303' } } }, admin());
    await ok(PUSH, { id: 'WP-LH-SENIOR-WOMEN' }, admin());
    // R-W65 (65, Shuibei) and R-0007 (78, Luohu); R-W64 lives in Longgang.
    expect(await pushedTo('WP-LH-SENIOR-WOMEN')).toEqual(['R-0007', 'R-W65']);

    const bad: Array<[Record<string, unknown>, string]> = [
      [{ id: 'wp-lower' }, 'input.id'],
      [{ criteria: { minAge: 50, maxAge: 40 } }, 'input.criteria.maxAge'],
      [{ criteria: { minAge: 200 } }, 'input.criteria.minAge'],
      [{ criteria: { districtCode: '440399' } }, 'input.criteria.districtCode'],
      [{ criteria: { districtCode: '440307', communityCode: SHUIBEI } }, 'input.criteria.communityCode'],
      [{ target: 'ENTERPRISE', criteria: { gender: 'FEMALE' } }, 'input.criteria.gender'],
      [{ name: '' }, 'input.name'],
    ];
    for (const [extra, field] of bad) {
      const res = await graph.query(CREATE_POLICY, { input: { id: 'WP-BAD', name: '坏政策', description: '不应保存。', ...extra } }, admin());
      expect({ extra, ...errorOf(res) }).toEqual({ extra, code: 'BAD_USER_INPUT', field });
    }
    expect(errorOf(await graph.query(CREATE_POLICY, { input: { id: 'WP-BAD', name: '坏政策', description: '不应保存。' } }, staff())).code).toBe('FORBIDDEN');
    expect(await graph.subgraphs.requests.db.conn.collection('welfare_policies').countDocuments({ _id: 'WP-BAD' as any })).toBe(0);

    await ok(CREATE_POLICY, { input: { id: 'WP-LH-ENTERPRISE', name: '规上企业服务包', description: '罗湖区规模以上企业的惠企政策主动推送。', target: 'ENTERPRISE', criteria: { districtCode: '440303' } } }, admin());
    expect(errorOf(await graph.query(PUSH, { id: 'WP-LH-ENTERPRISE' }, admin())).code).toBe('CONFLICT');
  });

  it('the seed stores birth year and gender on residents registered before they were derived', async () => {
    const residents = graph.subgraphs.requests.db.conn.collection('residents');
    await residents.updateOne({ _id: 'R-0003' as any }, { $unset: { birthYear: '', gender: '' } });
    expect(await backfillResidentFacts({ models: createModels(graph.subgraphs.requests.db.conn) })).toBe(1);
    expect(await residents.findOne({ _id: 'R-0003' as any })).toMatchObject({ birthYear: 1988, gender: 'FEMALE' });
  });
});

// FerretDB over PostgreSQL pushes down equalities only: every list query above must be one (or an
// `_id` lookup), so its cost follows what it matches, not the size of the collection.
const onPostgres = process.env.TEST_FERRETDB_BACKEND === 'postgresql' && !process.env.TEST_MONGODB_URI_EXTERNAL;
describe('pushdown', () => {
  (onPostgres ? it : it.skip)('the lists\' queries are pushed down on FerretDB over PostgreSQL', async () => {
    const ours = new Set(['responsibility_item_versions', 'category_versions', 'requests_audit', 'welfare_policies', 'residents', 'departments', 'communities', 'districts']);
    // Whole reads whose answer is every document of a small reference set.
    const whole = new Set(['responsibility_items {}', 'categories {}', 'communities {}', 'welfare_policies {}']);
    // The seed's one-off migration of residents stored before birth year and gender were derived.
    whole.add('residents {"birthYear":"object"}');
    const db = graph.subgraphs.requests.db.conn.getClient().db(graph.subgraphs.requests.db.conn.name);
    const failures: string[] = [];
    let explained = 0;
    for (const [shape, { collection, filter }] of sent) {
      if (!ours.has(collection) || whole.has(shape) || ('_id' in filter && Object.keys(filter).length === 1)) continue;
      const plan = await db.command({ explain: { find: collection, filter } });
      explained += 1;
      if (!plan.filterPushdown) failures.push(shape);
    }
    console.log(`lists: ${explained} query shapes explained`);
    expect(explained).toBeGreaterThan(5);
    expect(failures).toEqual([]);
  });
});
