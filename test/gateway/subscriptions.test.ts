import { buildSubgraphSchema } from '@apollo/subgraph';
import { ApolloServer } from '@apollo/server';
import { parse } from 'graphql';
import { createClient as createWsClient, type Client } from 'graphql-ws';
import { createClient as createSseClient } from 'graphql-sse';
import { createServer, type Server } from 'node:http';
import { WebSocketServer } from 'ws';
import WebSocket from 'ws';
import { useServer } from 'graphql-ws/use/ws';
import { composeSubgraphs } from '../../gateway/supergraph/compose';
import { gatewayOptions } from '../support/gateway';
import { createGatewayServer, type GatewayServer } from '../../gateway/server';
import { listen, serveGraphQL } from '../../shared/platform/http';
import { InProcessPubSub } from '../../shared/platform/pubsub';

/**
 * Federated subscriptions through the gateway with two small subgraphs: `products` owns the
 * subscription field, `reviews` adds a field that must be resolved for every event.
 */

const productsSdl = `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])
  type Product @key(fields: "upc") { upc: String! name: String! price: Int! }
  type Query { product(upc: String!): Product }
  type Subscription { priceChanged(upc: String!): Product! }
`;
const reviewsSdl = `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])
  type Product @key(fields: "upc") { upc: String! reviews: [Review!]! }
  type Review { stars: Int! }
`;

interface TinySubgraph {
  url: string;
  server: Server;
  stop(): Promise<void>;
}

async function startTiny(sdl: string, resolvers: any): Promise<TinySubgraph> {
  const schema = buildSubgraphSchema({ typeDefs: parse(sdl), resolvers });
  const apollo = new ApolloServer({ schema });
  await apollo.start();
  const server = createServer((req, res) => void serveGraphQL(apollo, req, res, async () => ({})));
  const wss = new WebSocketServer({ server, path: '/graphql' });
  const ws = useServer({ schema }, wss);
  const base = await listen(server, 0);
  return {
    url: `${base}/graphql`,
    server,
    async stop() {
      await ws.dispose();
      wss.close();
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
      await apollo.stop();
    },
  };
}

const prices: Record<string, number> = { '1': 100, '2': 200 };
const pubsub = new InProcessPubSub();
let upstreamSubscribes = 0;
let upstreamOpen = 0;
let reviewFetches = 0;
let failReviews = false;

let products: TinySubgraph;
let reviews: TinySubgraph;
let gateway: GatewayServer;
let wsUrl: string;
let httpUrl: string;

beforeAll(async () => {
  products = await startTiny(productsSdl, {
    Query: { product: (_: unknown, { upc }: { upc: string }) => ({ upc, name: `P${upc}`, price: prices[upc] }) },
    Product: { __resolveReference: (ref: { upc: string }) => ({ upc: ref.upc, name: `P${ref.upc}`, price: prices[ref.upc] }) },
    Subscription: {
      priceChanged: {
        subscribe: (_: unknown, { upc }: { upc: string }) => {
          upstreamSubscribes += 1;
          upstreamOpen += 1;
          const it = pubsub.subscribe(`price:${upc}`);
          const original = it.return!.bind(it);
          it.return = () => {
            upstreamOpen -= 1;
            return original();
          };
          return it;
        },
        resolve: (payload: unknown) => payload,
      },
    },
  });
  reviews = await startTiny(reviewsSdl, {
    Product: {
      __resolveReference: (ref: { upc: string }) => ref,
      reviews: (p: { upc: string }) => {
        reviewFetches += 1;
        if (failReviews) throw new Error('reviews store is down');
        return [{ stars: Number(p.upc) + 3 }];
      },
    },
  });
  const composed = composeSubgraphs([
    { name: 'products', url: products.url, sdl: productsSdl },
    { name: 'reviews', url: reviews.url, sdl: reviewsSdl },
  ]);
  expect(composed.errors).toEqual([]);
  gateway = await createGatewayServer(
    gatewayOptions({
    supergraph: { kind: 'sdl', sdl: composed.supergraphSdl! },
    subgraphUrls: {},
    subgraphTimeoutMs: 5000,
    subscriptions: { maxPerClient: 150, maxTotal: 1000, maxQueue: 100 },
    }),
  );
  const base = await gateway.listen(0);
  httpUrl = `${base}/graphql`;
  wsUrl = httpUrl.replace('http', 'ws');
});

afterAll(async () => {
  await gateway?.stop();
  await products?.stop().catch(() => {});
  await reviews?.stop();
});

const SUBSCRIPTION = 'subscription($upc: String!) { priceChanged(upc: $upc) { upc name price reviews { stars } } }';

function wsClient(): Client {
  return createWsClient({ url: wsUrl, webSocketImpl: WebSocket, retryAttempts: 0, lazy: true });
}

/** Collects results of one subscription until `count` arrive or it ends. */
function collect(client: Client, upc: string, count: number) {
  const results: any[] = [];
  let done!: () => void;
  const finished = new Promise<void>((resolve) => (done = resolve));
  const dispose = client.subscribe(
    { query: SUBSCRIPTION, variables: { upc } },
    {
      next: (r) => {
        results.push(r);
        if (results.length >= count) done();
      },
      error: () => done(),
      complete: () => done(),
    },
  );
  return { results, finished, dispose };
}

