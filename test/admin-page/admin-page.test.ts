import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { signUserToken } from '../../shared/platform/auth';
import type { GatewayServer } from '../../gateway/server';
import { ARTIFACTS, type Browser, watchedPage, signIn } from '../support/browser';
import { startAdminSite, type AdminSite } from '../support/admin-site';
import type { RunningGraph } from '../support/graph';
import { testConfig } from '../support/subgraph';
import { waitFor } from '../registry/support';

/**
 * The registry's admin page in a real browser (Debian's Chromium) against the whole graph served
 * by a registry-enabled gateway: sign in with an admin token, launches with their versions, the
 * SDL diff between two launches, a check, recorded operations by client, and a rollback that
 * happens only once confirmed.
 */

let graph: RunningGraph;
let browser: Browser;
let gateway: GatewayServer;
let base: string;
const adminToken = signUserToken({ role: 'admin', subject: 'ops-admin' }, testConfig.jwtSecret);

async function admin(query: string, variables: Record<string, unknown> = {}, token = adminToken) {
  const res = await fetch(`${base}/admin/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query, variables }),
  });
  return (await res.json()) as { data?: any; errors?: Array<{ message: string }> };
}

let site: AdminSite;

beforeAll(async () => {
  site = await startAdminSite('adminpage');
  ({ graph, gateway, base, browser } = site);
}, 120000);

afterAll(() => site?.stop());

it('serves the page publicly and its data to admins only', async () => {
  const page = await fetch(`${base}/admin`);
  expect(page.status).toBe(200);
  expect(await page.text()).toContain('Schema 注册表管理');
  expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
  expect(page.headers.get('x-frame-options')).toBe('DENY');
  const anonymous = await fetch(`${base}/admin/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"query":"{ launches { id } }"}' });
  expect(anonymous.status).toBe(401);
  const resident = signUserToken({ role: 'resident', subject: 'R-0002', residentId: 'R-0002' }, testConfig.jwtSecret);
  expect((await admin('{ launches { id } }', {}, resident)).errors?.[0].message).toBeTruthy();
});

it('lists launches, diffs them, runs a check and rolls back after confirming', async () => {
  // The seeded launch, then usage from two clients and a second launch (an additive field).
  await waitFor('the seeded launch', async () => (await admin('{ currentLaunch { id } }')).data?.currentLaunch?.id === 'L1', 20000);
  for (const client of ['resident-app', 'community-dashboard']) {
    const res = await fetch(`${base}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'apollographql-client-name': client },
      body: JSON.stringify({ query: 'query Communities { communities { code name } }' }),
    });
    expect(res.status).toBe(200);
  }
  await gateway.registry!.usage.flush();
  const { data } = await admin('{ subgraphs { name version { sdl } } }');
  const requestsSdl: string = data.subgraphs.find((s: { name: string }) => s.name === 'requests').version.sdl;
  // force: the running subgraph does not serve the new field (nothing queries it).
  const published = await admin(
    'mutation($sdl: String!) { publishSchema(subgraph: "requests", sdl: $sdl, message: "add adminPageProbe", force: true) { ok summary launch { id } } }',
    { sdl: `${requestsSdl}\n\nextend type Query {\n  "Probe field of the admin page test."\n  adminPageProbe: String\n}\n` },
  );
  expect(published.errors).toBeUndefined();
  expect(published.data.publishSchema).toMatchObject({ ok: true, launch: { id: 'L2' } });

  const { page, pageErrors, outside } = await watchedPage(browser, base, { width: 1400, height: 1000 });
  await page.goto(`${base}/admin`);
  expect(await page.title()).toContain('CityGraph');
  await signIn(page, adminToken);
  await page.waitForSelector('body[data-loaded="true"] tr[data-launch="L2"]');
  expect(await page.evaluate(() => sessionStorage.getItem('citygraph-admin-token'))).toBe(adminToken);
  await expect(page.locator('tr[data-launch="L2"]').textContent()).resolves.toContain('requests@2');
  await expect(page.locator('tr[data-launch="L2"]').textContent()).resolves.toContain('当前');
  await expect(page.locator('tr[data-launch="L1"]').textContent()).resolves.toContain('requests@1');

  // The diff: from L1 to L2 (the defaults), requests changed, the others did not.
  await page.click('#diff-run');
  await page.waitForSelector('.diff-sub[data-subgraph="requests"]');
  await expect(page.locator('.diff-sub[data-subgraph="requests"] .add').allTextContents()).resolves.toEqual(
    expect.arrayContaining([expect.stringContaining('adminPageProbe: String')]),
  );
  expect(await page.locator('.diff-sub').count()).toBe(1);
  await expect(page.locator('#diff').textContent()).resolves.toContain('parking@1');

  // A check of the current SDL changes nothing; it is listed among recent checks.
  await page.selectOption('#check-subgraph', 'requests');
  await page.click('#check-load');
  await page.click('#check-form button[type=submit]');
  await page.waitForSelector('#check-result .result[data-outcome]');
  expect(await page.locator('#check-result .result').getAttribute('data-outcome')).toBe('NO_CHANGE');
  await page.waitForSelector('#checks tr[data-check]');
  await expect(page.locator('#checks tbody').textContent()).resolves.toContain('NO_CHANGE');

  // Recorded operations, by client.
  await page.waitForSelector('#operations h3[data-client="resident-app"]');
  expect(await page.locator('#operations h3[data-client="community-dashboard"]').count()).toBe(1);
  mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: path.join(ARTIFACTS, 'admin-page.png'), fullPage: true });

  // Rollback: cancelling the dialog changes nothing; confirming makes a ROLLBACK launch.
  await page.click('button[data-rollback="L1"]');
  await page.waitForSelector('dialog#confirm[open]');
  await page.screenshot({ path: path.join(ARTIFACTS, 'admin-page-confirm.png') });
  await page.click('#confirm-cancel');
  await page.waitForSelector('dialog#confirm', { state: 'hidden' });
  expect((await admin('{ launches { id } }')).data.launches).toHaveLength(2);
  await page.click('button[data-rollback="L1"]');
  await page.click('#confirm-ok');
  await page.waitForSelector('#status.ok');
  await page.waitForSelector('tr[data-launch="L3"].current');
  const after = await admin('{ currentLaunch { id kind rolledBackTo versions { versionId } } launches { id kind } }');
  expect(after.data.currentLaunch).toMatchObject({ id: 'L3', kind: 'ROLLBACK' });
  expect(after.data.currentLaunch.versions.map((v: { versionId: string }) => v.versionId)).toContain('requests@1');
  expect(after.data.launches.filter((l: { kind: string }) => l.kind === 'ROLLBACK')).toHaveLength(1);
  // The verdicts the page listed, through the admin API.
  const checks = (await admin('{ checks { kind subgraph ok outcome launchId author } }')).data.checks;
  expect(checks).toEqual([
    { kind: 'CHECK', subgraph: 'requests', ok: true, outcome: 'NO_CHANGE', launchId: null, author: 'ops-admin' },
    { kind: 'PUBLISH', subgraph: 'requests', ok: true, outcome: 'PUBLISHED', launchId: 'L2', author: 'ops-admin' },
  ]);

  expect(pageErrors).toEqual([]);
  expect(outside).toEqual([]);
});
