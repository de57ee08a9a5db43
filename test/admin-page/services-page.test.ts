import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { DEMO_RESIDENT_ID } from '../../shared/dev/demo';
import { createModels } from '../../subgraphs/hostels/models';
import { ARTIFACTS, launchChromium, sameOriginOnly, type Browser } from '../support/browser';
import { startGraph, type RunningGraph } from '../support/graph';

/**
 * The services page (/admin/services) in a real browser against the whole graph: a lot owner sees only
 * its lots and publishes a window; an admin closes a free bed, is refused on a bed with a current
 * stay (the graph's reason shown in Chinese), closes a 歇脚屋 (and is refused on a U-station with
 * activities ahead), and reads the changes in the audit trail.
 */
let graph: RunningGraph;
let browser: Browser;
let base: string;

beforeAll(async () => {
  graph = await startGraph();
  base = graph.gatewayUrl.replace(/\/graphql$/, '');
  browser = await launchChromium();
}, 120000);
afterAll(async () => {
  await browser?.close();
  await graph?.stop();
});

it('is served from the gateway with a strict policy', async () => {
  const res = await fetch(`${base}/admin/services`);
  expect(res.status).toBe(200);
  expect(await res.text()).toContain('名录管理');
  expect(res.headers.get('content-security-policy')).toContain("script-src 'self'");
  expect((await fetch(`${base}/admin/services.js`)).status).toBe(200);
});

it('a lot owner publishes its window; an admin runs beds and sees the audit trail', async () => {
  const owner = graph.token({ role: 'lot_owner', subject: 'owner-buxin', lotIds: ['PL-DX-02', 'PL-DX-03'] });
  const admin = graph.token({ role: 'admin', subject: 'admin-page' });
  const page = await browser.newPage({ viewport: { width: 1300, height: 1000 }, locale: 'zh-CN' });
  const pageErrors: string[] = [];
  page.on('pageerror', (e) => pageErrors.push(e.message));
  const outside = await sameOriginOnly(page, base);
  mkdirSync(ARTIFACTS, { recursive: true });

  await page.goto(`${base}/admin/services`);
  await page.fill('#token', owner);
  await page.click('#signin button[type=submit]');
  await page.waitForSelector('body[data-loaded="true"] .lot[data-lot="PL-DX-02"]');
  expect(await page.locator('.lot').count()).toBe(2);
  expect(await page.locator('#hostels-section').isHidden()).toBe(true);

  const lot = page.locator('.lot[data-lot="PL-DX-02"]');
  const spaces = lot.locator('tr.window input[name=spaces]').first();
  const before = Number(await spaces.inputValue());
  await spaces.fill(String(before - 1));
  await lot.locator('button.save').click();
  await page.waitForSelector('.lot[data-lot="PL-DX-02"] .msg.ok');
  await expect(lot.locator('.msg').textContent()).resolves.toContain('已保存');
  const stored = await graph.query('query { parkingLot(id: "PL-DX-02") { windows { spaces } } }');
  expect(stored.data.parkingLot.windows[0].spaces).toBe(before - 1);
  // A malformed day is refused by the graph with its field, shown on the page.
  await lot.locator('tr.window input[name=days]').first().fill('0');
  await lot.locator('button.save').click();
  await page.waitForSelector('.lot[data-lot="PL-DX-02"] .msg.err');
  await expect(lot.locator('.msg').textContent()).resolves.toContain('输入有误');
  await page.screenshot({ path: path.join(ARTIFACTS, 'services-page-owner.png'), fullPage: true });

  await page.click('#signout');
  await page.fill('#token', admin);
  await page.click('#signin button[type=submit]');
  await page.waitForSelector('body[data-loaded="true"] .hostel[data-hostel="HS-03"]');
  const hs03 = page.locator('.hostel[data-hostel="HS-03"]');
  await hs03.locator('summary').click();
  await hs03.locator('tr[data-bed="HS-03-101-1"] button.close-bed').click();
  await page.waitForSelector('.hostel[data-hostel="HS-03"] tr[data-bed="HS-03-101-1"].closed');
  const free = await graph.query('query { hostel(id: "HS-03") { totalBeds } }');
  expect(free.data.hostel.totalBeds).toBe(17);

  const stay = await createModels(graph.subgraphs.hostels.db.conn).Stay.findOne({ residentId: DEMO_RESIDENT_ID, status: 'CHECKED_IN' }).lean();
  const hs01 = page.locator('.hostel[data-hostel="HS-01"]');
  await hs01.locator('summary').click();
  await hs01.locator(`tr[data-bed="${stay!.bedId}"] button.close-bed`).click();
  await page.waitForSelector(`.hostel[data-hostel="HS-01"] tr[data-bed="${stay!.bedId}"] .msg.err`);
  await expect(hs01.locator(`tr[data-bed="${stay!.bedId}"] .msg`).textContent()).resolves.toContain('与现有数据冲突');

  // 歇脚屋 are listed with their amenities; a station with activities ahead is not closed.
  await expect(page.locator('#stations tr[data-station="RH-LHUA-01"]').textContent()).resolves.toContain('24小时无人值守');
  await expect(page.locator('#stations tr[data-station="RH-LHUA-01"]').textContent()).resolves.toContain('微波炉');
  await page.locator('#stations tr[data-station="US-SHUIBEI-01"] button.close-station').click();
  await page.waitForSelector('#stations tr[data-station="US-SHUIBEI-01"] .msg.err');
  await page.locator('#stations tr[data-station="RH-LHUA-02"] button.close-station').click();
  await page.waitForSelector('#stations tr[data-station="RH-LHUA-02"].closed button.reopen-station');
  const near = await graph.query('query { volunteerStationsNear(lat: 22.61, lng: 114.029, radiusMeters: 1499, kind: REST_HOUSE) { id } }');
  expect(near.data.volunteerStationsNear.map((s: any) => s.id)).not.toContain('RH-LHUA-02');

  await page.click('#audit-reload');
  await page.waitForSelector('#audit tr[data-action="CLOSE_STATION"][data-entity="RH-LHUA-02"]');
  await page.waitForSelector('#audit tr[data-action="CLOSE_BED"][data-entity="HS-03-101-1"]');
  await page.waitForSelector('#audit tr[data-action="SET_WINDOWS"][data-entity="PL-DX-02"]');
  await expect(page.locator('#audit tr[data-action="SET_WINDOWS"]').first().textContent()).resolves.toContain('owner-buxin');
  await page.screenshot({ path: path.join(ARTIFACTS, 'services-page-admin.png'), fullPage: true });

  expect(pageErrors).toEqual([]);
  expect(outside).toEqual([]);
}, 90000);
