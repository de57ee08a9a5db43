import { spawn } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import path from 'node:path';
import { ApolloGateway } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { parse } from 'graphql';
import { signUserToken, type Viewer } from '../../shared/platform/auth';
import type { Database } from '../../shared/platform/db';
import { listen, pathOf, sendJson, serveGraphQL } from '../../shared/platform/http';
import { InProcessPubSub } from '../../shared/platform/pubsub';
import { createSubgraphFetcher, SubgraphDataSource } from '../../gateway/datasources/subgraph-datasource';
import { openSchemaRegistry, type SchemaRegistry } from '../../gateway/registry';
import { resolveSubgraphUrl } from '../../gateway/supergraph/routing';
import { ROOT_DIR } from '../../shared/platform/schema';
import { testConfig } from '../support/subgraph';
import { adminDoor } from '../support/gateway';

/** Small subgraphs (not the city's): products and reviews, in versions. */
const link = 'extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])';
export const productsV1 = `${link}
  type Product @key(fields: "upc") { upc: String! name: String! price: Int! weight: Int }
  type Query { topProducts(first: Int = 5): [Product!]! }
`;
/** Additive: `inStock`. */
export const productsV2 = `${link}
  type Product @key(fields: "upc") { upc: String! name: String! price: Int! weight: Int inStock: Boolean! }
  type Query { topProducts(first: Int = 5): [Product!]! }
`;
/** Breaking: `price` removed (recorded operations use it). */
export const productsV3 = `${link}
  type Product @key(fields: "upc") { upc: String! name: String! weight: Int inStock: Boolean! }
  type Query { topProducts(first: Int = 5): [Product!]! }
`;
/** Breaking but unused: `weight` removed from V2. */
export const productsV2NoWeight = `${link}
  type Product @key(fields: "upc") { upc: String! name: String! price: Int! inStock: Boolean! }
  type Query { topProducts(first: Int = 5): [Product!]! }
`;
/** What the products service actually serves (it is deployed before its schema is published). */
const productsServed = `${link}
  type Product @key(fields: "upc") { upc: String! name: String! price: Int! weight: Int inStock: Boolean! }
  type Query { topProducts(first: Int = 5): [Product!]! }
`;
export const reviewsV1 = `${link}
  type Product @key(fields: "upc") { upc: String! reviews: [Review!]! }
  type Review { body: String! stars: Int! }
`;
/** Composition error: the key field's type disagrees with products'. */
export const reviewsBadKey = `${link}
  type Product @key(fields: "upc") { upc: Int! reviews: [Review!]! }
  type Review { body: String! stars: Int! }
`;
export const inventorySdl = (extra = '') => `${link}
  type Product @key(fields: "upc") { upc: String! stock: Int!${extra} }
`;

const products = [
  { upc: '1', name: 'Table', price: 899, weight: 30, inStock: true },
  { upc: '2', name: 'Couch', price: 1299, weight: 50, inStock: false },
  { upc: '3', name: 'Chair', price: 54, weight: 5, inStock: true },
];

export interface TinySubgraph {
  url: string;
  server: Server;
  apollo: ApolloServer;
  stop(): Promise<void>;
}

export async function startTinySubgraph(sdl: string, resolvers: any, port = 0): Promise<TinySubgraph> {
  const apollo = new ApolloServer({ schema: buildSubgraphSchema({ typeDefs: parse(sdl), resolvers }), plugins: [ApolloServerPluginInlineTraceDisabled()] });
  await apollo.start();
  const server = createServer((req, res) => void serveGraphQL(apollo, req, res, async () => ({})));
  const url = `${await listen(server, port)}/graphql`;
  return {
    url,
    server,
    apollo,
    async stop() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await apollo.stop();
    },
  };
}

export const startProducts = (port = 0) =>
  startTinySubgraph(
    productsServed,
    {
      Query: { topProducts: (_: unknown, { first }: { first: number }) => products.slice(0, first) },
      Product: { __resolveReference: (ref: { upc: string }) => products.find((p) => p.upc === ref.upc) },
    },
    port,
  );

export const startReviews = (port = 0) =>
  startTinySubgraph(
    `${reviewsV1}`,
    { Product: { reviews: (p: { upc: string }) => (p.upc === '1' ? [{ body: 'Love it!', stars: 5 }] : []) } },
    port,
  );

export const startInventory = (port = 0) =>
  startTinySubgraph(inventorySdl(' restockDays: Int'), { Product: { __resolveReference: (ref: { upc: string }) => ({ upc: ref.upc, stock: 7, restockDays: 2 }) } }, port);

export const adminToken = (viewer: Viewer = { role: 'admin', subject: 'ops-admin' }) => signUserToken(viewer, testConfig.jwtSecret);

