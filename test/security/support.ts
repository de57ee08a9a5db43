import { createServer, type Server } from 'node:http';
import http from 'node:http';
import { ApolloServer } from '@apollo/server';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { GraphQLError, parse } from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer } from 'ws';
import { InProcessPubSub } from '../../shared/platform/pubsub';
import { loadSecurityOptions } from '../../gateway/security';
import type { GatewayOptions } from '../../gateway/config';
import { createGatewayServer, type GatewayServer } from '../../gateway/server';
import { gatewayOptions } from '../support/gateway';
import { composeSubgraphs } from '../../gateway/supergraph/compose';
import { listen, serveGraphQL } from '../../shared/platform/http';

/*
 * A small city graph (two subgraphs) behind the real gateway, for the hostile cases.
 */

export const JWT_SECRET = 'security-test-jwt-secret-at-least-32-characters';

const placesSdl = `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.9", import: ["@key", "@listSize", "@cost"])
  type Community @key(fields: "code") {
    code: ID!
    name: String!
    neighbours(first: Int): [Community!]! @listSize(slicingArguments: ["first"], assumedSize: 6, requireOneSlicingArgument: false)
    strictNeighbours(first: Int): [Community!]! @listSize(slicingArguments: ["first"])
    residents: [Resident!]!
    twin: Community
  }
  type Resident { id: ID! name: String! phone: String @cost(weight: 3) }
  type Query {
    hello: String!
    communities(limit: Int): [Community!]!
    community(code: ID!): Community
    boom: String
    slow(ms: Int!): String
  }
  type Mutation { ping: String! forbidden: String }
  type Subscription { ticks(community: ID!, size: Int): Tick! }
  type Tick { n: Int! payload: String! community: Community! }
`;
const parkingSdl = `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.9", import: ["@key"])
  type Community @key(fields: "code") { code: ID! lots: [Lot!]! }
  type Lot { id: ID! name: String! freeSpaces: Int! }
`;

const COMMUNITIES = [
  { code: '440303003001', name: '水贝' },
  { code: '440303003002', name: '布心' },
  { code: '440303003003', name: '翠竹' },
];

async function startSubgraph(sdl: string, resolvers: any): Promise<{ url: string; server: Server; apollo: ApolloServer; stopWs: () => Promise<void> }> {
  const schema = buildSubgraphSchema({ typeDefs: parse(sdl), resolvers });
  const apollo = new ApolloServer({ schema });
  await apollo.start();
  const server = createServer((req, res) => void serveGraphQL(apollo, req, res, async () => ({})));
  // Subscriptions reach the subgraph over graphql-ws, as the gateway's hub speaks it.
  const wss = new WebSocketServer({ server, path: '/graphql' });
  const ws = useServer({ schema }, wss);
  const url = await listen(server, 0);
  return { url: `${url}/graphql`, server, apollo, stopWs: async () => void (await ws.dispose(), wss.close()) };
}

export interface Subgraphs {
  supergraphSdl: string;
  /** Sends `count` ticks to the subscribers of `community` (each tick's payload `size` characters, default 10). */
  tick(community: string, count?: number): void;
  /** Subscriptions the places subgraph holds open. */
  openTicks(): number;
  stop(): Promise<void>;
}

export async function startSubgraphs(): Promise<Subgraphs> {
  const ticks = new InProcessPubSub();
  let open = 0;
  let sent = 0;
  const places = await startSubgraph(placesSdl, {
    Subscription: {
      ticks: {
        subscribe: (_: unknown, { community }: { community: string }) => {
          open += 1;
          const it = ticks.subscribe(`ticks:${community}`);
          const original = it.return!.bind(it);
          it.return = () => {
            open -= 1;
            return original();
          };
          return it;
        },
        resolve: (n: number, { community, size }: { community: string; size?: number }) => ({ n, payload: 'x'.repeat(size ?? 10), community: { code: community } }),
      },
    },
    Query: {
      hello: () => 'world',
      communities: (_: unknown, { limit }: { limit?: number }) => COMMUNITIES.slice(0, limit ?? COMMUNITIES.length),
      community: (_: unknown, { code }: { code: string }) => COMMUNITIES.find((c) => c.code === code) ?? null,
      slow: (_: unknown, { ms }: { ms: number }) => new Promise((r) => setTimeout(() => r('done'), Math.min(ms, 5000))),
      boom: () => {
        throw new Error('connect ECONNREFUSED 10.0.0.7:27017 (mongodb://admin:hunter2@db)');
      },
    },
    Mutation: {
      ping: () => 'pong',
      forbidden: () => {
        throw new GraphQLError('Only admins can do this', { extensions: { code: 'FORBIDDEN' } });
      },
    },
    Community: {
      __resolveReference: (ref: { code: string }) => COMMUNITIES.find((c) => c.code === ref.code),
      neighbours: (c: { code: string }, { first }: { first?: number }) =>
        COMMUNITIES.filter((o) => o.code !== c.code).slice(0, first ?? 6),
      residents: () => [{ id: 'R-1', name: '李晓明', phone: '13812345678' }],
      twin: (c: { code: string }) => COMMUNITIES[(COMMUNITIES.findIndex((o) => o.code === c.code) + 1) % COMMUNITIES.length],
    },
  });
  const parking = await startSubgraph(parkingSdl, {
    Community: { lots: (c: { code: string }) => [{ id: `L-${c.code}`, name: '错峰停车场', freeSpaces: 12 }] },
  });
  const composed = composeSubgraphs([
    { name: 'places', url: places.url, sdl: placesSdl },
    { name: 'parking', url: parking.url, sdl: parkingSdl },
  ]);
  if (!composed.supergraphSdl) throw new Error(`composition failed: ${composed.errors.join('\n')}`);
  return {
    supergraphSdl: composed.supergraphSdl,
    tick(community, count = 1) {
      for (let i = 0; i < count; i++) void ticks.publish(`ticks:${community}`, ++sent);
    },
    openTicks: () => open,
    async stop() {
      for (const s of [places, parking]) {
        await s.stopWs();
        s.server.close();
        s.server.closeAllConnections();
        await s.apollo.stop();
      }
    },
  };
}

