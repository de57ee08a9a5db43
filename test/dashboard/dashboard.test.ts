import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { DEMO_RESIDENT_ID, SHUIBEI } from '../../shared/dev/demo';
import { ARTIFACTS, launchChromium, type Browser } from '../support/browser';
import { startGraph, type RunningGraph } from '../support/graph';

/**
 * The live dashboard in a real browser (Debian's Chromium): it shows Shuibei's figures (the
 * trend and the volunteers' month deferred, drawn when their parts arrive), and a request
 * submitted through the gateway changes "received" on the page without a reload.
 */
let graph: RunningGraph;
let browser: Browser;

beforeAll(async () => {
  graph = await startGraph();
  browser = await launchChromium();
}, 120000);

afterAll(async () => {
  await browser?.close();
  await graph?.stop();
});

it('updates the received count live when a request is submitted', async () => {
  const page = await browser.newPage({ viewport: { width: 1400, height: 1000 }, locale: 'zh-CN' });
  const pageErrors: string[] = [];
  page.on('pageerror', (e) => pageErrors.push(e.message));
  const dashboardAnswers: string[] = [];
  page.on('response', (r) => {
    if (r.request().method() === 'POST' && (r.request().postData() ?? '').includes('query Dashboard')) dashboardAnswers.push(r.headers()['content-type'] ?? '');
  });
  const base = graph.gatewayUrl.replace(/\/graphql$/, '');
  await page.goto(`${base}/dashboard?community=${SHUIBEI}`);
  await page.waitForFunction(() => document.getElementById('received')?.textContent !== '–');
  await page.waitForFunction(() => document.getElementById('live')?.dataset.state === 'open');
  expect(await page.locator('#community').inputValue()).toBe(SHUIBEI);
  expect(await page.locator('#community option:checked').textContent()).toContain('水贝社区');
  const before = Number(await page.locator('#received').textContent());
  expect(before).toBeGreaterThan(0);
  // The deferred parts arrived and were drawn: the volunteers' month and the 14-day trend.
  await page.waitForFunction(() => document.getElementById('hours')?.textContent !== '–');
  expect(Number(await page.locator('#hours').textContent())).toBeGreaterThan(0);
  await page.waitForFunction(() => Boolean((window as any).Chart?.getChart(document.getElementById('trend'))?.data.labels.length === 14));
  expect(dashboardAnswers).toEqual([expect.stringContaining('multipart/mixed')]);

  // Give the subscription a moment to be registered upstream before the change happens.
  await new Promise((r) => setTimeout(r, 300));
  const token = graph.token({ role: 'resident', subject: DEMO_RESIDENT_ID, residentId: DEMO_RESIDENT_ID });
  const submitted = await graph.query(
    `mutation($input: SubmitRequestInput!) { submitRequest(input: $input) { id } }`,
    { input: { title: '楼道灯坏了', description: '水贝一坊3栋楼道灯坏了一周，晚上很黑。', channel: 'WECHAT', communityCode: SHUIBEI } },
    token,
  );
  expect(submitted.errors).toBeUndefined();

  await page.waitForFunction((n) => Number(document.getElementById('received')?.textContent) === n + 1, before, { timeout: 10000 });
  mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: path.join(ARTIFACTS, 'dashboard.png'), fullPage: true });
  expect(pageErrors).toEqual([]);
});