export interface RegistryGateway {
  url: string;
  adminUrl: string;
  registry: SchemaRegistry;
  gateway: ApolloGateway;
  apollo: ApolloServer;
  pubsub: InProcessPubSub;
  /** Number of schema swaps the gateway made. */
  schemaUpdates(): number;
  stop(): Promise<void>;
}

/**
 * The wiring recommended for gateway/server.ts, in miniature: ApolloGateway fed by the registry's
 * SupergraphManager, the usage plugin on the Apollo Server, and the admin API mounted at
 * /admin/graphql of the same node:http server.
 */
export async function startRegistryGateway(
  database: Database,
  options: { pollIntervalMs?: number; seed?: Array<{ name: string; sdl: string; routingUrl: string }>; usageFlushIntervalMs?: number } = {},
): Promise<RegistryGateway> {
  const pubsub = new InProcessPubSub();
  const registry = await openSchemaRegistry({
    database,
    jwtSecret: testConfig.jwtSecret,
    production: false,
    pubsub,
    pollIntervalMs: options.pollIntervalMs ?? 2000,
    usageFlushIntervalMs: options.usageFlushIntervalMs ?? 5000,
    resolveUrl: (name, url) => resolveSubgraphUrl(name, url, {}),
  });
  const admin = adminDoor(registry.admin, testConfig.jwtSecret);
  if (options.seed) {
    const seeded = await registry.service.seed({ subgraphs: options.seed, author: 'test' });
    if (!seeded.ok) throw new Error(seeded.summary);
  }
  const { fetcher, close: closeFetcher } = createSubgraphFetcher(5000);
  const gateway = new ApolloGateway({
    supergraphSdl: registry.supergraphManager,
    buildService: ({ name, url }) =>
      new SubgraphDataSource({
        name,
        url: resolveSubgraphUrl(name, url ?? '', {}),
        fetcher,
        breaker: { failureThreshold: 1000, cooldownMs: 100 },
        retries: 1,
      }),
  });
  let updates = 0;
  gateway.onSchemaLoadOrUpdate(() => (updates += 1));
  const apollo = new ApolloServer({ gateway, plugins: [registry.usagePlugin()] });
  await apollo.start();
  const server = createServer((req, res) => {
    const path = pathOf(req);
    if (path === '/graphql') {
      serveGraphQL(apollo, req, res, async () => ({})).catch(() => {
        if (!res.headersSent) sendJson(res, 500, { errors: [{ message: 'Internal server error' }] });
      });
      return;
    }
    if (path === '/admin/graphql') return void admin(req, res);
    sendJson(res, 404, { error: 'not found' });
  });
  const base = await listen(server, 0);
  return {
    url: `${base}/graphql`,
    adminUrl: `${base}/admin/graphql`,
    registry,
    gateway,
    apollo,
    pubsub,
    schemaUpdates: () => updates,
    async stop() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      });
      await apollo.stop();
      await registry.close();
      await closeFetcher();
      await pubsub.close();
    },
  };
}

export async function post(url: string, query: string, variables: Record<string, unknown> = {}, headers: Record<string, string> = {}) {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await res.json()) as { data?: any; errors?: Array<{ message: string; extensions?: Record<string, any> }> };
  return { status: res.status, ...body };
}

/** Sends an admin API operation with an admin token (or the given one). */
export function admin(url: string, query: string, variables: Record<string, unknown> = {}, token: string | null = adminToken()) {
  return post(url, query, variables, token ? { authorization: `Bearer ${token}` } : {});
}

export async function waitFor<T>(what: string, probe: () => Promise<T | undefined | false>, timeoutMs = 10000, everyMs = 50): Promise<{ value: T; ms: number }> {
  const started = Date.now();
  for (;;) {
    const value = await probe();
    if (value) return { value, ms: Date.now() - started };
    if (Date.now() - started > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

export const RESULT_FIELDS = `
  ok outcome summary forced compositionErrors dangerousChanges operationsChecked
  changes { level type description coordinate operations { name clientName clientVersion source reasons } }
  breakingChanges { level type description coordinate operations { name clientName clientVersion source count reasons } }
  affectedOperations { name clientName clientVersion source signatureHash reasons }
  servedSdlMismatches { subgraph url differences }
  launch { id kind current forced rolledBackTo versions { subgraph versionId } }
  versions { id subgraph }
`;

/** What a command printed and how it exited. */
export interface CommandRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs one of node_modules/.bin's commands (`tsx`, `graphql-codegen`) as a real process, NODE_ENV=test. */
export function runCommand(bin: string, args: string[], options: { cwd?: string; env?: Record<string, string> } = {}): Promise<CommandRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(path.join(ROOT_DIR, 'node_modules', '.bin', bin), args, { cwd: options.cwd ?? ROOT_DIR, env: { ...process.env, NODE_ENV: 'test', ...options.env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c) => (stdout += c));
    child.stderr.on('data', (c) => (stderr += c));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}
