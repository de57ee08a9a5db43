import type { CityConfig } from '../shared/platform/config';
import { connectDatabase, databaseName, type Database } from '../shared/platform/db';
import { InProcessPubSub } from '../shared/platform/pubsub';
import { SUBGRAPH_NAMES, type SubgraphFactory, type SubgraphName } from '../shared/subgraph/subgraph-deps';
import type { SubgraphServer } from '../shared/subgraph/subgraph-server';
import { loadGatewayOptions } from '../gateway/config';
import { createGatewayServer } from '../gateway/server';
import type { BenchQuery, Caller } from './queries';

export type RoundTrips = Record<SubgraphName, number> & { total: number };

export interface RoundTripReport {
  /** Database commands per request of each benchmark query, by subgraph (steady state: second run). */
  perQuery: Record<string, RoundTrips>;
  /** The list query at several sizes: commands must not grow with the list. */
  listGrowth: Array<{ limit: number; items: number; roundTrips: RoundTrips }>;
  constant: boolean;
}

/**
 * Counts database round trips per operation. Subgraphs run in their own processes during the load
 * test, where their command counters cannot be read; so the whole graph is started once more here,
 * in-process, on the same seeded databases, and each query is sent once through a gateway over real
 * HTTP with every subgraph's `db.counter` reset before it.
 */
export async function countRoundTrips(
  uri: string,
  prefix: string,
  config: CityConfig,
  queries: BenchQuery[],
  token: (caller: Caller) => string | undefined,
  list: { query: string; sizes: number[] },
  /** Settings the benchmark gives every CityGraph gateway (BENCH_ENV in queries.ts: the deep case needs MAX_COST). */
  gatewayEnv: Record<string, string> = {},
): Promise<RoundTripReport> {
  const subgraphs = {} as Record<SubgraphName, { db: Database; server: SubgraphServer; url: string }>;
  for (const name of SUBGRAPH_NAMES) {
    const db = await connectDatabase({ uri, dbName: databaseName(prefix, name), timeoutMs: 10_000 });
    const { createSubgraph } = require(`../subgraphs/${name}/server`) as { createSubgraph: SubgraphFactory };
    const server = await createSubgraph({ db, config, pubsub: new InProcessPubSub(), clock: () => new Date() });
    subgraphs[name] = { db, server, url: `${await server.listen(0, '127.0.0.1')}/graphql` };
  }
  // The cache off: what is counted is the work one answer costs the subgraphs, not a replay.
  const gateway = await createGatewayServer({
    ...loadGatewayOptions({ NODE_ENV: 'production', JWT_SECRET: config.jwtSecret, INTERNAL_SECRET: config.internalSecret, SCHEMA_REGISTRY: 'off', RATE_LIMIT_MAX: '0', SUPERGRAPH_WATCH: 'off', ...gatewayEnv, RESPONSE_CACHE: 'off' }),
    port: 0,
    subgraphUrls: Object.fromEntries(SUBGRAPH_NAMES.map((n) => [n, subgraphs[n].url])),
  });
  const url = `${await gateway.listen(0, '127.0.0.1')}/graphql`;

  const run = async (query: string, operationName: string | undefined, variables: Record<string, unknown>, caller: Caller) => {
    for (const n of SUBGRAPH_NAMES) subgraphs[n].db.counter.reset();
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    const t = token(caller);
    if (t) headers.authorization = `Bearer ${t}`;
    const res = await fetch(url, { method: 'POST', headers, body: JSON.stringify({ query, operationName, variables }) });
    const body = (await res.json()) as { data?: Record<string, unknown>; errors?: unknown[] };
    if (body.errors?.length) throw new Error(`${operationName}: ${JSON.stringify(body.errors).slice(0, 500)}`);
    const counts = Object.fromEntries(SUBGRAPH_NAMES.map((n) => [n, subgraphs[n].db.counter.total])) as RoundTrips;
    counts.total = SUBGRAPH_NAMES.reduce((s, n) => s + counts[n], 0);
    return { counts, data: body.data };
  };

  try {
    const perQuery: Record<string, RoundTrips> = {};
    for (const q of queries) {
      await run(q.query, q.operationName, q.variables, q.caller);
      perQuery[q.id] = (await run(q.query, q.operationName, q.variables, q.caller)).counts;
    }
    const listGrowth: RoundTripReport['listGrowth'] = [];
    for (const limit of list.sizes) {
      await run(list.query, undefined, { limit }, 'admin');
      const { counts, data } = await run(list.query, undefined, { limit }, 'admin');
      const items = Object.values(data ?? {})[0];
      listGrowth.push({ limit, items: Array.isArray(items) ? items.length : 0, roundTrips: counts });
    }
    const constant = listGrowth.every((g) => g.roundTrips.total === listGrowth[0].roundTrips.total);
    return { perQuery, listGrowth, constant };
  } finally {
    await gateway.stop();
    for (const n of SUBGRAPH_NAMES) {
      await subgraphs[n].server.stop();
      await subgraphs[n].db.close();
    }
  }
}

