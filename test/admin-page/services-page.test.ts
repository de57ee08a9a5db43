import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { DEMO_RESIDENT_ID } from '../../shared/dev/demo';
import { createModels } from '../../subgraphs/hostels/models';
import { ARTIFACTS, launchChromium, type Browser, watchedPage, signIn } from '../support/browser';
import { startGraph, type RunningGraph } from '../support/graph';

/**
 * The services page (/admin/services) in a real browser against the whole graph: a lot owner sees only
 * its lots and publishes a window; an admin closes a free bed, is refused on a bed with a current
 * stay (the graph's reason shown in Chinese), closes a 歇脚屋 (and is refused on a U-station with
 * activities ahead), and reads the changes in the audit trail. Through the page's forms an admin
 * opens a 歇脚屋, edits a duty roster, creates and renames a team and creates a hostel; a refused
 * value marks the input the graph named.
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
  const { page, pageErrors, outside } = await watchedPage(browser, base, { width: 1300, height: 1000 });
  mkdirSync(ARTIFACTS, { recursive: true });

  await page.goto(`${base}/admin/services`);
  await signIn(page, owner);
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
  await signIn(page, admin);
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


it('an admin creates a 歇脚屋, edits a roster, creates a team and a hostel; a refused value marks its input', async () => {
  const admin = graph.token({ role: 'admin', subject: 'admin-forms' });
  const { page, pageErrors, outside } = await watchedPage(browser, base, { width: 1300, height: 1000 });
  await page.goto(`${base}/admin/services`);
  await signIn(page, admin);
  await page.waitForSelector('body[data-loaded="true"] #stations tr[data-station="US-CUIZHU-01"]');

  // A 歇脚屋 with a U-station's id prefix: refused, the id input marked, nothing stored.
  const station = page.locator('#station-form');
  await station.locator('[name=id]').fill('US-LHUA-07');
  await station.locator('[name=kind]').selectOption('REST_HOUSE');
  await station.locator('[name=name]').fill('龙华区"歇脚屋"·油松站');
  await station.locator('[name=communityCode]').fill('440309001001');
  await station.locator('[name=managerDepartmentId]').fill('ST-440309001');
  await station.locator('[name=address]').fill('龙华区民治街道油松路与东环二路交汇处');
  await station.locator('[name=lat]').fill('22.6172');
  await station.locator('[name=lng]').fill('114.0388');
  for (const amenity of ['CHARGING', 'MICROWAVE', 'WIFI']) await station.locator(`[name=amenities][value=${amenity}]`).check();
  await station.locator('[name=open24h]').check();
  await station.locator('[name=unattended]').check();
  await station.locator('button[type=submit]').click();
  await page.waitForSelector('#station-form .msg.err');
  await expect(station.locator('.msg').textContent()).resolves.toContain('input.id');
  expect(await station.locator('[name=id].refused').count()).toBe(1);
  expect((await graph.query('query { volunteerStation(id: "US-LHUA-07") { id } }')).data.volunteerStation).toBeNull();

  await station.locator('[name=id]').fill('RH-LHUA-07');
  await station.locator('button[type=submit]').click();
  await page.waitForSelector('#stations tr[data-station="RH-LHUA-07"]');
  await expect(station.locator('.msg.ok').textContent()).resolves.toContain('RH-LHUA-07');
  expect(await station.locator('.refused').count()).toBe(0);
  const row = page.locator('#stations tr[data-station="RH-LHUA-07"]');
  await expect(row.textContent()).resolves.toContain('24小时无人值守');
  await expect(row.textContent()).resolves.toContain('微波炉');
  const created = await graph.query('query { volunteerStation(id: "RH-LHUA-07") { kind open24h unattended amenities community { code } } }');
  expect(created.data.volunteerStation).toEqual({ kind: 'REST_HOUSE', open24h: true, unattended: true, amenities: ['CHARGING', 'MICROWAVE', 'WIFI'], community: { code: '440309001001' } });

  // Its details are changed through the same form (修改).
  await row.locator('button.edit-station').click();
  expect(await station.locator('[name=id]').isDisabled()).toBe(true);
  await station.locator('[name=amenities][value=DRINKING_WATER]').check();
  await station.locator('button[type=submit]').click();
  await page.waitForSelector('#station-form .msg.ok');
  const edited = await graph.query('query { volunteerStation(id: "RH-LHUA-07") { amenities } }');
  expect(edited.data.volunteerStation.amenities).toEqual(expect.arrayContaining(['CHARGING', 'DRINKING_WATER', 'MICROWAVE', 'WIFI']));

  // A roster: an unknown volunteer is refused on that row's input; a registered one is put on duty.
  await page.locator('#stations tr[data-station="US-CUIZHU-01"] button.edit-hours').click();
  const hours = page.locator('#hours-form');
  expect(await hours.locator('tr.period').count()).toBe(3);
  const morning = hours.locator('tr.period').first().locator('[name=volunteerIds]');
  const before = await morning.inputValue();
  await morning.fill(`${before},R-NOBODY`);
  await hours.locator('button[type=submit]').click();
  await page.waitForSelector('#hours-form .msg.err');
  await expect(hours.locator('.msg').textContent()).resolves.toContain('hours.0.volunteerIds');
  expect(await hours.locator('tr.period').first().locator('[name=volunteerIds].refused').count()).toBe(1);
  await morning.fill(`${before},R-0002`);
  await hours.locator('button[type=submit]').click();
  await page.waitForSelector('#hours-form', { state: 'hidden' });
  const roster = await graph.query('query { volunteerStation(id: "US-CUIZHU-01") { openingHours { opensAt onDuty { id } } } }', {}, admin);
  expect(roster.data.volunteerStation.openingHours[0].onDuty.map((r: any) => r.id)).toEqual([...before.split(','), 'R-0002']);

  // A team, created then renamed.
  const team = page.locator('#team-form');
  await team.locator('[name=id]').fill('VT-BEE-07');
  await team.locator('[name=name]').fill('油松"小蜜蜂"骑手志愿服务队');
  await team.locator('[name=kind]').selectOption('DELIVERY_RIDERS');
  await team.locator('[name=communityCode]').fill('440309001001');
  await team.locator('button[type=submit]').click();
  await page.waitForSelector('#teams tr[data-team="VT-BEE-07"]');
  await page.locator('#teams tr[data-team="VT-BEE-07"] button.edit-team').click();
  await team.locator('[name=description]').fill('为歇脚屋骑手提供急救培训。');
  await team.locator('button[type=submit]').click();
  await page.waitForSelector('#team-form .msg.ok');
  const teamNow = await graph.query('query { volunteerTeam(id: "VT-BEE-07") { name kind description } }');
  expect(teamNow.data.volunteerTeam).toEqual({ name: '油松"小蜜蜂"骑手志愿服务队', kind: 'DELIVERY_RIDERS', description: '为歇脚屋骑手提供急救培训。' });

  // A hostel: a malformed phone number is refused on its input, then the hostel is created.
  const hostel = page.locator('#hostel-form');
  await hostel.locator('[name=id]').fill('HS-16');
  await hostel.locator('[name=name]').fill('深圳青年驿站·龙华观澜站');
  await hostel.locator('[name=address]').fill('深圳市龙华区观澜街道观澜大道118号');
  await hostel.locator('[name=communityCode]').fill('440309001001');
  await hostel.locator('[name=operatorId]').fill('LHUA-HR');
  await hostel.locator('[name=services]').fill('就业指导，人才政策对接');
  await hostel.locator('[name=phone]').fill('请来电');
  await hostel.locator('button[type=submit]').click();
  await page.waitForSelector('#hostel-form .msg.err');
  await expect(hostel.locator('.msg').textContent()).resolves.toContain('input.phone');
  expect(await hostel.locator('[name=phone].refused').count()).toBe(1);
  await hostel.locator('[name=phone]').fill('0755-23301116');
  await hostel.locator('button[type=submit]').click();
  await page.waitForSelector('.hostel[data-hostel="HS-16"]');
  const hostelNow = await graph.query('query { hostel(id: "HS-16") { name phone services totalBeds operator { id } } }');
  expect(hostelNow.data.hostel).toEqual({ name: '深圳青年驿站·龙华观澜站', phone: '0755-23301116', services: ['就业指导', '人才政策对接'], totalBeds: 0, operator: { id: 'LHUA-HR' } });

  await page.click('#audit-reload');
  await page.waitForSelector('#audit tr[data-action="CREATE_STATION"][data-entity="RH-LHUA-07"]');
  await page.waitForSelector('#audit tr[data-action="SET_STATION_HOURS"][data-entity="US-CUIZHU-01"]');
  await page.waitForSelector('#audit tr[data-action="UPDATE_TEAM"][data-entity="VT-BEE-07"]');
  await page.waitForSelector('#audit tr[data-action="CREATE_HOSTEL"][data-entity="HS-16"]');
  await page.screenshot({ path: path.join(ARTIFACTS, 'services-page-forms.png'), fullPage: true });

  expect(pageErrors).toEqual([]);
  expect(outside).toEqual([]);
}, 90000);
