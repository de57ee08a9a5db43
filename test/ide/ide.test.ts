import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { DEMO_RESIDENT_ID, SHUIBEI } from '../../shared/dev/demo';
import { loadGatewayOptions } from '../../gateway/config';
import { startGraph, type RunningGraph } from '../support/graph';
import { waitFor } from '../registry/support';
import { ARTIFACTS, launchChromium, type Browser, watchedPage } from '../support/browser';

/**
 * The GraphQL IDE in a real browser (Debian's Chromium) against the whole graph: GraphiQL loads
 * from the gateway alone, runs a contract query over HTTP, and shows a subscription's event
 * (over graphql-ws, with the token from the headers editor) when a mutation happens, and the
 * deferred parts of a query with @defer (its fetcher reads multipart/mixed).
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

/** The text of the response pane (CodeMirror renders only the visible lines, so ask it). */
const responseText = (page: Page) =>
  page.evaluate(() => {
    const el = document.querySelector('.graphiql-response .CodeMirror') as (Element & { CodeMirror?: { getValue(): string } }) | null;
    return el?.CodeMirror?.getValue() ?? '';
  });

async function openTab(page: Page, name: string) {
  await page.locator(`.graphiql-tab-button[title="${name}"]`).click();
  await page.waitForFunction(
    (n) => {
      const el = document.querySelector('.graphiql-query-editor .CodeMirror') as (Element & { CodeMirror?: { getValue(): string } }) | null;
      return el?.CodeMirror?.getValue().includes(n);
    },
    name,
  );
  await editorsSettled(page);
}

/**
 * GraphiQL derives the operation to run from the editors' contents in a debounced update; a
 * click right after a change can still run the previous tab's operation name.
 */
async function editorsSettled(page: Page) {
  await page.waitForTimeout(800);
}

it('serves GraphiQL to browsers and the GraphQL door to everyone else', async () => {
  const html = await fetch(graph.gatewayUrl, { headers: { accept: 'text/html,application/xhtml+xml' } });
  expect(html.headers.get('content-type')).toContain('text/html');
  expect(await html.text()).toContain('<title>CityGraph');
  const root = await fetch(`${base}/`, { headers: { accept: 'text/html' } });
  expect(await root.text()).toContain('<title>CityGraph');
  // A GraphQL GET (JSON accepted, or a query in the URL) still reaches the HTTP door.
  const json = await fetch(`${graph.gatewayUrl}?query=${encodeURIComponent('{ communities { code } }')}`, {
    headers: { accept: 'application/json', 'apollo-require-preflight': 'true' },
  });
  expect(json.headers.get('content-type')).toContain('application/json');
  expect((await json.json()).data.communities.length).toBeGreaterThan(0);
  const both = await fetch(graph.gatewayUrl, { headers: { accept: 'application/graphql-response+json, text/html;q=0.1', 'apollo-require-preflight': 'true' } });
  expect(both.headers.get('content-type')).not.toContain('text/html');
  const htmlWithQuery = await fetch(`${graph.gatewayUrl}?query=${encodeURIComponent('{ communities { code } }')}`, {
    headers: { accept: 'text/html', 'apollo-require-preflight': 'true' },
  });
  expect(htmlWithQuery.headers.get('content-type')).toContain('application/json');
  // The examples are the contract's operations, with variables that work on the demo seed.
  const { examples } = (await (await fetch(`${base}/ide/examples.json`)).json()) as { examples: Array<{ name: string; variables: string }> };
  expect(examples.map((x) => x.name)).toEqual(
    expect.arrayContaining(['Communities', 'CommunityDashboard', 'MyCity', 'SubmitRequest', 'LiveRequests', 'LiveParking']),
  );
  expect(JSON.parse(examples.find((x) => x.name === 'LiveRequests')!.variables)).toEqual({ communityCode: SHUIBEI });
});

it('is on by default outside production only; IDE=on|off switches it', () => {
  const production = { NODE_ENV: 'production', JWT_SECRET: 'a-production-jwt-secret-0123456789abcdef', INTERNAL_SECRET: 'a-production-internal-secret-0123456789ab' };
  expect(loadGatewayOptions(production).ide).toBe(false);
  expect(loadGatewayOptions({ ...production, IDE: 'on' }).ide).toBe(true);
  expect(loadGatewayOptions({}).ide).toBe(true);
  expect(loadGatewayOptions({ IDE: 'off' }).ide).toBe(false);
  expect(() => loadGatewayOptions({ IDE: 'yes' })).toThrow(/IDE/);
});

it('is off with IDE=off: a browser GET goes to the GraphQL door', async () => {
  const { server, url } = await graph.startGateway({ ide: false });
  try {
    const res = await fetch(url, { headers: { accept: 'text/html' } });
    expect(res.headers.get('content-type')).toContain('application/json');
    expect((await fetch(url.replace(/\/graphql$/, '/ide/ide.js'))).status).toBe(404);
  } finally {
    await server.stop();
  }
});

