import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { signUserToken } from '../../shared/platform/auth';
import { ARTIFACTS, type Browser, watchedPage, signIn } from '../support/browser';
import { startAdminSite, type AdminSite } from '../support/admin-site';
import type { RunningGraph } from '../support/graph';
import { testConfig } from '../support/subgraph';

/**
 * The admin site's lists page (`/admin/lists`) in a real browser against the whole graph: an admin
 * changes an item's handling limit (a new version, shown in its history), a bad limit is refused
 * naming the field, a 两癌 screening policy for women of 35 to 64 is authored and pushed, and the
 * audit lists every change. Assets come from the gateway only.
 */

let graph: RunningGraph;
let browser: Browser;
let base: string;
const adminToken = signUserToken({ role: 'admin', subject: 'ops-lin' }, testConfig.jwtSecret);

let site: AdminSite;

beforeAll(async () => {
  site = await startAdminSite('adminlists');
  ({ graph, base, browser } = site);
}, 120000);

afterAll(() => site?.stop());

it('the admin site links the page, served with the site\'s policy', async () => {
  expect(await (await fetch(`${base}/admin`)).text()).toContain('href="/admin/lists"');
  const page = await fetch(`${base}/admin/lists`);
  expect(page.status).toBe(200);
  expect(await page.text()).toContain('权责清单与惠民政策');
  expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
  expect((await fetch(`${base}/admin/lists.js`)).status).toBe(200);
});

it('edits an item, shows its history, refuses a bad limit, authors and pushes a policy, lists the audit', async () => {
  const { page, pageErrors, outside } = await watchedPage(browser, base, { width: 1400, height: 1100 });
  await page.goto(`${base}/admin/lists`);
  await signIn(page, adminToken);
  await page.waitForSelector('body[data-loaded="true"] tr[data-item="C01-01"]');
  await expect(page.locator('tr[data-item="C01-01"] .days').textContent()).resolves.toBe('5');

  // A new version of 路灯故障: 3 working days.
  await page.click('button[data-edit="C01-01"]');
  await page.fill('#item-days', '3');
  await page.fill('#item-note', '路灯维修提速');
  await page.click('#item-form button[type=submit]');
  await page.waitForSelector('tr[data-item="C01-01"] .version:text("v2")');
  await expect(page.locator('tr[data-item="C01-01"] .days').textContent()).resolves.toBe('3');
  await page.click('button[data-history="C01-01"]');
  await page.waitForSelector('#history tr[data-version="1"]');
  await expect(page.locator('#history tr[data-version="2"]').textContent()).resolves.toContain('ops-lin');
  await expect(page.locator('#history tr[data-version="1"]').textContent()).resolves.toContain('初始清单');

  // Six working days is past the rule: refused, naming the field, and the row stays.
  await page.click('button[data-edit="C01-02"]');
  await page.fill('#item-days', '6');
  await page.click('#item-form button[type=submit]');
  await page.waitForSelector('#status.error');
  await expect(page.locator('#status').textContent()).resolves.toContain('input.handlingDays');
  await page.click('#item-cancel');
  await expect(page.locator('tr[data-item="C01-02"] .days').textContent()).resolves.toBe('5');

  // Free 两癌 screening for women of 35 to 64, then pushed.
  await page.fill('#policy-id', 'WP-TWO-CANCER');
  await page.fill('#policy-name', '两癌免费筛查');
  await page.fill('#policy-description', '35至64周岁女性可免费进行宫颈癌和乳腺癌筛查。');
  await page.fill('#policy-min', '35');
  await page.fill('#policy-max', '64');
  await page.selectOption('#policy-gender', 'FEMALE');
  await page.click('#policy-form button[type=submit]');
  await page.waitForSelector('tr[data-policy="WP-TWO-CANCER"]');
  await expect(page.locator('tr[data-policy="WP-TWO-CANCER"] .criteria').textContent()).resolves.toBe('35–64 周岁，女性');
  await page.click('button[data-push="WP-TWO-CANCER"]');
  // R-0003, a woman of 38, is the one seeded resident who matches.
  await page.waitForSelector('tr[data-policy="WP-TWO-CANCER"] .pushed:text("1")');
  await expect(page.locator('#status').textContent()).resolves.toContain('本次新推送 1 人');

  // The policy's criteria edited: narrowed to Longgang.
  await page.click('button[data-edit-policy="WP-TWO-CANCER"]');
  await expect(page.locator('#policy-min').inputValue()).resolves.toBe('35');
  await page.fill('#policy-district', '440307');
  await page.click('#policy-form button[type=submit]');
  await page.waitForSelector('tr[data-policy="WP-TWO-CANCER"] .criteria:text("龙岗区")');
  await expect(page.locator('tr[data-policy="WP-TWO-CANCER"] .criteria').textContent()).resolves.toBe('35–64 周岁，女性，龙岗区');

  // A new category, and a first item in it.
  await page.fill('#category-code', 'C19');
  await page.fill('#category-name', '民生微实事');
  await page.click('#category-form button[type=submit]');
  await page.waitForSelector('#category option[value="C19"]', { state: 'attached' });
  await page.click('#item-new');
  await expect(page.locator('#item-code').inputValue()).resolves.toBe('C19-');
  await page.fill('#item-code', 'C19-01');
  await page.fill('#item-name', '微实事项目建议');
  await page.selectOption('#item-kind', 'STREET_OFFICE');
  await page.fill('#item-keywords', '微实事 小项目');
  await page.click('#item-form button[type=submit]');
  await page.waitForSelector('tr[data-item="C19-01"] .version:text("v1")');
  await page.waitForSelector('#audit tr[data-audit="C19-01"]');

  const audit = await page.locator('#audit tbody tr').allTextContents();
  expect(audit.some((row) => row.includes('C01-01') && row.includes('handlingDays: 5 → 3'))).toBe(true);
  expect(audit.some((row) => row.includes('WP-TWO-CANCER') && row.includes('新建'))).toBe(true);
  expect(audit.some((row) => row.includes('WP-TWO-CANCER') && row.includes('推送'))).toBe(true);
  expect(audit.some((row) => row.includes('WP-TWO-CANCER') && row.includes('districtCode: — → 440307'))).toBe(true);
  expect(audit.some((row) => row.includes('C19-01') && row.includes('新建'))).toBe(true);

  mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: path.join(ARTIFACTS, 'admin-lists.png'), fullPage: true });
  expect(pageErrors).toEqual([]);
  expect(outside).toEqual([]);
  await page.close();
}, 60000);
