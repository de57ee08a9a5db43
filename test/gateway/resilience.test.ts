import { sendJson } from '../../shared/platform/http';
import { CircuitBreaker } from '../../gateway/datasources/circuit-breaker';
import { composeSubgraphs } from '../../gateway/supergraph/compose';
import { createGatewayServer, type GatewayServer } from '../../gateway/server';
import { gatewayOptions } from '../support/gateway';
import { startTinySubgraph, type TinySubgraph } from '../support/tiny-subgraph';

/** A failing subgraph costs only its own fields: partial results, clear codes, a breaker, recovery. */

const usersSdl = `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])
  type User @key(fields: "id") { id: ID! name: String! }
  type Query { users: [User!]! }
`;
const statsSdl = `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])
  type User @key(fields: "id") { id: ID! score: Int }
  type Mutation { record(score: Int!): Int! }
`;

const QUERY_TIMEOUT_MS = 300;
const MUTATION_TIMEOUT_MS = 1500;
/** Slower than a query may take, well within a mutation's deadline. */
const SLOW_MS = 700;

let mode: 'ok' | 'slow' | 'hang' | 'garbage' | 'down' | 'refuse' | 'error500' = 'ok';
let statsCalls = 0;
let recorded = 0;

let users: TinySubgraph;
let stats: TinySubgraph;
let gateway: GatewayServer;
let url: string;

beforeAll(async () => {
  users = await startTinySubgraph(usersSdl, {
    Query: { users: () => [{ id: '1', name: 'Ada' }, { id: '2', name: 'Lin' }] },
    User: { __resolveReference: (r: { id: string }) => ({ id: r.id, name: r.id === '1' ? 'Ada' : 'Lin' }) },
  });
  stats = await startTinySubgraph(
    statsSdl,
    {
      User: { __resolveReference: (r: { id: string }) => ({ id: r.id, score: Number(r.id) * 10 }) },
      Mutation: { record: (_: unknown, { score }: { score: number }) => (recorded += score) },
    },
    async (_req, res) => {
      statsCalls += 1;
      switch (mode) {
        case 'hang':
          return true; // never answers
        case 'slow':
          await new Promise((r) => setTimeout(r, SLOW_MS));
          return false;
        case 'garbage':
          res.writeHead(200, { 'content-type': 'application/json' });
          res.end('<html>oops');
          return true;
        case 'refuse':
          sendJson(res, 400, { errors: [{ message: 'Cannot query field "score" on type "User".', extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } }] });
          return true;
        case 'error500':
          sendJson(res, 500, { errors: [{ message: 'boom', extensions: { code: 'INTERNAL_SERVER_ERROR' } }] });
          return true;
        case 'down':
          res.destroy();
          return true;
        default:
          return false;
      }
    },
  );
  const composed = composeSubgraphs([
    { name: 'users', url: users.url, sdl: usersSdl },
    { name: 'stats', url: stats.url, sdl: statsSdl },
  ]);
  gateway = await createGatewayServer(
    gatewayOptions({
      supergraph: { kind: 'sdl', sdl: composed.supergraphSdl! },
      subgraphTimeoutMs: QUERY_TIMEOUT_MS,
      subgraphMutationTimeoutMs: MUTATION_TIMEOUT_MS,
      circuitBreaker: { failureThreshold: 3, cooldownMs: 400 },
      subgraphRetries: 1,
      // Identical queries at once would share one execution (REQUEST_SHARING): these tests are
      // about how the breaker gates separate executions, so each query executes on its own.
      perf: { ...gatewayOptions({}).perf!, requestSharing: false },
    }),
  );
  url = `${await gateway.listen(0)}/graphql`;
});

afterAll(async () => {
  await gateway.stop();
  await users.stop();
  await stats.stop();
});

async function send(query: string) {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query }),
  });
  return (await res.json()) as any;
}

const ask = () => send('{ users { name score } }');
const record = (score: number) => send(`mutation { record(score: ${score}) }`);

function statsBreaker(): CircuitBreaker {
  return (gateway.gateway as any).serviceMap.stats.dataSource.breaker as CircuitBreaker;
}

