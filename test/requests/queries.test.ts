import { COMMUNITIES, DEMO_RESIDENT, DEMO_RESIDENT_ID, DEPARTMENTS, DISTRICTS, SHUIBEI, STREETS } from '../../shared/dev/demo';
import { adminViewer, communityWorkerViewer, residentViewer, staffViewer, type RunningSubgraph } from '../support/subgraph';
import { fails, ok, startRequests, SUBMIT } from './helpers';

let sg: RunningSubgraph;
const demo = residentViewer(DEMO_RESIDENT_ID);

beforeAll(async () => {
  sg = await startRequests('rq_queries');
});
afterAll(() => sg?.stop());

describe('places and reference data', () => {
  it('Communities (contract): every community with its street and district', async () => {
    const data = await ok(sg, '{ communities { code name street { name district { name } } } }', {});
    expect(data.communities).toHaveLength(COMMUNITIES.length);
    const shuibei = data.communities.find((c: any) => c.code === SHUIBEI);
    expect(shuibei).toEqual({ code: SHUIBEI, name: '水贝社区', street: { name: '翠竹街道', district: { name: '罗湖区' } } });
    const filtered = await ok(sg, 'query($s: ID) { communities(streetCode: $s) { code } }', { s: '440303002' });
    expect(filtered.communities.map((c: any) => c.code)).toEqual(['440303002001', '440303002002', '440303002003']);
    const byDistrict = await ok(sg, 'query($d: ID) { communities(districtCode: $d) { code } }', { d: '440303' });
    expect(byDistrict.communities).toHaveLength(COMMUNITIES.filter((c) => c.streetCode.startsWith('440303')).length);
  });

  it('districts, streets, departments and the responsibility list', async () => {
    const data = await ok(
      sg,
      `{ districts { code name nameEn streets { code } }
         street(code: "440303003") { name office { id name kind } communities { name } district { code } }
         district(code: "440311") { name communities { code } requestStats { received } }
         departments(districtCode: "440303") { id kind }
         department(id: "LH-URBAN") { name kind district { name } street { code } }
         categories { code name items { code departmentKind dispatchLimitMinutes handlingDays emergency keywords } }
         responsibilityItems(search: "路灯") { code name category { name } } }`,
      {},
    );
    expect(data.districts).toHaveLength(DISTRICTS.length);
    expect(data.districts.find((d: any) => d.code === '440303').streets).toHaveLength(STREETS.filter((s) => s.districtCode === '440303').length);
    expect(data.street).toMatchObject({ name: '翠竹街道', office: { id: 'ST-440303003', kind: 'STREET_OFFICE' }, district: { code: '440303' } });
    expect(data.street.communities.map((c: any) => c.name)).toContain('水贝社区');
    expect(data.district.requestStats.received).toBeGreaterThan(0);
    expect(data.departments).toHaveLength(DEPARTMENTS.filter((d) => d.districtCode === '440303').length);
    expect(data.department).toEqual({ name: '罗湖区城市管理和综合执法局', kind: 'URBAN_MANAGEMENT', district: { name: '罗湖区' }, street: null });
    expect(data.categories).toHaveLength(18);
    expect(data.categories.flatMap((c: any) => c.items).length).toBeGreaterThanOrEqual(80);
    const gas = data.categories.flatMap((c: any) => c.items).find((i: any) => i.code === 'C02-06');
    expect(gas).toMatchObject({ departmentKind: 'HOUSING', emergency: true, dispatchLimitMinutes: 30, handlingDays: 5 });
    expect(data.responsibilityItems).toEqual([{ code: 'C01-01', name: '路灯故障', category: { name: '城市管理' } }]);
  });

  it('unknown codes answer null; malformed ones BAD_USER_INPUT with the argument name', async () => {
    const data = await ok(sg, '{ community(code: "999") { code } department(id: "NOPE") { id } }', {});
    expect(data).toEqual({ community: null, department: null });
    const err = await fails(sg, '{ community(code: "$where") { code } }', {});
    expect(err.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'code' });
  });
});