export interface SecuredGateway {
  url: string;
  server: GatewayServer;
  post(body: unknown, headers?: Record<string, string>): Promise<{ status: number; headers: Headers; body: any }>;
  stop(): Promise<void>;
}

export interface GatewaySetup {
  /** Security variables (MAX_DEPTH, BATCH_MAX, TRUSTED_OPERATIONS, ...). */
  env?: NodeJS.ProcessEnv;
  production?: boolean;
  introspection?: boolean;
  bodyLimitBytes?: number;
  redisUrl?: string;
  /** Any other gateway option. */
  overrides?: Partial<GatewayOptions>;
}

export const CITY_AUTH = { jwtSecret: JWT_SECRET, internalSecret: 'security-test-internal-secret-at-least-32-chars' };

/** Starts the real gateway (createGatewayServer) over `supergraphSdl` with these security settings, on port 0. */
export async function startSecuredGateway(supergraphSdl: string, setup: GatewaySetup = {}): Promise<SecuredGateway> {
  const production = setup.production ?? false;
  const introspection = setup.introspection ?? !production;
  const bodyLimitBytes = setup.bodyLimitBytes ?? 1024 * 1024;
  const server = await createGatewayServer(
    gatewayOptions({
      supergraph: { kind: 'sdl', sdl: supergraphSdl },
      cityAuth: CITY_AUTH,
      production,
      introspection,
      bodyLimitBytes,
      redisUrl: setup.redisUrl,
      dashboard: false,
      security: loadSecurityOptions(setup.env ?? {}, { production, introspection, bodyLimitBytes }),
      ...setup.overrides,
    }),
  );
  const url = await server.listen(0);
  return {
    url,
    server,
    async post(body, headers = {}) {
      const res = await fetch(`${url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: typeof body === 'string' ? body : JSON.stringify(body),
      });
      const text = await res.text();
      let parsed: unknown = text;
      try {
        parsed = JSON.parse(text);
      } catch {
        // not JSON: kept as text
      }
      return { status: res.status, headers: res.headers, body: parsed };
    },
    stop: () => server.stop(),
  };
}

/** `{ community(code: ...) { twin { twin { ... { name } } } } }`, `depth` fields deep (depth >= 2). */
export function deepQuery(depth: number): string {
  let inner = 'name';
  for (let i = 0; i < depth - 2; i++) inner = `twin { ${inner} }`;
  return `{ community(code: "440303003001") { ${inner} } }`;
}

export function aliasQuery(count: number, field = 'hello'): string {
  return `{ ${Array.from({ length: count }, (_, i) => `a${i}: ${field}`).join(' ')} }`;
}

export const NORMAL_QUERY = '{ communities(limit: 2) { code name lots { name freeSpaces } } }';

/** Asserts the gateway still answers a normal query. */
export async function expectHealthy(gw: SecuredGateway, headers: Record<string, string> = {}): Promise<void> {
  const res = await gw.post({ query: NORMAL_QUERY }, headers);
  expect(res.status).toBe(200);
  expect(res.body.errors).toBeUndefined();
  expect(res.body.data.communities).toHaveLength(2);
  expect(res.body.data.communities[0].lots[0].freeSpaces).toBe(12);
  expect((await fetch(`${gw.url}/health`)).status).toBe(200);
}

/**
 * Sends `count` POSTs of `body` as fast as one client can, over `sockets` keep-alive connections
 * (as a real flooding client would; 1000 fresh connections at once would mostly measure the
 * kernel's accept backlog). Resolves with every status and the first refusal seen.
 */
export async function flood(
  url: string,
  count: number,
  body: unknown,
  headers: Record<string, string> = {},
  sockets = 100,
): Promise<{ statuses: number[]; refusal?: { status: number; headers: http.IncomingHttpHeaders; body: any } }> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: sockets });
  const payload = JSON.stringify(body);
  let refusal: { status: number; headers: http.IncomingHttpHeaders; body: any } | undefined;
  const one = () =>
    new Promise<number>((resolve, reject) => {
      const req = http.request(
        `${url}/graphql`,
        { method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload), ...headers } },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            if (res.statusCode !== 200 && !refusal) {
              refusal = { status: res.statusCode!, headers: res.headers, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) };
            }
            resolve(res.statusCode!);
          });
        },
      );
      req.on('error', reject);
      req.end(payload);
    });
  try {
    const statuses = await Promise.all(Array.from({ length: count }, one));
    return { statuses, refusal };
  } finally {
    agent.destroy();
  }
}