/** Opens the stats circuit with dropped connections, then waits out its cool-down (half-open next). */
async function openThenCoolDown(): Promise<CircuitBreaker> {
  mode = 'down';
  const breaker = statsBreaker();
  breaker.success();
  for (let i = 0; i < 3; i++) await ask();
  expect(breaker.current).toBe('open');
  await new Promise((r) => setTimeout(r, 450));
  return breaker;
}

it('answers fully when every subgraph is well', async () => {
  mode = 'ok';
  expect(await ask()).toEqual({ data: { users: [{ name: 'Ada', score: 10 }, { name: 'Lin', score: 20 }] } });
});

it.each([
  ['hangs', 'hang', 'SUBGRAPH_TIMEOUT'],
  ['returns garbage', 'garbage', 'SUBGRAPH_UNAVAILABLE'],
  ['drops connections', 'down', 'SUBGRAPH_UNAVAILABLE'],
] as const)('gives partial results with %s', async (_label, m, code) => {
  mode = m;
  statsBreaker().success();
  const started = Date.now();
  const body = await ask();
  expect(Date.now() - started).toBeLessThan(2000);
  expect(body.data.users.map((u: any) => u.name)).toEqual(['Ada', 'Lin']);
  expect(body.data.users.map((u: any) => u.score)).toEqual([null, null]);
  expect(body.errors[0].extensions).toMatchObject({ code, serviceName: 'stats' });
});

it('opens the circuit after repeated failures, then recovers by itself', async () => {
  mode = 'down';
  const breaker = statsBreaker();
  breaker.success();
  for (let i = 0; i < 3; i++) await ask();
  expect(breaker.current).toBe('open');
  const before = statsCalls;
  const body = await ask();
  expect(statsCalls).toBe(before); // not called while open
  expect(body.errors[0].extensions.code).toBe('SUBGRAPH_UNAVAILABLE');
  expect(body.errors[0].message).toMatch(/retries it in/);
  mode = 'ok';
  await new Promise((r) => setTimeout(r, 450));
  expect((await ask()).data.users[0].score).toBe(10);
  expect(breaker.current).toBe('closed');
});

it("passes a subgraph's refusal (HTTP 400) through without retrying or opening its circuit", async () => {
  mode = 'refuse';
  const breaker = statsBreaker();
  breaker.success();
  const before = statsCalls;
  for (let i = 0; i < 4; i++) {
    const body = await ask();
    expect(body.data.users.map((u: any) => u.name)).toEqual(['Ada', 'Lin']);
    expect(body.errors[0]).toMatchObject({ message: 'Cannot query field "score" on type "User".', extensions: { code: 'GRAPHQL_VALIDATION_FAILED', serviceName: 'stats' } });
  }
  expect(statsCalls - before).toBe(4);
  expect(breaker.current).toBe('closed');
  mode = 'ok';
});

it('opens the circuit on 5xx answers', async () => {
  mode = 'error500';
  const breaker = statsBreaker();
  breaker.success();
  for (let i = 0; i < 3; i++) {
    const body = await ask();
    expect(body.errors[0].extensions).toMatchObject({ code: 'SUBGRAPH_UNAVAILABLE', serviceName: 'stats' });
  }
  expect(breaker.current).toBe('open');
  mode = 'ok';
  breaker.success();
});

it('closes a half-open circuit when the probe is refused with a 4xx (the subgraph is up)', async () => {
  const breaker = await openThenCoolDown();
  mode = 'refuse';
  expect((await ask()).errors[0].extensions.code).toBe('GRAPHQL_VALIDATION_FAILED');
  expect(breaker.current).toBe('closed');
  mode = 'ok';
});