describe('community dashboard and stats', () => {
  it('CommunityDashboard (contract part): requestStats of Shuibei are coherent', async () => {
    const data = await ok(sg, 'query($c: ID!) { community(code: $c) { code name street { name district { name } } requestStats { received resolved resolutionRate onTimeRate satisfactionRate overdueLevel1 red yellow green open byStatus { status count } } } }', { c: SHUIBEI });
    const s = data.community.requestStats;
    expect(s.received).toBeGreaterThan(0);
    expect(s.resolved).toBeLessThanOrEqual(s.received);
    expect(s.resolutionRate).toBeCloseTo(s.resolved / s.received, 6);
    expect(s.overdueLevel1).toBeGreaterThanOrEqual(1); // the seed's overdue fire-lane case
    expect(s.red + s.yellow + s.green).toBe(s.open);
    expect(s.byStatus.reduce((n: number, b: any) => n + b.count, 0)).toBe(s.received);
    for (const rate of [s.onTimeRate, s.satisfactionRate]) expect(rate).toBeGreaterThan(0);

    const city = await ok(sg, '{ requestStats { received } lh: requestStats(districtCode: "440303") { received } red: requestStats(level: 1) { received red } none: requestStats(communityCode: "000") { received resolutionRate } }', {});
    expect(city.requestStats.received).toBe(200);
    expect(city.lh.received).toBeLessThan(200);
    expect(city.red.received).toBeGreaterThanOrEqual(city.red.red);
    expect(city.none).toEqual({ received: 0, resolutionRate: 0 });
  });

  it('community request lists: open ones only when asked', async () => {
    const data = await ok(sg, 'query($c: ID!) { community(code: $c) { all: requests(limit: 100) { status } open: requests(open: true, limit: 100) { status } done: requests(open: false, limit: 100) { status } } }', { c: SHUIBEI });
    const c = data.community;
    expect(c.open.length + c.done.length).toBe(c.all.length);
    expect(c.open.every((r: any) => !['RESOLVED', 'CLOSED', 'DUPLICATE'].includes(r.status))).toBe(true);
  });
});

