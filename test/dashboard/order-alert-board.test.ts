import { SHUIBEI } from '../../shared/dev/demo';
import { launchChromium, sameOriginOnly, type Browser } from '../support/browser';
import { startGraph, type RunningGraph } from '../support/graph';

/**
 * The department board in Debian's Chromium: a community order the department has not reported
 * by its time arrives live as an alert naming the order's subject (it has no request).
 */
let graph: RunningGraph;
/** The subgraphs' clock: real time until the test moves it past the order's reportBy. */
let now: Date | undefined;
let browser: Browser;
let base: string;

beforeAll(async () => {
  graph = await startGraph({ clock: () => now ?? new Date() });
  browser = await launchChromium();
  base = graph.gatewayUrl.replace(/\/graphql$/, '');
}, 120000);

afterAll(async () => {
  await browser?.close();
  await graph?.stop();
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
