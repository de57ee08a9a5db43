import { readFileSync } from 'node:fs';
import path from 'node:path';
import { signUserToken, type Viewer } from '../../shared/platform/auth';
import { connectDatabase, databaseName, type Database } from '../../shared/platform/db';
import { InProcessPubSub, type PubSub } from '../../shared/platform/pubsub';
import { ROOT_DIR } from '../../shared/platform/schema';
import { loadSeed } from '../../shared/dev/seed-runner';
import { SUBGRAPH_NAMES, type SubgraphFactory, type SubgraphName } from '../../shared/subgraph/subgraph-deps';
import type { SubgraphServer } from '../../shared/subgraph/subgraph-server';
import type { GatewayOptions } from '../../gateway/config';
import { gatewayOptions } from './gateway';
import { createGatewayServer, type GatewayServer } from '../../gateway/server';
import { testPrefix } from './db';
import { testConfig, type GraphQLResponse } from './subgraph';

export interface RunningGraph {
  gatewayUrl: string;
  gateway: GatewayServer;
  subgraphs: Record<SubgraphName, { url: string; db: Database; server: SubgraphServer; pubsub: PubSub }>;
  /**
   * Another gateway over the same subgraphs (the caller stops it), with options overridden: a
   * second replica, another supergraph source, other limits.
   */
  startGateway(overrides?: Partial<GatewayOptions>): Promise<{ server: GatewayServer; url: string }>;
  /** A bearer token for `viewer`, signed with the test configuration's secret. */
  token(viewer: Viewer): string;
  /** Sends an operation to the gateway over HTTP, with a bearer token when given. */
  query<T = any>(query: string, variables?: Record<string, unknown>, token?: string, operationName?: string): Promise<GraphQLResponse<T>>;
  stop(): Promise<void>;
}

/**
 * The whole graph in-process: the four subgraphs on free ports, each with its own fresh (seeded)
 * database on the test run's FerretDB, and the gateway serving the committed supergraph with
 * routing URLs pointed at them. All traffic is real HTTP.
 */
export async function startGraph(
  options: {
    seed?: boolean;
    now?: Date;
    pubsub?: (name: SubgraphName) => PubSub;
    /** Another MongoDB server for some subgraphs (a FerretDB a test stops and starts); the test run's otherwise. */
    databaseUri?: Partial<Record<SubgraphName, string>>;
    /** The clock every subgraph reads (a test moves it to either side of a time rule); the real time otherwise. */
    clock?: () => Date;
    /** Secrets other than the test configuration's (a production gateway refuses the development ones). */
    secrets?: { jwtSecret: string; internalSecret: string };
  } = {},
): Promise<RunningGraph> {
  const uri = process.env.TEST_MONGODB_URI!;
  const prefix = testPrefix('graph');
  const now = options.now ?? new Date();
  const subgraphs = {} as RunningGraph['subgraphs'];
  // One configuration for the graph's subgraphs, its URLs filled in as each listens, so their
  // reference checks ask each other (read at call time, after every subgraph is up).
  const config = { ...testConfig, ...options.secrets, subgraphUrls: {} as typeof testConfig.subgraphUrls };
  await Promise.all(
    SUBGRAPH_NAMES.map(async (name) => {
      const db = await connectDatabase({ uri: options.databaseUri?.[name] ?? uri, dbName: databaseName(prefix, name), timeoutMs: 5000 });
      const { createSubgraph } = require(`../../subgraphs/${name}/server`) as { createSubgraph: SubgraphFactory };
      const pubsub = options.pubsub?.(name) ?? new InProcessPubSub();
      const server = await createSubgraph({ db, config, pubsub, clock: options.clock ?? (() => new Date()) });
      if (options.seed !== false) await (await loadSeed(name))(db, { now });
      const url = `${await server.listen(0)}/graphql`;
      subgraphs[name] = { url, db, server, pubsub };
      config.subgraphUrls[name] = url;
    }),
  );
  const startGateway: RunningGraph['startGateway'] = async (overrides = {}) => {
    const server = await createGatewayServer(
      gatewayOptions({
        supergraph: { kind: 'sdl', sdl: readFileSync(path.join(ROOT_DIR, 'schema', 'supergraph.graphql'), 'utf8') },
        subgraphUrls: Object.fromEntries(SUBGRAPH_NAMES.map((n) => [n, subgraphs[n].url])),
        subgraphTimeoutMs: 10000,
        cityAuth: { jwtSecret: config.jwtSecret, internalSecret: config.internalSecret },
        subscriptions: { maxPerClient: 200, maxTotal: 1000, maxQueue: 100 },
        dashboard: true,
        ...overrides,
      }),
    );
    return { server, url: `${await server.listen(0)}/graphql` };
  };
  const { server: gateway, url: gatewayUrl } = await startGateway();
  return {
    gatewayUrl,
    gateway,
    subgraphs,
    startGateway,
    token: (viewer) => signUserToken(viewer, config.jwtSecret),
    async query(query, variables = {}, token, operationName) {
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      if (token) headers.authorization = `Bearer ${token}`;
      const res = await fetch(gatewayUrl, { method: 'POST', headers, body: JSON.stringify({ query, variables, operationName }) });
      const body = (await res.json()) as GraphQLResponse;
      return { status: res.status, data: body.data, errors: body.errors };
    },
    async stop() {
      await gateway.stop();
      await Promise.all(
        SUBGRAPH_NAMES.map(async (name) => {
          const s = subgraphs[name];
          await s.server.stop();
          await s.pubsub.close();
          await s.db.conn.dropDatabase().catch(() => {});
          await s.db.close();
        }),
      );
    },
  };
}