it('lets a single probe through when half-open, and closes on its success', async () => {
  const breaker = await openThenCoolDown();
  mode = 'slow';
  const before = statsCalls;
  // Five at once: only the first reaches the subgraph; the others are answered at once.
  const started = Date.now();
  const bodies = await Promise.all(Array.from({ length: 5 }, () => send('{ users { name score } }')));
  expect(statsCalls - before).toBe(1);
  const probed = bodies.filter((b) => b.errors?.[0]?.extensions?.code === 'SUBGRAPH_TIMEOUT');
  const refused = bodies.filter((b) => /retries it in/.test(b.errors?.[0]?.message ?? ''));
  // The probe is slower than a query may take: it times out and the circuit opens again.
  expect([probed.length, refused.length]).toEqual([1, 4]);
  expect(breaker.current).toBe('open');
  expect(Date.now() - started).toBeLessThan(2000);
  mode = 'ok';
  await new Promise((r) => setTimeout(r, 450));
  const results = await Promise.all(Array.from({ length: 5 }, () => ask()));
  expect(results.filter((b) => b.data?.users?.[0]?.score === 10).length).toBeGreaterThanOrEqual(1);
  expect(breaker.current).toBe('closed');
  expect((await ask()).data.users[0].score).toBe(10);
});

describe('mutations', () => {
  it('gets the answer of a mutation slower than the query timeout, and leaves the circuit closed', async () => {
    const breaker = statsBreaker();
    breaker.success();
    mode = 'slow';
    // A query that slow times out (and counts against the circuit)…
    expect((await ask()).errors[0].extensions.code).toBe('SUBGRAPH_TIMEOUT');
    breaker.success();
    // …a mutation that slow is a slow write, and its answer arrives, every time.
    const before = statsCalls;
    recorded = 0;
    for (let i = 1; i <= 4; i++) {
      const started = Date.now();
      const body = await record(i);
      expect(body).toEqual({ data: { record: (i * (i + 1)) / 2 } });
      expect(Date.now() - started).toBeGreaterThanOrEqual(SLOW_MS - 50);
    }
    expect(statsCalls - before).toBe(4);
    expect(breaker.current).toBe('closed');
    mode = 'ok';
  });

  it('reports a mutation past its own deadline as SUBGRAPH_TIMEOUT without opening the circuit', async () => {
    const breaker = statsBreaker();
    breaker.success();
    mode = 'hang';
    const before = statsCalls;
    for (let i = 0; i < 3; i++) {
      const started = Date.now();
      const body = await record(1);
      const ms = Date.now() - started;
      expect(body.errors[0].extensions).toMatchObject({ code: 'SUBGRAPH_TIMEOUT', serviceName: 'stats' });
      expect(body.errors[0].message).toMatch(/may still have been applied/);
      expect(ms).toBeGreaterThanOrEqual(MUTATION_TIMEOUT_MS - 50);
      expect(ms).toBeLessThan(MUTATION_TIMEOUT_MS + 1000);
    }
    expect(statsCalls - before).toBe(3); // never retried
    expect(breaker.current).toBe('closed');
    mode = 'ok';
    stats.server.closeAllConnections(); // the hung requests
  });

  it('never retries a mutation whose connection drops, while a query is retried once', async () => {
    const breaker = statsBreaker();
    breaker.success();
    mode = 'down';
    let before = statsCalls;
    const body = await record(1);
    expect(body.errors[0].extensions).toMatchObject({ code: 'SUBGRAPH_UNAVAILABLE', serviceName: 'stats' });
    expect(statsCalls - before).toBe(1);
    before = statsCalls;
    await ask();
    expect(statsCalls - before).toBe(2);
    mode = 'ok';
    breaker.success();
  });
});

describe('CircuitBreaker', () => {
  it('lets a single probe through when half-open', () => {
    let now = 0;
    const b = new CircuitBreaker({ failureThreshold: 2, cooldownMs: 100 }, () => now);
    b.failure();
    expect(b.allow()).toBe(true);
    b.failure();
    expect(b.allow()).toBe(false);
    now = 100;
    expect(b.allow()).toBe(true);
    expect(b.allow()).toBe(false);
    b.failure();
    expect(b.current).toBe('open');
    now = 250;
    expect(b.allow()).toBe(true);
    b.success();
    expect(b.allow()).toBe(true);
  });

  it('lets the next probe go when one proves nothing (release)', () => {
    let now = 0;
    const b = new CircuitBreaker({ failureThreshold: 1, cooldownMs: 100 }, () => now);
    b.failure();
    now = 100;
    expect(b.allow()).toBe(true);
    expect(b.allow()).toBe(false);
    b.release();
    expect(b.current).toBe('half-open');
    expect(b.allow()).toBe(true);
    b.release();
    b.success();
    expect(b.current).toBe('closed');
  });
});