describe('me and residents', () => {
  it('MyCity (contract part): UNAUTHENTICATED anonymously, then the demo resident with open requests', async () => {
    const q = '{ me { id name phone homeCommunity { name } requests(open: true) { id title status level dueAt timeLeftSeconds } } }';
    const anon = await fails(sg, q, {});
    expect(anon.extensions?.code).toBe('UNAUTHENTICATED');
    const data = await ok(sg, q, {}, demo);
    expect(data.me).toMatchObject({ id: DEMO_RESIDENT_ID, name: DEMO_RESIDENT.name, phone: DEMO_RESIDENT.phone, homeCommunity: { name: '水贝社区' } });
    expect(data.me.requests.length).toBeGreaterThanOrEqual(2);
    expect(data.me.requests.some((r: any) => r.level === 1)).toBe(true);
    for (const r of data.me.requests) expect(r.timeLeftSeconds).toBeGreaterThan(0);
    const all = await ok(sg, '{ me { requests { status } } }', {}, demo);
    expect(all.me.requests.length).toBeGreaterThan(data.me.requests.length);
    expect((await ok(sg, '{ me { id } }', {}, adminViewer)).me).toBeNull();
  });

  it('masks the phone for others, and only lets the resident, staff and admins read their requests', async () => {
    const q = 'query($id: ID!) { resident(id: $id) { id phone requests { id } } }';
    const asStaff = await ok(sg, q, { id: DEMO_RESIDENT_ID }, staffViewer('GM-WATER'));
    expect(asStaff.resident.phone).toBe('138****5678');
    expect(asStaff.resident.requests.length).toBeGreaterThan(0);
    expect((await ok(sg, q, { id: DEMO_RESIDENT_ID }, adminViewer)).resident.phone).toBe(DEMO_RESIDENT.phone);
    const other = await fails(sg, q, { id: DEMO_RESIDENT_ID }, residentViewer('R-0002'));
    expect(other.extensions?.code).toBe('FORBIDDEN');
    const entity = await sg.query('query($r: [_Any!]!) { _entities(representations: $r) { ... on Resident { id phone requests { id } } } }', { r: [{ __typename: 'Resident', id: DEMO_RESIDENT_ID }] }, residentViewer('R-0002'));
    expect(entity.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    const worker = await ok(sg, q, { id: DEMO_RESIDENT_ID }, communityWorkerViewer(SHUIBEI));
    expect(worker.resident.phone).toBe('138****5678');
    expect((await fails(sg, q, { id: DEMO_RESIDENT_ID }, communityWorkerViewer('440311001001'))).extensions?.code).toBe('FORBIDDEN');
    expect((await fails(sg, q, { id: DEMO_RESIDENT_ID })).extensions?.code).toBe('UNAUTHENTICATED');
  });
});

describe('request lists by role', () => {
  const q = 'query($f: RequestFilter, $l: Int) { requests(filter: $f, limit: $l) { id communityCode: community { code } department { id } status level overdue } }';

  it('scopes: staff their department, community workers their community, admins all, residents their own', async () => {
    const staff = await ok(sg, q, { l: 200 }, staffViewer('LH-URBAN'));
    expect(staff.requests.length).toBeGreaterThan(0);
    expect(staff.requests.every((r: any) => r.department?.id === 'LH-URBAN')).toBe(true);
    const worker = await ok(sg, q, { l: 200 }, communityWorkerViewer(SHUIBEI));
    expect(worker.requests.every((r: any) => r.communityCode.code === SHUIBEI)).toBe(true);
    const admin = await ok(sg, q, { l: 200 }, adminViewer);
    expect(admin.requests).toHaveLength(200);
    const mine = await ok(sg, q, { l: 200 }, demo);
    expect(mine.requests).toHaveLength(3);
    const office = await ok(sg, q, { l: 200, f: { status: ['SUBMITTED', 'RETURNED'] } }, staffViewer('ST-440303003'));
    expect(office.requests.map((r: any) => r.communityCode.code)).toContain(SHUIBEI);
    expect((await fails(sg, q, {})).extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('filters narrow the scope and are validated', async () => {
    const overdue = await ok(sg, q, { l: 200, f: { overdue: true, level: 1 } }, adminViewer);
    expect(overdue.requests.length).toBeGreaterThan(0);
    expect(overdue.requests.every((r: any) => r.overdue && r.level === 1)).toBe(true);
    const stats = await ok(sg, '{ requestStats(level: 1) { overdueLevel1 } }', {});
    expect(stats.requestStats.overdueLevel1).toBe(overdue.requests.length);
    const bad = await fails(sg, q, { f: { level: 7 } }, adminViewer);
    expect(bad.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'filter.level' });
    const badLimit = await fails(sg, q, { l: 0 }, adminViewer);
    expect(badLimit.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'limit' });
  });
});

describe('submitRequest (contract shape)', () => {
  it('classifies, grades, dispatches and returns category, department, dueAt and community', async () => {
    const input = { title: '水贝社区路灯不亮', description: '水贝二路路灯连续三晚不亮，夜间行人很多。', channel: 'I_SHENZHEN', communityCode: SHUIBEI, peopleInvolved: 8 };
    const data = await ok(sg, 'mutation($input: SubmitRequestInput!) { submitRequest(input: $input) { id status level category { code name } department { name } dueAt community { name } } }', { input }, demo);
    expect(data.submitRequest).toMatchObject({ status: 'DISPATCHED', level: 2, category: { code: 'C01', name: '城市管理' }, department: { name: '罗湖区城市管理和综合执法局' }, community: { name: '水贝社区' } });
    // Friday 10:00 + 5 working days = next Friday 10:00.
    expect(data.submitRequest.dueAt).toBe('2026-11-27T02:00:00.000Z');
  });

  it('refuses bad input naming the field, and writes nothing', async () => {
    const before = (await ok(sg, '{ requestStats { received } }', {})).requestStats.received;
    const base = { title: '标题', description: '描述', channel: 'WECHAT', communityCode: SHUIBEI };
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ title: '  ' }, 'input.title'],
      [{ description: 'x'.repeat(2001) }, 'input.description'],
      [{ communityCode: '000000' }, 'input.communityCode'],
      [{ communityCode: 'a b' }, 'input.communityCode'],
      [{ itemCode: 'C99-99' }, 'input.itemCode'],
      [{ peopleInvolved: 0 }, 'input.peopleInvolved'],
      [{ amountAtStake: -1 }, 'input.amountAtStake'],
      [{ parkingLotId: 'HS-01' }, 'input.parkingLotId'],
      [{ lat: 22.5 }, 'input.lng'],
      [{ lat: 40, lng: 114 }, 'input.lat'],
      [{ idempotencyKey: 'short' }, 'input.idempotencyKey'],
    ];
    for (const [patch, field] of cases) {
      const err = await fails(sg, SUBMIT, { input: { ...base, ...patch } }, demo);
      expect({ field, ext: err.extensions }).toMatchObject({ field, ext: { code: 'BAD_USER_INPUT', field } });
    }
    expect((await fails(sg, SUBMIT, { input: base })).extensions?.code).toBe('UNAUTHENTICATED');
    expect((await fails(sg, SUBMIT, { input: { ...base, channel: 'GRID_PATROL' } }, demo)).extensions?.code).toBe('FORBIDDEN');
    expect((await ok(sg, '{ requestStats { received } }', {})).requestStats.received).toBe(before);
  });
});

