import { createClient as createWsClient } from 'graphql-ws';
import WebSocket from 'ws';
import { signUserToken, type Viewer } from '../../shared/platform/auth';
import { loadGatewayOptions } from '../../gateway/config';
import { createGatewayServer, type GatewayServer } from '../../gateway/server';
import { composeSubgraphs } from '../../gateway/supergraph/compose';
import { startTinySubgraph, type TinySubgraph } from '../support/tiny-subgraph';

/**
 * Inbound in-flight request sharing through real HTTP (and graphql-ws): identical queries that
 * overlap execute once; other viewers, mutations and the off switch never share; a joined request
 * is still admitted by the pipeline (its slot, its queue) and gives its slot back.
 *
 * Fetch sharing (SUBGRAPH_DEDUPE) and the response cache are off here, so the subgraph's count
 * of executions is the gateway's count of executions.
 */
const SDL = `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])
  type Query { slow(tag: String): String! }
  type Mutation { bump: Int! }
`;
const JWT_SECRET = 'request-sharing-test-secret-0123456789';
const QUERY = 'query Slow($tag: String) { slow(tag: $tag) }';

let subgraph: TinySubgraph;
let supergraphSdl: string;
let executions = 0;
let bumps = 0;
const gateways: GatewayServer[] = [];

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

beforeAll(async () => {
  subgraph = await startTinySubgraph(SDL, {
    Query: {
      slow: async (_: unknown, { tag }: { tag?: string }) => {
        executions += 1;
        await sleep(400);
        return `slow:${tag ?? ''}`;
      },
    },
    Mutation: {
      bump: async () => {
        const n = ++bumps;
        await sleep(300);
        return n;
      },
    },
  });
  supergraphSdl = composeSubgraphs([{ name: 'slow', url: subgraph.url, sdl: SDL }]).supergraphSdl!;
});

afterAll(async () => {
  for (const g of gateways) await g.stop();
  await subgraph?.stop();
});

async function startGateway(env: NodeJS.ProcessEnv = {}): Promise<string> {
  const options = loadGatewayOptions({
    NODE_ENV: 'test',
    CITY_AUTH: 'on',
    SCHEMA_REGISTRY: 'off',
    JWT_SECRET,
    SUBGRAPH_DEDUPE: 'off',
    RESPONSE_CACHE: 'off',
    CLIENT_MAX_IN_FLIGHT: '64',
    CLIENT_MAX_QUEUED: '64',
    RATE_LIMIT_MAX: '0',
    ...env,
  });
  const gateway = await createGatewayServer({ ...options, port: 0, supergraph: { kind: 'sdl', sdl: supergraphSdl } });
  gateways.push(gateway);
  return gateway.listen(0);
}

async function post(origin: string, query: string, variables: Record<string, unknown> = {}, token?: string) {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (token) headers.authorization = `Bearer ${token}`;
  const res = await fetch(`${origin}/graphql`, { method: 'POST', headers, body: JSON.stringify({ query, variables }) });
  return { status: res.status, body: (await res.json()) as { data?: any; errors?: Array<{ extensions?: { code?: string } }> } };
}

const token = (viewer: Viewer) => signUserToken(viewer, JWT_SECRET);
const resident = (id: string) => token({ role: 'resident', subject: id, residentId: id });

function shared(metrics: string, role: 'led' | 'shared'): number {
  const m = new RegExp(`^gateway_request_sharing_total\\{[^}]*role="${role}"[^}]*\\} (\\d+)`, 'm').exec(metrics);
  return m ? Number(m[1]) : NaN;
}

it('runs 20 concurrent identical queries once, and says so at /metrics', async () => {
  const origin = await startGateway();
  const before = executions;
  const answers = await Promise.all(Array.from({ length: 20 }, () => post(origin, QUERY, { tag: 'a' })));
  for (const a of answers) expect(a).toEqual({ status: 200, body: { data: { slow: 'slow:a' } } });
  expect(executions - before).toBe(1);

  const metrics = await (await fetch(`${origin}/metrics`)).text();
  expect(shared(metrics, 'led')).toBe(1);
  expect(shared(metrics, 'shared')).toBe(19);
  // Joined requests are counted as operations like executed ones.
  expect(metrics).toMatch(/^graphql_operation_duration_seconds_count\{[^}]*operation="Slow"[^}]*\} 20$/m);

  // Sharing only lasts while the execution does: the next request executes again.
  await post(origin, QUERY, { tag: 'a' });
  expect(executions - before).toBe(2);
});

