import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { DEMO_RESIDENT_ID, SHUIBEI } from '../../shared/dev/demo';
import { ARTIFACTS, launchChromium, sameOriginOnly, type Browser } from '../support/browser';
import { startGraph, type RunningGraph } from '../support/graph';

/**
 * The community page's 民生微实事 panel in a real browser (Debian's Chromium): Shuibei's seeded
 * projects and figures in Chinese, another community's when the selection changes, and a project
 * proposed through the gateway appears when the community is shown again.
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

it("shows the community's micro-projects and their figures", async () => {
  const page = await browser.newPage({ viewport: { width: 1400, height: 1300 }, locale: 'zh-CN' });
  const pageErrors: string[] = [];
  page.on('pageerror', (e) => pageErrors.push(e.message));
  const base = graph.gatewayUrl.replace(/\/graphql$/, '');
  const outside = await sameOriginOnly(page, base);
  await page.goto(`${base}/dashboard?community=${SHUIBEI}`);
  await page.waitForFunction((code) => document.getElementById('h-micro')?.dataset.loaded === code, SHUIBEI);

  // The panel's figures are the graph's own for the community.
  const stats = (await graph.query(`{ community(code: "${SHUIBEI}") { microProjectStats { count approved accepted approvedBudget spent } } }`)).data.community.microProjectStats;
  expect(stats.count).toBe(5);
  expect(Number(await page.locator('#mp-count').textContent())).toBe(stats.count);
  expect(Number(await page.locator('#mp-approved').textContent())).toBe(stats.approved);
  expect(Number(await page.locator('#mp-accepted').textContent())).toBe(stats.accepted);
  expect(Number(await page.locator('#mp-budget').textContent())).toBeCloseTo(stats.approvedBudget / 10000, 1);
  expect(Number(await page.locator('#mp-spent').textContent())).toBeCloseTo(stats.spent / 10000, 1);
  const items = page.locator('#mp-list li');
  expect(await items.count()).toBe(5);
  const text = (await page.locator('#mp-list').textContent()) ?? '';
  for (const label of ['已验收', '实施中', '已立项', '征求意见中', '已提议', '水贝社区']) expect(text).toContain(label);
  expect(text).toMatch(/支持 1 \/ 反对 1/); // the seeded open consultation's two votes

  mkdirSync(ARTIFACTS, { recursive: true });
  await page.locator('#h-micro').locator('xpath=..').screenshot({ path: path.join(ARTIFACTS, 'dashboard-microprojects.png') });

  // Another community's panel, then Shuibei again with a project proposed meanwhile.
  await page.selectOption('#community', '440311001001');
  await page.waitForFunction(() => document.getElementById('h-micro')?.dataset.loaded === '440311001001');
  expect(await page.locator('#mp-list').textContent()).toContain('光明社区');
  const token = graph.token({ role: 'resident', subject: DEMO_RESIDENT_ID, residentId: DEMO_RESIDENT_ID });
  const proposed = await graph.query(
    `mutation($input: ProposeMicroProjectInput!) { proposeMicroProject(input: $input) { id } }`,
    { input: { communityCode: SHUIBEI, title: '水贝一坊增设快递柜', description: '楼下没有快递柜，快递常堆在门口。', category: 'GOODS', estimatedBudget: 15000 } },
    token,
  );
  expect(proposed.errors).toBeUndefined();
  await page.selectOption('#community', SHUIBEI);
  await page.waitForFunction((code) => document.getElementById('h-micro')?.dataset.loaded === code && document.getElementById('mp-count')?.textContent === '6', SHUIBEI);
  expect(await page.locator('#mp-list li').first().textContent()).toContain('水贝一坊增设快递柜');

  // Live: a vote on the open consultation moves its figures on the page without a reload.
  await page.waitForFunction(() => document.getElementById('h-micro')?.dataset.live === 'open');
  await new Promise((r) => setTimeout(r, 300)); // the subscription registered upstream
  const consulting = (await graph.query(`{ community(code: "${SHUIBEI}") { microProjects(status: CONSULTING) { id } } }`)).data.community.microProjects[0].id;
  const voted = await graph.query(`mutation($id: ID!) { voteOnMicroProject(id: $id, support: true) { id } }`, { id: consulting }, token);
  expect(voted.errors).toBeUndefined();
  await page.waitForFunction(() => /支持 2 \/ 反对 1/.test(document.getElementById('mp-list')?.textContent ?? ''), null, { timeout: 10000 });
  expect(pageErrors).toEqual([]);
  expect(outside).toEqual([]);
});