describe('department board', () => {
  it('shows status counts, returns, supervision and satisfaction to its staff and admins only', async () => {
    const q = '{ department(id: "LH-HOUSING") { requestStats { received } board { department { id } byStatus { status count } returnsTotal returnsUpheld urges escalations evaluated satisfactionRate overdue { id } communityOrders { subject onTime } } } }';
    const data = await ok(sg, q, {}, staffViewer('LH-HOUSING'));
    const b = data.department.board;
    expect(b.department.id).toBe('LH-HOUSING');
    expect(b.byStatus.reduce((n: number, s: any) => n + s.count, 0)).toBe(data.department.requestStats.received);
    expect(b.returnsTotal).toBeGreaterThan(0); // the seed's misrouted cases went to housing first
    expect(b.returnsUpheld).toBeLessThanOrEqual(b.returnsTotal);
    expect(b.communityOrders).toEqual([{ subject: '水贝二村危房排查', onTime: false }]);
    expect(b.satisfactionRate).toBeGreaterThanOrEqual(0);
    expect((await ok(sg, q, {}, adminViewer)).department.board.returnsTotal).toBe(b.returnsTotal);
    expect((await fails(sg, q, {}, staffViewer('LH-URBAN'))).extensions?.code).toBe('FORBIDDEN');
    expect((await fails(sg, q, {})).extensions?.code).toBe('UNAUTHENTICATED');
  });
});

describe('Open311 view', () => {
  it('maps a request to GeoReport v2 fields', async () => {
    const list = await ok(sg, '{ me { requests(open: true) { id number open311 { service_request_id service_code service_name status agency_responsible lat long requested_datetime expected_datetime } } } }', {}, demo);
    const r = list.me.requests[0];
    expect(r.open311).toMatchObject({ service_request_id: r.number, status: 'open' });
    expect(r.open311.agency_responsible).toMatch(/罗湖区|街道/);
    expect(typeof r.open311.lat).toBe('number');
  });
});