async function until(check: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}

it('delivers each event over graphql-ws with fields from the other subgraph', async () => {
  const client = wsClient();
  const sub = collect(client, '1', 2);
  await until(() => upstreamOpen === 1);
  await pubsub.publish('price:1', { upc: '1', name: 'P1', price: 101 });
  await pubsub.publish('price:1', { upc: '1', name: 'P1', price: 102 });
  await sub.finished;
  expect(sub.results).toEqual([
    { data: { priceChanged: { upc: '1', name: 'P1', price: 101, reviews: [{ stars: 4 }] } } },
    { data: { priceChanged: { upc: '1', name: 'P1', price: 102, reviews: [{ stars: 4 }] } } },
  ]);
  sub.dispose();
  await until(() => upstreamOpen === 0);
  await client.dispose();
});

it('delivers events over Server-Sent Events (graphql-sse) too', async () => {
  const client = createSseClient({ url: `${httpUrl}/stream`, retryAttempts: 0 });
  const results: any[] = [];
  const got = new Promise<void>((resolve, reject) => {
    client.subscribe({ query: SUBSCRIPTION, variables: { upc: '2' } }, {
      next: (r) => {
        results.push(r);
        resolve();
      },
      error: reject,
      complete: () => {},
    });
  });
  await until(() => upstreamOpen === 1);
  await pubsub.publish('price:2', { upc: '2', name: 'P2', price: 250 });
  await got;
  expect(results[0]).toEqual({ data: { priceChanged: { upc: '2', name: 'P2', price: 250, reviews: [{ stars: 5 }] } } });
  client.dispose();
  await until(() => upstreamOpen === 0);
});

it('shares one upstream subscription and one entity fetch per event among 100 identical clients', async () => {
  const before = upstreamSubscribes;
  const clients = Array.from({ length: 100 }, () => wsClient());
  const subs = clients.map((c) => collect(c, '1', 1));
  await until(() => gateway.subscriptions.stats().subscriptions === 100);
  await until(() => upstreamOpen === 1);
  expect(upstreamSubscribes - before).toBe(1);
  expect(gateway.subscriptions.stats().streams).toBe(1);
  const fetchesBefore = reviewFetches;
  await pubsub.publish('price:1', { upc: '1', name: 'P1', price: 150 });
  await Promise.all(subs.map((s) => s.finished));
  for (const s of subs) expect(s.results[0].data.priceChanged.price).toBe(150);
  expect(reviewFetches - fetchesBefore).toBe(1);
  subs.forEach((s) => s.dispose());
  await Promise.all(clients.map((c) => c.dispose()));
  await until(() => upstreamOpen === 0 && gateway.subscriptions.stats().subscriptions === 0);
});

it("puts a failed entity fetch into that event's errors and goes on with the stream", async () => {
  const client = wsClient();
  const sub = collect(client, '2', 2);
  await until(() => upstreamOpen === 1);
  failReviews = true;
  await pubsub.publish('price:2', { upc: '2', name: 'P2', price: 201 });
  await until(() => sub.results.length === 1);
  failReviews = false;
  await pubsub.publish('price:2', { upc: '2', name: 'P2', price: 202 });
  await sub.finished;
  expect(sub.results[0].data).toBeNull();
  expect(sub.results[0].errors[0].message).toMatch(/reviews store is down/);
  expect(sub.results[1]).toEqual({ data: { priceChanged: { upc: '2', name: 'P2', price: 202, reviews: [{ stars: 5 }] } } });
  sub.dispose();
  await until(() => upstreamOpen === 0);
  await client.dispose();
});

it('refuses subscriptions over the per-client limit with a clear error', async () => {
  const g = gateway.subscriptions as any;
  const saved = g.options.limits.maxPerClient;
  g.options.limits.maxPerClient = 2;
  const client = wsClient();
  const a = collect(client, '1', 1);
  const b = collect(client, '2', 1);
  await until(() => gateway.subscriptions.stats().subscriptions === 2);
  const c = collect(client, '1', 1);
  await c.finished;
  expect(c.results[0].errors[0].extensions.code).toBe('SUBSCRIPTION_LIMIT_EXCEEDED');
  g.options.limits.maxPerClient = saved;
  a.dispose();
  b.dispose();
  await client.dispose();
  await until(() => gateway.subscriptions.stats().subscriptions === 0);
});

it('ends streams with an error when the owning subgraph goes away, and keeps serving', async () => {
  const client = wsClient();
  const sub = collect(client, '1', 2);
  await until(() => upstreamOpen === 1);
  await products.stop();
  await sub.finished;
  expect(sub.results.at(-1).errors[0].extensions.code).toBe('SUBGRAPH_UNAVAILABLE');
  const health = await fetch(httpUrl.replace('/graphql', '/health'));
  expect(health.status).toBe(200);
  await client.dispose();
});
