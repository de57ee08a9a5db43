import { loadGatewayOptions } from '../../gateway/config';
import { createGatewayServer, type GatewayServer } from '../../gateway/server';
import { startFixture, type FederationFixture } from '../federation/harness';
import { fed } from '../federation/sdl';

/*
 * COST_MODE through a real gateway in plain mode (CITY_AUTH=off): cost checks are off unless the
 * operator asks (MAX_COST, COST_MODE) or the supergraph declares @cost / @listSize; measure mode
 * refuses nothing but reports the estimate in metrics and, when asked, in extensions.cost.
 */

const tree = (n: number, depth: number): unknown[] =>
  Array.from({ length: Math.min(n, 2) }, (_, i) => ({ name: `item-${depth}-${i}`, depth }));

type CacheInfo = { cacheControl: { setCacheHint(hint: { maxAge: number; scope?: 'PUBLIC' | 'PRIVATE' }): void } };
const cacheable = <T>(info: CacheInfo, value: T): T => {
  info.cacheControl.setCacheHint({ maxAge: 60, scope: 'PUBLIC' });
  return value;
};

const subgraph = (directives: boolean): FederationFixture => ({
  name: directives ? 'cost-declared' : 'cost-undeclared',
  subgraphs: [
    {
      name: 'items',
      typeDefs: `${directives ? fed('@listSize') : fed('@key')}
        type Item { name: String! children(first: Int): [Item!]! ${directives ? '@listSize(slicingArguments: ["first"], requireOneSlicingArgument: false)' : ''} }
        type Query { items(first: Int): [Item!]! ${directives ? '@listSize(slicingArguments: ["first"], requireOneSlicingArgument: false)' : ''} }`,
      resolvers: {
        // Cacheable answers, so the gateway's response cache takes part.
        Query: {
          items: (_: unknown, a: { first?: number }, _c: unknown, info: CacheInfo) => cacheable(info, tree(a.first ?? 2, 0)),
        },
        Item: {
          children: (p: { depth: number }, a: { first?: number }, _c: unknown, info: CacheInfo) => cacheable(info, tree(a.first ?? 2, p.depth + 1)),
        },
      },
    },
  ],
  cases: [],
});

// 1000 × (1 + 1000 × 1): far above the default limit of 5000.
const BOMB = '{ items(first: 1000) { children(first: 1000) { name } } }';
const BOMB_COST = 1000 * (1 + 1000);

async function post(url: string, body: unknown) {
  const res = await fetch(`${url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: res.status, body: (await res.json()) as any };
}

describe('cost modes in plain mode', () => {
  const started: Array<{ close(): Promise<void> }> = [];
  const gateways: GatewayServer[] = [];
  let undeclared: string;
  let declared: string;

  const gateway = async (supergraphSdl: string, env: NodeJS.ProcessEnv = {}): Promise<{ url: string; server: GatewayServer }> => {
    const server = await createGatewayServer({
      ...loadGatewayOptions({ NODE_ENV: 'test', CITY_AUTH: 'off', ...env }),
      port: 0,
      supergraph: { kind: 'sdl', sdl: supergraphSdl },
    });
    gateways.push(server);
    return { url: await server.listen(0), server };
  };

  beforeAll(async () => {
    const a = await startFixture(subgraph(false));
    const b = await startFixture(subgraph(true));
    started.push(a, b);
    undeclared = a.supergraphSdl;
    declared = b.supergraphSdl;
  });

  afterAll(async () => {
    for (const g of gateways) await g.stop();
    for (const s of started) await s.close();
  });

  it('runs a costly operation when the supergraph declares no cost directives and nothing is configured', async () => {
    const { url } = await gateway(undeclared);
    const res = await post(url, { query: BOMB, extensions: { cost: true } });
    expect(res.status).toBe(200);
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data.items).toHaveLength(2);
    // off: nothing estimated, so nothing to report
    expect(res.body.extensions?.cost).toBeUndefined();
  });

  it('enforces an explicit MAX_COST', async () => {
    const { url } = await gateway(undeclared, { MAX_COST: '100' });
    const res = await post(url, { query: BOMB });
    expect(res.status).toBe(400);
    expect(res.body.errors[0].extensions).toMatchObject({ code: 'COST_LIMIT_EXCEEDED', limit: 100, actual: BOMB_COST });
    expect((await post(url, { query: '{ items(first: 3) { name } }' })).body.data.items).toHaveLength(2);
  });

  it('enforces the default limit once the supergraph declares @listSize, and reports the estimate on refusal when asked', async () => {
    expect(declared).toMatch(/@listSize/);
    const { url } = await gateway(declared);
    const res = await post(url, { query: BOMB, extensions: { cost: true } });
    expect(res.status).toBe(400);
    expect(res.body.errors[0].extensions).toMatchObject({ code: 'COST_LIMIT_EXCEEDED', limit: 5000, actual: BOMB_COST });
    expect(res.body.extensions.cost).toEqual({ estimated: BOMB_COST, mode: 'enforce', limit: 5000 });
  });

  it('measure: refuses nothing, reports the estimate to a client that asks and in /metrics', async () => {
    const { url } = await gateway(declared, { COST_MODE: 'measure' });
    const asked = await post(url, { query: BOMB, extensions: { cost: true } });
    expect(asked.status).toBe(200);
    expect(asked.body.errors).toBeUndefined();
    expect(asked.body.extensions).toEqual({ cost: { estimated: BOMB_COST, mode: 'measure', limit: null } });
    const variables = await post(url, { query: 'query($n: Int) { items(first: $n) { name } }', variables: { n: 7 }, extensions: { cost: true } });
    expect(variables.body.extensions.cost.estimated).toBe(7);
    // The same answer again, from the response cache, for a client that did not ask.
    const quiet = await post(url, { query: BOMB });
    expect(quiet.body.extensions).toBeUndefined();
    expect(quiet.body.data).toEqual(asked.body.data);
    const metrics = await (await fetch(`${url}/metrics`)).text();
    expect(metrics).toMatch(/gateway_response_cache_events_total\{event="hit",service="gateway"\} 1\n/);
    expect(metrics).toMatch(/graphql_operation_cost_count\{service="gateway",type="query"\} 3\n/);
    expect(metrics).toMatch(new RegExp(`graphql_operation_cost_sum\\{service="gateway",type="query"\\} ${2 * BOMB_COST + 7}\\n`));
  });
});
