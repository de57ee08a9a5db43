import { createServer, type Server } from 'node:http';
import { ApolloServer } from '@apollo/server';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { parse } from 'graphql';
import { CircuitBreaker } from '../../gateway/datasources/circuit-breaker';
import { composeSubgraphs } from '../../gateway/supergraph/compose';
import { createGatewayServer, type GatewayServer } from '../../gateway/server';
import { listen, serveGraphQL } from '../../shared/http';
import { gatewayOptions } from '../support/gateway';

/** A failing subgraph costs only its own fields: partial results, clear codes, a breaker, recovery. */

const usersSdl = `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])
  type User @key(fields: "id") { id: ID! name: String! }
  type Query { users: [User!]! }
`;
const statsSdl = `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])
  type User @key(fields: "id") { id: ID! score: Int }
`;

let mode: 'ok' | 'hang' | 'garbage' | 'down' | 'refuse' = 'ok';
let statsCalls = 0;

async function start(sdl: string, resolvers: any, intercept = false): Promise<{ url: string; server: Server }> {
  const apollo = new ApolloServer({ schema: buildSubgraphSchema({ typeDefs: parse(sdl), resolvers }) });
  await apollo.start();
  const server = createServer((req, res) => {
    if (intercept) {
      statsCalls += 1;
      if (mode === 'hang') return; // never answers
      if (mode === 'garbage') {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end('<html>oops');
        return;
      }
      if (mode === 'refuse') {
        res.writeHead(400, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ errors: [{ message: 'Cannot query field "score" on type "User".', extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } }] }));
        return;
      }
      if (mode === 'down') {
        res.destroy();
        return;
      }
    }
    void serveGraphQL(apollo, req, res, async () => ({}));
  });
  const url = await listen(server, 0);
  return { url: `${url}/graphql`, server };
}

let users: { url: string; server: Server };
let stats: { url: string; server: Server };
let gateway: GatewayServer;
let url: string;

beforeAll(async () => {
  users = await start(usersSdl, {
    Query: { users: () => [{ id: '1', name: 'Ada' }, { id: '2', name: 'Lin' }] },
    User: { __resolveReference: (r: { id: string }) => ({ id: r.id, name: r.id === '1' ? 'Ada' : 'Lin' }) },
  });
  stats = await start(statsSdl, { User: { __resolveReference: (r: { id: string }) => ({ id: r.id, score: Number(r.id) * 10 }) } }, true);
  const composed = composeSubgraphs([
    { name: 'users', url: users.url, sdl: usersSdl },
    { name: 'stats', url: stats.url, sdl: statsSdl },
  ]);
  gateway = await createGatewayServer(
    gatewayOptions({
      supergraph: { kind: 'sdl', sdl: composed.supergraphSdl! },
      subgraphTimeoutMs: 300,
      circuitBreaker: { failureThreshold: 3, cooldownMs: 400 },
      subgraphRetries: 1,
    }),
  );
  url = `${await gateway.listen(0)}/graphql`;
});

afterAll(async () => {
  await gateway.stop();
  for (const s of [users, stats]) {
    s.server.closeAllConnections();
    s.server.close();
  }
});

async function ask() {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query: '{ users { name score } }' }),
  });
  return (await res.json()) as any;
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
  const gatewayBreakerReset = (gateway.gateway as any).serviceMap.stats.dataSource.breaker as CircuitBreaker;
  gatewayBreakerReset.success();
  const started = Date.now();
  const body = await ask();
  expect(Date.now() - started).toBeLessThan(2000);
  expect(body.data.users.map((u: any) => u.name)).toEqual(['Ada', 'Lin']);
  expect(body.data.users.map((u: any) => u.score)).toEqual([null, null]);
  expect(body.errors[0].extensions).toMatchObject({ code, serviceName: 'stats' });
});

it('opens the circuit after repeated failures, then recovers by itself', async () => {
  mode = 'down';
  const breaker = (gateway.gateway as any).serviceMap.stats.dataSource.breaker as CircuitBreaker;
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
  const breaker = (gateway.gateway as any).serviceMap.stats.dataSource.breaker as CircuitBreaker;
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
});
