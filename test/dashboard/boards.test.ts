import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { DEMO_RESIDENT_ID, SHUIBEI } from '../../shared/dev/demo';
import { ARTIFACTS, launchChromium, sameOriginOnly, type Browser } from '../support/browser';
import { startGraph, type RunningGraph } from '../support/graph';

/**
 * The boards in Debian's Chromium, each changed live by a mutation through the gateway: the
 * community page's on-time and satisfaction rates and overdue list, a department's board, and the
 * district / city overview by street. Every page loads only from the gateway.
 */
let graph: RunningGraph;
/** The subgraphs' clock: real time until a test moves it (to let a limit pass). */
let now: Date | undefined;
let browser: Browser;
let base: string;
let resident: string;
const CUIZHU_STREET = '440303003';

beforeAll(async () => {
  graph = await startGraph({ clock: () => now ?? new Date() });
  browser = await launchChromium();
  base = graph.gatewayUrl.replace(/\/graphql$/, '');
  resident = graph.token({ role: 'resident', subject: DEMO_RESIDENT_ID, residentId: DEMO_RESIDENT_ID });
  mkdirSync(ARTIFACTS, { recursive: true });
}, 120000);

afterAll(async () => {
  await browser?.close();
  await graph?.stop();
});

async function openPage(url: string) {
  const page = await browser.newPage({ viewport: { width: 1400, height: 1000 }, locale: 'zh-CN' });
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  const outside = await sameOriginOnly(page, base);
  await page.goto(`${base}${url}`);
  return { page, errors, outside };
}

async function submit(input: Record<string, unknown>) {
  const res = await graph.query('mutation($input: SubmitRequestInput!) { submitRequest(input: $input) { id department { id } } }', { input }, resident);
  expect(res.errors).toBeUndefined();
  return res.data.submitRequest;
}

/** The subscription is registered upstream a moment after the socket opens. */
const settle = () => new Promise((r) => setTimeout(r, 400));

it('community page: on-time and satisfaction rates, and the overdue list, which changes live', async () => {
  const api = await graph.query(`{ communityOrderStats(communityCode: "${SHUIBEI}") { onTimeRate } community(code: "${SHUIBEI}") { requestStats { onTimeRate satisfactionRate } overdueRequests { id number department { id } } } }`);
  const { requestStats, overdueRequests } = api.data.community;
  // The seed's Shuibei orders: one reported on time, one late.
  expect(api.data.communityOrderStats.onTimeRate).toBe(0.5);
  expect(overdueRequests.length).toBeGreaterThan(0);
  const { page, errors, outside } = await openPage(`/dashboard?community=${SHUIBEI}`);
  await page.waitForFunction(() => document.getElementById('ontime')?.textContent !== '–');
  await page.waitForFunction(() => document.getElementById('live')?.dataset.state === 'open');
  const pct = (x: number) => `${(Math.round(x * 1000) / 10).toFixed(1)}%`;
  expect(await page.locator('#ontime').textContent()).toBe(pct(requestStats.onTimeRate));
  expect(await page.locator('#satisfaction').textContent()).toBe(pct(requestStats.satisfactionRate));
  expect(await page.locator('#orders-ontime').textContent()).toBe('50.0%');
  expect(await page.locator('#overdue-list li[data-request]').count()).toBe(overdueRequests.length);
  const first = overdueRequests[0];
  expect(await page.locator(`#overdue-list li[data-request="${first.id}"]`).textContent()).toContain(first.number);

  // The department resolves the most overdue case: it leaves the list without a reload.
  await settle();
  const staff = graph.token({ role: 'staff', subject: `staff-${first.department.id}`, departmentId: first.department.id });
  const status = (await graph.query(`{ request(id: "${first.id}") { status } }`)).data.request.status;
  if (status === 'DISPATCHED') expect((await graph.query(`mutation { acceptRequest(id: "${first.id}") { id } }`, {}, staff)).errors).toBeUndefined();
  const resolved = await graph.query(`mutation { resolveRequest(id: "${first.id}", note: "已清理通道") { status } }`, {}, staff);
  expect(resolved.errors).toBeUndefined();
  await page.waitForFunction((id) => !document.querySelector(`#overdue-list li[data-request="${id}"]`), first.id, { timeout: 10000 });
  expect(await page.locator('#overdue-list li[data-request]').count()).toBe(overdueRequests.length - 1);
  await page.screenshot({ path: path.join(ARTIFACTS, 'dashboard-community.png'), fullPage: true });
  expect(errors).toEqual([]);
  expect(outside).toEqual([]);
  await page.close();
});

