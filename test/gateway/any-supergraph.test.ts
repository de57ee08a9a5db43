import { createServer, type Server } from 'node:http';
import { ApolloServer } from '@apollo/server';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { parse } from 'graphql';
import { composeSubgraphs } from '../../gateway/supergraph/compose';
import { gatewayOptions } from '../support/gateway';
import { createGatewayServer, type GatewayServer } from '../../gateway/server';
import { listen, serveGraphQL } from '../../shared/platform/http';

/**
 * The gateway is a general Federation 2 gateway: given a supergraph that has nothing to do with
 * the city (no database, city auth off) it plans and executes across its subgraphs.
 */

async function startTinySubgraph(sdl: string, resolvers: any): Promise<{ url: string; server: Server; apollo: ApolloServer }> {
  const apollo = new ApolloServer({ schema: buildSubgraphSchema({ typeDefs: parse(sdl), resolvers }) });
  await apollo.start();
  const server = createServer((req, res) => void serveGraphQL(apollo, req, res, async () => ({})));
  const url = await listen(server, 0);
  return { url: `${url}/graphql`, server, apollo };
}

const productsSdl = `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])
  type Product @key(fields: "upc") { upc: String! name: String! price: Int! }
  type Query { topProducts(first: Int = 5): [Product!]! }
`;
const reviewsSdl = `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])
  type Product @key(fields: "upc") { upc: String! reviews: [Review!]! }
  type Review { body: String! stars: Int! }
`;

const products = [
  { upc: '1', name: 'Table', price: 899 },
  { upc: '2', name: 'Couch', price: 1299 },
  { upc: '3', name: 'Chair', price: 54 },
];
const reviews: Record<string, Array<{ body: string; stars: number }>> = {
  '1': [{ body: 'Love it!', stars: 5 }],
  '2': [{ body: 'Too expensive.', stars: 2 }, { body: 'Comfy', stars: 4 }],
};

describe('gateway with a supergraph that is not the city graph', () => {
  let productsSub: Awaited<ReturnType<typeof startTinySubgraph>>;
  let reviewsSub: Awaited<ReturnType<typeof startTinySubgraph>>;
  let gateway: GatewayServer;
  let url: string;

  beforeAll(async () => {
    productsSub = await startTinySubgraph(productsSdl, {
      Query: { topProducts: (_: unknown, { first }: { first: number }) => products.slice(0, first) },
      Product: { __resolveReference: (ref: { upc: string }) => products.find((p) => p.upc === ref.upc) },
    });
    reviewsSub = await startTinySubgraph(reviewsSdl, {
      Product: { reviews: (p: { upc: string }) => reviews[p.upc] ?? [] },
    });
    const composed = composeSubgraphs([
      { name: 'products', url: productsSub.url, sdl: productsSdl },
      { name: 'reviews', url: 'http://127.0.0.1:1/not-used', sdl: reviewsSdl },
    ]);
    expect(composed.errors).toEqual([]);
    gateway = await createGatewayServer(
    gatewayOptions({
      supergraph: { kind: 'sdl', sdl: composed.supergraphSdl! },
      // The routing URL in the supergraph is wrong on purpose: the override must win.
      subgraphUrls: { reviews: reviewsSub.url },
      subscriptions: { maxPerClient: 10, maxTotal: 100, maxQueue: 100 },
    }),
  );
    url = await gateway.listen(0);
  });

  afterAll(async () => {
    await gateway?.stop();
    for (const s of [productsSub, reviewsSub]) {
      s?.server.close();
      await s?.apollo.stop();
    }
  });

  it('plans and executes a query across both subgraphs', async () => {
    const res = await fetch(`${url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ topProducts(first: 3) { name price reviews { stars } } }' }),
    });
    const body = (await res.json()) as any;
    expect(body.errors).toBeUndefined();
    expect(body.data.topProducts).toEqual([
      { name: 'Table', price: 899, reviews: [{ stars: 5 }] },
      { name: 'Couch', price: 1299, reviews: [{ stars: 2 }, { stars: 4 }] },
      { name: 'Chair', price: 54, reviews: [] },
    ]);
  });

  it('answers GET queries (with a CSRF-safe header) and reports health', async () => {
    const q = encodeURIComponent('{ topProducts(first: 1) { upc } }');
    const res = await fetch(`${url}/graphql?query=${q}`, { headers: { 'apollo-require-preflight': 'true' } });
    expect(((await res.json()) as any).data).toEqual({ topProducts: [{ upc: '1' }] });
    expect((await fetch(`${url}/health`)).status).toBe(200);
    const ready = await fetch(`${url}/health/ready`);
    expect(ready.status).toBe(200);
    expect(((await ready.json()) as any).subgraphs).toEqual({ products: { status: 'up' }, reviews: { status: 'up' } });
  });

  it('exposes Prometheus metrics and a request id', async () => {
    const res = await fetch(`${url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-request-id': 'trace-me-123' },
      body: JSON.stringify({ query: 'query Top { topProducts(first: 2) { name reviews { stars } } }' }),
    });
    expect(res.headers.get('x-request-id')).toBe('trace-me-123');
    const metrics = await (await fetch(`${url}/metrics`)).text();
    expect(metrics).toMatch(/graphql_operation_duration_seconds_count\{service="gateway",operation="Top",type="query"\} [1-9]/);
    expect(metrics).toMatch(/subgraph_fetch_duration_seconds_count\{service="gateway",subgraph="reviews",outcome="ok"\} [1-9]/);
    expect(metrics).toMatch(/graphql_subscriptions_open\{kind="client",service="gateway"\} 0/);
    expect(metrics).toMatch(/process_resident_memory_bytes/);
  });

  it('reports not ready when a subgraph stops answering', async () => {
    reviewsSub.server.close();
    reviewsSub.server.closeAllConnections();
    await new Promise((r) => setTimeout(r, 1100));
    const ready = await fetch(`${url}/health/ready`);
    expect(ready.status).toBe(503);
    expect(((await ready.json()) as any).subgraphs.reviews).toEqual({ status: 'down', reason: 'connection refused' });
    // The live subgraph's data is still served; the missing part comes back as an error.
    const res = await fetch(`${url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ topProducts(first: 1) { name reviews { stars } } }' }),
    });
    const body = (await res.json()) as any;
    expect(body.errors?.length).toBeGreaterThan(0);
  });
});