it('runs Communities and shows a subscription event in the browser', async () => {
  const { page, pageErrors, outside } = await watchedPage(browser, base, { width: 1400, height: 900 });

  await page.goto(`${base}/graphql`);
  await page.waitForSelector('.graphiql-tab-button[title="Communities"]');
  expect(await page.title()).toContain('CityGraph');
  await expect(page.locator('.graphiql-logo').textContent()).resolves.toContain('CityGraph');
  expect(await page.locator('.graphiql-logo a[href="/dashboard"]').count()).toBe(1);
  expect(await page.locator('.graphiql-logo a[href="/admin"]').count()).toBe(1);
  await expect(page.locator('.graphiql-footer').textContent()).resolves.toContain('npm run -s token -- resident');

  // A query over HTTP.
  await openTab(page, 'Communities');
  await page.locator('.graphiql-execute-button').click();
  await page.waitForFunction(() => {
    const el = document.querySelector('.graphiql-response .CodeMirror') as (Element & { CodeMirror?: { getValue(): string } }) | null;
    return el?.CodeMirror?.getValue().includes('水贝社区');
  });
  const communities = JSON.parse(await responseText(page));
  expect(communities.errors).toBeUndefined();
  expect(communities.data.communities.length).toBeGreaterThan(5);
  // The schema reached the IDE (docs and completion) through the standard introspection query,
  // which the pipeline measures against introspection's own depth bound.
  await page.locator('.graphiql-sidebar button[aria-label="Show Documentation Explorer"]').click();
  await page.waitForSelector('.graphiql-doc-explorer-root-type');
  mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: path.join(ARTIFACTS, 'ide.png') });

  // A subscription over graphql-ws; the headers editor's token goes into connection_init.
  await openTab(page, 'LiveRequests');
  const worker = graph.token({ role: 'community_worker', subject: 'worker', communityCode: SHUIBEI });
  await page.evaluate((token) => {
    // The headers editor is the shown one of the two editor tools (variables is hidden).
    const editors = Array.from(document.querySelectorAll('.graphiql-editor-tool .graphiql-editor'));
    const shown = editors.find((e) => !e.classList.contains('hidden'));
    const headers = shown?.querySelector('.CodeMirror') as (Element & { CodeMirror?: { setValue(v: string): void } }) | null;
    headers?.CodeMirror?.setValue(JSON.stringify({ authorization: `Bearer ${token}` }));
  }, worker);
  await editorsSettled(page);
  await page.locator('.graphiql-execute-button').click();
  // The gateway has opened the upstream stream (the browser's subscription reached it over
  // graphql-ws); then a moment for the subgraph to register it before the change happens.
  await waitFor('the IDE subscription upstream', async () => graph.gateway.subscriptions.stats().streams > 0, 20000);
  await page.waitForTimeout(500);
  const resident = graph.token({ role: 'resident', subject: DEMO_RESIDENT_ID, residentId: DEMO_RESIDENT_ID });
  const submitted = await graph.query<{ submitRequest: { id: string } }>(
    `mutation($input: SubmitRequestInput!) { submitRequest(input: $input) { id } }`,
    { input: { title: '路灯不亮', description: '水贝二路的路灯两天没亮了，晚上过马路很危险。', channel: 'WECHAT', communityCode: SHUIBEI } },
    resident,
  );
  expect(submitted.errors).toBeUndefined();
  const id = submitted.data!.submitRequest.id;
  await page.waitForFunction(
    (wanted) => {
      const el = document.querySelector('.graphiql-response .CodeMirror') as (Element & { CodeMirror?: { getValue(): string } }) | null;
      return el?.CodeMirror?.getValue().includes(wanted);
    },
    id,
    { timeout: 20000 },
  );
  const event = JSON.parse(await responseText(page));
  expect(event.errors).toBeUndefined();
  expect(event.data.requestUpdated).toMatchObject({ id, status: expect.any(String) });
  await page.screenshot({ path: path.join(ARTIFACTS, 'ide-subscription.png') });

  // The CityGraph panel: the token hint, the example operations, the pages.
  await page.locator('.graphiql-sidebar button[aria-label="Show CityGraph"]').click();
  await page.waitForSelector('.cg-panel');
  await expect(page.locator('.cg-panel').textContent()).resolves.toContain('npm run -s token -- resident');
  expect(await page.locator('.cg-panel li').allTextContents()).toEqual(expect.arrayContaining([expect.stringContaining('LiveParking')]));
  await page.screenshot({ path: path.join(ARTIFACTS, 'ide-panel.png') });

  expect(pageErrors).toEqual([]);
  expect(outside).toEqual([]);
});

it('shows the deferred parts of a query with @defer', async () => {
  const { page, pageErrors, outside } = await watchedPage(browser, base, { width: 1400, height: 900 });
  const answerTypes: string[] = [];
  page.on('response', (r) => {
    if (r.request().method() === 'POST' && r.url() === graph.gatewayUrl && (r.request().postData() ?? '').includes('@defer')) {
      answerTypes.push(r.headers()['content-type'] ?? '');
    }
  });

  await page.goto(`${base}/graphql`);
  await page.waitForSelector('.graphiql-tab-button[title="Communities"]');
  await openTab(page, 'Communities');
  const query = `query DeferredTrend { community(code: "${SHUIBEI}") { name ... @defer(label: "trend") { requestTrend(days: 14) { date received } } } }`;
  await page.evaluate((q) => {
    const el = document.querySelector('.graphiql-query-editor .CodeMirror') as (Element & { CodeMirror?: { setValue(v: string): void } }) | null;
    el?.CodeMirror?.setValue(q);
  }, query);
  await editorsSettled(page);
  await page.locator('.graphiql-execute-button').click();
  // GraphiQL merges each deferred part into the answer it shows.
  await page.waitForFunction(() => {
    const el = document.querySelector('.graphiql-response .CodeMirror') as (Element & { CodeMirror?: { getValue(): string } }) | null;
    return el?.CodeMirror?.getValue().includes('requestTrend');
  }, undefined, { timeout: 20000 });
  const shown = JSON.parse(await responseText(page));
  expect(shown.errors).toBeUndefined();
  expect(shown.data.community.name).toBe('水贝社区');
  expect(shown.data.community.requestTrend).toHaveLength(14);
  expect(answerTypes).toEqual([expect.stringContaining('multipart/mixed')]);
  mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: path.join(ARTIFACTS, 'ide-defer.png') });
  expect(pageErrors).toEqual([]);
  expect(outside).toEqual([]);
});