it('department board: a clerk signs in with a token; a new case moves "待签收" live; its passed acceptance limit arrives as an alert', async () => {
  const staff = graph.token({ role: 'staff', subject: 'staff-LH-URBAN', departmentId: 'LH-URBAN' });
  const board = await graph.query('{ department(id: "LH-URBAN") { board { byStatus { status count } returnsTotal urges satisfactionRate overdue { id } } } }', {}, staff);
  const dispatched = board.data.department.board.byStatus.find((s: any) => s.status === 'DISPATCHED').count;
  const { page, errors, outside } = await openPage('/dashboard/department?id=LH-URBAN');
  await page.fill('#token', staff);
  await page.click('#login button');
  await page.waitForFunction(() => document.getElementById('status-DISPATCHED')?.textContent);
  await page.waitForFunction(() => document.getElementById('live')?.dataset.state === 'open');
  expect(await page.locator('#title').textContent()).toContain('罗湖区城市管理和综合执法局');
  expect(Number(await page.locator('#status-DISPATCHED').textContent())).toBe(dispatched);
  expect(Number(await page.locator('#returns').textContent())).toBe(board.data.department.board.returnsTotal);
  expect(await page.locator('#overdue-list li[data-request]').count()).toBe(board.data.department.board.overdue.length);
  await settle();

  const created = await submit({ title: '水贝二路路灯不亮', description: '水贝二路有两盏路灯连续几晚不亮。', channel: 'WECHAT', communityCode: SHUIBEI, itemCode: 'C01-01' });
  expect(created.department.id).toBe('LH-URBAN');
  await page.waitForFunction((n) => Number(document.getElementById('status-DISPATCHED')?.textContent) === n + 1, dispatched, { timeout: 10000 });
  // Nobody signs for it: two weeks on, the supervision sweep urges the department, live.
  const { number } = (await graph.query(`{ request(id: "${created.id}") { number } }`, {}, staff)).data.request;
  now = new Date(Date.now() + 14 * 24 * 3600_000);
  try {
    await graph.subgraphs.requests.server.scheduler.runNamed('requests.supervise-overdue');
  } finally {
    now = undefined;
  }
  await page.waitForFunction((n) => Array.from(document.querySelectorAll('#alerts li')).some((li) => li.textContent?.includes(n) && li.textContent.includes('催办')), number, { timeout: 10000 });
  expect(await page.locator('#alerts-panel').isVisible()).toBe(true);
  await page.screenshot({ path: path.join(ARTIFACTS, 'dashboard-department.png'), fullPage: true });
  expect(errors).toEqual([]);
  expect(outside).toEqual([]);
  await page.close();

  // Another department's clerk sees no board: the page says why.
  const other = await openPage('/dashboard/department?id=LH-URBAN');
  await other.page.fill('#token', graph.token({ role: 'staff', subject: 'staff-LH-HOUSING', departmentId: 'LH-HOUSING' }));
  await other.page.click('#login button');
  await other.page.waitForFunction(() => document.getElementById('updated')?.textContent?.startsWith('加载失败'));
  expect(await other.page.locator('#updated').textContent()).toContain('Only the department');
  await other.page.close();
});

it('district and city overview: red / yellow / green by street, live', async () => {
  const api = await graph.query(`{ street(code: "${CUIZHU_STREET}") { requestStats { red yellow green } } districts { streets { code } } }`);
  const before = api.data.street.requestStats;
  const { page, errors, outside } = await openPage('/dashboard/overview?district=440303');
  await page.waitForFunction((code) => document.querySelector(`tr[data-street="${code}"] td.red`)?.textContent, CUIZHU_STREET);
  await page.waitForFunction(() => document.getElementById('live')?.dataset.state === 'open');
  expect(await page.locator('#title').textContent()).toContain('罗湖区');
  const cell = (c: string) => page.locator(`tr[data-street="${CUIZHU_STREET}"] td.${c}`).textContent().then(Number);
  expect([await cell('red'), await cell('yellow'), await cell('green')]).toEqual([before.red, before.yellow, before.green]);

  await settle();
  await submit({ title: '水贝一坊燃气泄漏', description: '楼道里闻到很浓的燃气味，担心爆炸。', channel: 'WECHAT', communityCode: SHUIBEI, urgent: true });
  await page.waitForFunction((n) => Number(document.querySelector('tr[data-street="440303003"] td.red')?.textContent) === n + 1, before.red, { timeout: 10000 });
  await page.screenshot({ path: path.join(ARTIFACTS, 'dashboard-overview.png'), fullPage: true });
  expect(errors).toEqual([]);
  expect(outside).toEqual([]);
  await page.close();

  const city = await openPage('/dashboard/overview');
  await city.page.waitForFunction(() => document.querySelectorAll('tr[data-street]').length > 0);
  const streets = api.data.districts.flatMap((d: any) => d.streets).length;
  expect(await city.page.locator('tr[data-street]').count()).toBe(streets);
  expect(await city.page.locator('tr.district').count()).toBe(api.data.districts.length);
  expect(city.errors).toEqual([]);
  await city.page.close();
});