it('never shares between viewers or between different variables', async () => {
  const origin = await startGateway();
  const before = executions;
  const one = resident('resident-1');
  const two = resident('resident-2');
  const answers = await Promise.all([
    ...Array.from({ length: 6 }, () => post(origin, QUERY, { tag: 'a' }, one)),
    ...Array.from({ length: 6 }, () => post(origin, QUERY, { tag: 'a' }, two)),
    ...Array.from({ length: 6 }, () => post(origin, QUERY, { tag: 'b' }, two)),
  ]);
  for (const a of answers) expect(a.body.errors).toBeUndefined();
  expect(executions - before).toBe(3);
});

it('never shares mutations', async () => {
  const origin = await startGateway();
  const before = bumps;
  const answers = await Promise.all(Array.from({ length: 5 }, () => post(origin, 'mutation { bump }')));
  expect(bumps - before).toBe(5);
  expect(new Set(answers.map((a) => a.body.data?.bump)).size).toBe(5);
});

it('never hands a query sent after a mutation began an answer that began before it', async () => {
  const origin = await startGateway();
  const before = executions;
  const first = post(origin, QUERY, { tag: 'write' });
  await sleep(100);
  const write = post(origin, 'mutation { bump }');
  await sleep(100);
  const after = post(origin, QUERY, { tag: 'write' });
  await Promise.all([first, write, after]);
  expect(executions - before).toBe(2);
});

it('is off with REQUEST_SHARING=off', async () => {
  const origin = await startGateway({ REQUEST_SHARING: 'off' });
  const before = executions;
  await Promise.all(Array.from({ length: 20 }, () => post(origin, QUERY, { tag: 'off' })));
  expect(executions - before).toBe(20);
  const metrics = await (await fetch(`${origin}/metrics`)).text();
  expect(metrics).not.toMatch(/gateway_request_sharing_total/);
});

it('admits every joined request through the pipeline: its slot, its queue, and gives the slot back', async () => {
  const origin = await startGateway({ CLIENT_MAX_IN_FLIGHT: '4', CLIENT_MAX_QUEUED: '2' });
  const before = executions;
  const answers = await Promise.all(Array.from({ length: 20 }, () => post(origin, QUERY, { tag: 'slots' })));
  const ok = answers.filter((a) => a.status === 200);
  const limited = answers.filter((a) => a.status === 429);
  // 4 in flight (one execution, three joined), 2 queued (they run when the first four are done), 14 refused.
  expect(ok).toHaveLength(6);
  expect(limited).toHaveLength(14);
  for (const a of limited) expect(a.body.errors?.[0]?.extensions?.code).toBe('RATE_LIMITED');
  expect(executions - before).toBe(2);
  // Every slot came back: four at once are all admitted again.
  const again = await Promise.all(Array.from({ length: 4 }, () => post(origin, QUERY, { tag: 'slots' })));
  for (const a of again) expect(a.status).toBe(200);
});

it('shares over graphql-ws too', async () => {
  const origin = await startGateway();
  const client = createWsClient({ url: `${origin.replace(/^http/, 'ws')}/graphql`, webSocketImpl: WebSocket, lazy: false, retryAttempts: 0 });
  try {
    const before = executions;
    const answers = await Promise.all(
      Array.from({ length: 10 }, () => {
        const iterator = client.iterate({ query: QUERY, variables: { tag: 'ws' } });
        return iterator.next().then((r) => r.value);
      }),
    );
    for (const a of answers) expect(a).toEqual({ data: { slow: 'slow:ws' } });
    expect(executions - before).toBe(1);
  } finally {
    await client.dispose();
  }
});
