import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { signUserToken } from '../../shared/platform/auth';
import { ARTIFACTS, type Browser, watchedPage, signIn } from '../support/browser';
import { startAdminSite, type AdminSite } from '../support/admin-site';
import type { RunningGraph } from '../support/graph';
import { testConfig } from '../support/subgraph';

/**
 * The working calendar's admin page in Debian's Chromium, on the admin site of a registry-enabled
 * gateway: reached from the registry page's navigation, it shows 2026 from the State Council's
 * notice, saves and clears a day through the graph (audited), names the reason of a refused edit,
 * and refuses a signed-in resident.
 */

let graph: RunningGraph;
let browser: Browser;
let base: string;
const adminToken = signUserToken({ role: 'admin', subject: 'calendar-admin' }, testConfig.jwtSecret);
const residentToken = signUserToken({ role: 'resident', subject: 'R-0002', residentId: 'R-0002' }, testConfig.jwtSecret);
const DAY = 'query($year: Int!) { workingCalendar(year: $year) { days { date kind name } } }';

let site: AdminSite;

beforeAll(async () => {
  site = await startAdminSite('calendarpage', { seed: false });
  ({ graph, base, browser } = site);
}, 120000);

afterAll(() => site?.stop());

const stored = async (date: string) =>
  ((await graph.query(DAY, { year: Number(date.slice(0, 4)) })).data.workingCalendar.days as Array<{ date: string; kind: string; name: string }>).find((d) => d.date === date);

it('an admin views 2026 and edits a day; the reason of a refused edit is shown; a resident cannot edit', async () => {
  const { page, pageErrors, outside } = await watchedPage(browser, base, { width: 1400, height: 1100 });

  // From the registry page's navigation; the token signed in there carries over (same tab).
  await page.goto(`${base}/admin`);
  await signIn(page, adminToken);
  await page.click('nav a[href="/admin/calendar"]');
  await page.waitForURL(`${base}/admin/calendar`);
  expect(await page.title()).toContain('工作日历');
  await page.goto(`${base}/admin/calendar?year=2026`);
  await page.waitForSelector('body[data-loaded="2026"]');
  expect(await page.locator('#year-title').textContent()).toBe('2026 年');
  expect(await page.locator('#summary').textContent()).toContain('工作日 248 天');
  expect(await page.locator('.day[data-date="2026-02-14"]').getAttribute('class')).toContain('WORKDAY');
  expect(await page.locator('.day[data-date="2026-10-01"]').getAttribute('class')).toContain('HOLIDAY');
  expect(await page.locator('#days tr[data-date="2026-10-10"]').textContent()).toContain('调休上班');

  // Pick Monday Oct 12 on the calendar and make it a holiday.
  await page.click('.day[data-date="2026-10-12"]');
  expect(await page.inputValue('#edit-date')).toBe('2026-10-12');
  await page.fill('#edit-name', '测试假日');
  await page.selectOption('#edit-kind', 'HOLIDAY');
  await page.click('#edit-save');
  await page.waitForSelector('.day.HOLIDAY[data-date="2026-10-12"]');
  expect(await page.locator('#status').textContent()).toContain('已保存');
  expect(await page.locator('#summary').textContent()).toContain('工作日 247 天');
  expect(await page.locator('#changes tbody').textContent()).toContain('calendar-admin');
  expect(await stored('2026-10-12')).toEqual({ date: '2026-10-12', kind: 'HOLIDAY', name: '测试假日' });

  // A Monday cannot be a make-up working day: the page shows why and nothing is stored.
  await page.selectOption('#edit-kind', 'WORKDAY');
  await page.click('#edit-save');
  await page.waitForSelector('#status.error');
  expect(await page.locator('#status').textContent()).toContain('星期一');
  expect((await stored('2026-10-12'))?.kind).toBe('HOLIDAY');

  mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: path.join(ARTIFACTS, 'admin-calendar.png'), fullPage: true });

  await page.click('#edit-clear');
  await page.waitForSelector('.day[data-date="2026-10-12"]:not(.HOLIDAY)');
  expect(await stored('2026-10-12')).toBeUndefined();
  expect(await page.locator('#changes tbody tr').count()).toBe(2);

  // A resident's token: the year does not load (the audit trail is for admins), and no edit lands.
  await page.click('#signout');
  await signIn(page, residentToken);
  await page.waitForSelector('#status.error');
  expect(await page.locator('#status').textContent()).toMatch(/admin/);
  const refused = await graph.query('mutation { setCalendarDay(date: "2026-10-12", kind: HOLIDAY, name: "x") { year } }', {}, residentToken);
  expect(refused.errors?.[0].extensions?.code).toBe('FORBIDDEN');

  expect(outside).toEqual([]);
  expect(pageErrors).toEqual([]);
  await page.close();
});