it('the district overview\'s service-hall panel: 事办不成 by root cause and matter, live when the hall records a case', async () => {
  const { page, errors, outside } = await openPage('/dashboard/overview?district=440307&street=440307001');
  await page.waitForFunction(() => document.getElementById('hall-total')?.textContent !== '–');
  await page.waitForFunction(() => document.getElementById('live')?.dataset.state === 'open');
  expect(await page.locator('#hall').isVisible()).toBe(true);
  expect(await page.locator('#hall-street').inputValue()).toBe('440307001');
  expect(await page.locator('#hall-total').textContent()).toBe('20');
  // The seed's Pingdi findings: system faults come up most.
  expect(await page.locator('#hall-causes li').first().textContent()).toBe('系统故障8 件');
  await settle();
  const walkIn = await submit({ title: '居住证办理被拒', description: '社保缴纳年限不足，窗口说办不了。', channel: 'WALK_IN', communityCode: '440307001001', itemCode: 'C18-05' });
  const clerk = graph.token({ role: 'staff', subject: 'clerk-pingdi', departmentId: 'ST-440307001' });
  const recorded = await graph.query(`mutation { recordCannotDo(requestId: "${walkIn.id}", rootCause: CONDITION_NOT_MET, outcome: EXPLAINED, note: "社保缴纳年限不足，已解释") { id } }`, {}, clerk);
  expect(recorded.errors).toBeUndefined();
  await page.waitForFunction(() => document.getElementById('hall-total')?.textContent === '21', undefined, { timeout: 10000 });
  expect(await page.locator('#hall-causes li').nth(1).textContent()).toBe('不符合办理条件5 件');
  await page.screenshot({ path: path.join(ARTIFACTS, 'dashboard-hall.png'), fullPage: true });
  expect(errors).toEqual([]);
  expect(outside).toEqual([]);
  await page.close();
});

it('department board: an unreported community order arrives as an alert with its subject', async () => {
  const staff = graph.token({ role: 'staff', subject: 'staff-LH-URBAN', departmentId: 'LH-URBAN' });
  const worker = graph.token({ role: 'community_worker', subject: 'worker-shuibei', communityCode: SHUIBEI });
  const reportBy = new Date(Date.now() + 3600_000);
  const issued = await graph.query(
    'mutation($by: DateTime!) { issueCommunityOrder(communityCode: "' + SHUIBEI + '", departmentId: "LH-URBAN", subject: "水贝珠宝街夜间噪音整治", reportBy: $by) { id } }',
    { by: reportBy.toISOString() },
    worker,
  );
  expect(issued.errors).toBeUndefined();

  const page = await browser.newPage({ viewport: { width: 1400, height: 1000 }, locale: 'zh-CN' });
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  const outside = await sameOriginOnly(page, base);
  await page.goto(`${base}/dashboard/department?id=LH-URBAN`);
  await page.fill('#token', staff);
  await page.click('#login button');
  await page.waitForFunction(() => document.getElementById('live')?.dataset.state === 'open');
  await new Promise((r) => setTimeout(r, 400));

  now = new Date(reportBy.getTime() + 60_000);
  try {
    await graph.subgraphs.requests.server.scheduler.runNamed('requests.supervise-overdue');
  } finally {
    now = undefined;
  }
  await page.waitForFunction(
    () => Array.from(document.querySelectorAll('#alerts li')).some((li) => li.textContent?.includes('社区发令 水贝珠宝街夜间噪音整治') && li.textContent.includes('社区发令报到超时')),
    undefined,
    { timeout: 10000 },
  );
  expect(await page.locator('#alerts-panel').isVisible()).toBe(true);
  expect(errors).toEqual([]);
  expect(outside).toEqual([]);
  await page.close();
});
