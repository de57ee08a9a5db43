import { loadGatewayOptions } from '../../gateway/config';
import { createSubgraph } from '../../subgraphs/parking/server';
import { startSubgraph, type RunningSubgraph } from '../support/subgraph';
import { startHelloGraph, type HelloGraph } from '../support/tiny-subgraph';

/**
 * `/metrics` stays small whatever clients send (every label value is a series kept for the life
 * of the process) and is readable only by whom the configuration allows.
 */

const TOKEN = 'metrics-token-for-the-test-0123456789';

let graph: HelloGraph;

beforeAll(async () => {
  graph = await startHelloGraph();
});

afterAll(async () => {
  await graph.stop();
});

const gatewayWith = (env: NodeJS.ProcessEnv = {}) => graph.gateway(env);

function series(text: string, metric: string): string[] {
  return text
    .split('\n')
    .filter((line) => line.startsWith(`${metric}{`))
    .map((line) => line.slice(0, line.lastIndexOf(' ')))
    .sort();
}

function randomPath(i: number): string {
  const r = Math.random().toString(36).slice(2);
  switch (i % 5) {
    case 0:
      return `/${r}`;
    case 1:
      return `/graphql/${r}`;
    case 2:
      return `/health${r}`;
    case 3:
      return `/dashboard/${r}`;
    default:
      return `/${r.repeat(8)}/${i}?q=${r}`;
  }
}

/** GETs `count` random paths, 16 at a time. */
/** 5,000 requests take a few seconds alone, over a minute on a loaded two-core machine. */
const SLOW_UNDER_LOAD_MS = 180_000;

async function getRandomPaths(origin: string, count: number): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: 16 }, async () => {
      while (next < count) {
        const res = await fetch(`${origin}${randomPath(next++)}`);
        await res.arrayBuffer();
      }
    }),
  );
}

describe('route labels', () => {
  it('5,000 GETs of random paths add no series to the gateway', async () => {
    const { origin } = await gatewayWith();
    // One request of each kind first, so the series that random paths may use exist already.
    for (const path of ['/warm', '/dashboard/warm', '/metrics']) await (await fetch(`${origin}${path}`)).arrayBuffer();
    const before = series(await (await fetch(`${origin}/metrics`)).text(), 'http_requests_total');
    await getRandomPaths(origin, 5000);
    const after = series(await (await fetch(`${origin}/metrics`)).text(), 'http_requests_total');
    expect(after).toEqual(before);
    expect(before.some((s) => s.includes('route="other",status="404"'))).toBe(true);
    expect(before.some((s) => s.includes('route="/dashboard",status="404"'))).toBe(true);
  }, SLOW_UNDER_LOAD_MS);

  it('labels the known routes by name', async () => {
    const { origin } = await gatewayWith();
    await (await fetch(`${origin}/health`)).arrayBuffer();
    await (await fetch(`${origin}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"query":"{ hello }"}' })).arrayBuffer();
    await (await fetch(`${origin}/metrics`)).arrayBuffer();
    const text = await (await fetch(`${origin}/metrics`)).text();
    for (const route of ['/health', '/graphql', '/metrics']) expect(text).toContain(`route="${route}",status="200"`);
  });

  describe('on a subgraph', () => {
    let parking: RunningSubgraph;
    beforeAll(async () => {
      parking = await startSubgraph('metrics', createSubgraph);
    });
    afterAll(async () => {
      await parking?.stop();
    });

    it('5,000 GETs of random paths add no series', async () => {
      for (const path of ['/warm', '/metrics']) await (await fetch(`${parking.url}${path}`)).arrayBuffer();
      const before = series(await (await fetch(`${parking.url}/metrics`)).text(), 'http_requests_total');
      await getRandomPaths(parking.url, 5000);
      const after = series(await (await fetch(`${parking.url}/metrics`)).text(), 'http_requests_total');
      expect(after).toEqual(before);
    }, SLOW_UNDER_LOAD_MS);
  });
});

describe('who may read /metrics', () => {
  it('needs the bearer token when METRICS_TOKEN is set', async () => {
    const { origin } = await gatewayWith({ METRICS_TOKEN: TOKEN });
    const none = await fetch(`${origin}/metrics`);
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toMatch(/^Bearer/);
    expect((await fetch(`${origin}/metrics`, { headers: { authorization: `Bearer ${TOKEN}x` } })).status).toBe(401);
    expect((await fetch(`${origin}/metrics`, { headers: { authorization: TOKEN } })).status).toBe(401);
    const ok = await fetch(`${origin}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(ok.status).toBe(200);
    expect(await ok.text()).toContain('http_requests_total');
  });

  it('serves metrics on METRICS_PORT only, not on the main port', async () => {
    const { gateway, origin } = await gatewayWith({ METRICS_PORT: '0' });
    expect((await fetch(`${origin}/metrics`)).status).toBe(404);
    const metricsUrl = gateway.metricsUrl()!;
    expect(metricsUrl).not.toBe(origin);
    const res = await fetch(`${metricsUrl}/metrics`);
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('route="/metrics",status="404"');
    // The metrics listener serves nothing else.
    expect((await fetch(`${metricsUrl}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"query":"{ hello }"}' })).status).toBe(404);
  });

  it('applies METRICS_TOKEN on METRICS_PORT too', async () => {
    const { gateway } = await gatewayWith({ METRICS_PORT: '0', METRICS_TOKEN: TOKEN });
    expect((await fetch(`${gateway.metricsUrl()}/metrics`)).status).toBe(401);
    expect((await fetch(`${gateway.metricsUrl()}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } })).status).toBe(200);
  });

  it('in production, refuses /metrics on the main port unless METRICS_TOKEN or METRICS_PORT is set', async () => {
    const secrets = { JWT_SECRET: 'j'.repeat(40), INTERNAL_SECRET: 'i'.repeat(40) };
    expect(loadGatewayOptions({ NODE_ENV: 'production', CITY_AUTH: 'off', ...secrets }).metrics).toEqual({ onMainPort: false });
    expect(loadGatewayOptions({ NODE_ENV: 'production', CITY_AUTH: 'off', ...secrets, METRICS_TOKEN: TOKEN }).metrics).toEqual({ token: TOKEN, onMainPort: true });
    expect(loadGatewayOptions({ NODE_ENV: 'development', CITY_AUTH: 'off' }).metrics).toEqual({ onMainPort: true });
    const { origin } = await gatewayWith({ NODE_ENV: 'production', ...secrets });
    expect((await fetch(`${origin}/metrics`)).status).toBe(404);
    expect((await fetch(`${origin}/health`)).status).toBe(200);
  });

  it('refuses a short or malformed METRICS_TOKEN and a bad METRICS_PORT at start-up, naming them', () => {
    expect(() => loadGatewayOptions({ CITY_AUTH: 'off', METRICS_TOKEN: 'short' })).toThrow(/METRICS_TOKEN: must be at least 16 characters/);
    expect(() => loadGatewayOptions({ CITY_AUTH: 'off', METRICS_TOKEN: 'has spaces in it, sixteen+' })).toThrow(/METRICS_TOKEN/);
    expect(() => loadGatewayOptions({ CITY_AUTH: 'off', METRICS_PORT: '70000' })).toThrow(/METRICS_PORT/);
  });
});
