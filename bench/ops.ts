/**
 * `npm run bench:ops`: where the time of each benchmark query goes, one request at a time. The whole
 * graph runs in this process (gateway with the response cache off, four subgraphs) on the embedded
 * database, so every database command the query causes is seen through the driver's command
 * monitoring: how many, of which shape (the filter with its values replaced by their types), and
 * how long each took. Prints per query the end-to-end p50/p90, the commands per request and the
 * slowest shapes; a database kept in `--data` is seeded once and reused by later runs.
 *
 *   npm run bench:ops -- --scale 10 --data /tmp/citygraph-ops-10 --runs 30
 *
 * One process for everything: the subgraphs share one CPU here, unlike `npm run bench` (a process
 * each), so read its latencies against each other (before/after a change), and read
 * `npm run bench` for the figures of a deployment.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { mongo } from 'mongoose';
import { loadGatewayOptions } from '../gateway/config';
import { createGatewayServer } from '../gateway/server';
import { signUserToken, type Viewer } from '../shared/platform/auth';
import { runCli } from '../shared/platform/cli';
import { loadCityConfig } from '../shared/platform/config';
import { connectDatabase, databaseName, type Database } from '../shared/platform/db';
import { DEMO_RESIDENT_ID } from '../shared/dev/demo';
import { startFerret } from '../shared/dev/ferret';
import { InProcessPubSub } from '../shared/platform/pubsub';
import { seedAll } from '../shared/dev/seed-runner';
import { SUBGRAPH_NAMES, type SubgraphFactory, type SubgraphName } from '../shared/subgraph/subgraph-deps';
import type { SubgraphServer } from '../shared/subgraph/subgraph-server';
import { BENCH_ENV, QUERIES, type Caller } from './queries';

const cli = runCli('npm run bench:ops --', {
  summary: 'Per benchmark query, one request at a time: end-to-end p50/p90, database commands per request and their durations by shape.',
  flags: {
    scale: { type: 'string', value: 'N', description: "N times the demo's data (default 1)" },
    runs: { type: 'string', value: 'n', description: 'measured requests per query (default 20, after 3 warm-up requests)' },
    queries: { type: 'string', value: 'ids', description: `which queries (default all: ${QUERIES.map((q) => q.id).join(',')})` },
    data: { type: 'string', value: 'dir', description: 'keep the database there and seed it only once (default: a temporary folder)' },
    json: { type: 'string', value: 'file', description: 'also write the figures there as JSON' },
  },
  examples: ['npm run bench:ops', 'npm run bench:ops -- --scale 10 --data /tmp/citygraph-ops-10 --queries nearby,list100'],
});

const SECRETS = { JWT_SECRET: 'citygraph-benchmark-jwt-secret-0123456789abcdef', INTERNAL_SECRET: 'citygraph-benchmark-internal-secret-0123456789ab' };
const VIEWERS: Record<Caller, Viewer> = {
  anonymous: { role: 'anonymous' },
  resident: { role: 'resident', subject: DEMO_RESIDENT_ID, residentId: DEMO_RESIDENT_ID },
  admin: { role: 'admin', subject: 'bench-admin' },
};

/** The filter with every value replaced by its type, so one code path is one shape. */
function shapeOf(value: unknown): unknown {
  if (Array.isArray(value)) return value.length ? [shapeOf(value[0])] : [];
  if (value instanceof Date) return 'Date';
  if (value && typeof value === 'object' && !('_bsontype' in value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, shapeOf(v)]));
  return (value as { _bsontype?: string })?._bsontype ?? typeof value;
}

function commandShape(subgraph: string, cmd: mongo.Document, name: string): string {
  const filter =
    cmd.filter ?? cmd.query ?? cmd.pipeline?.[0]?.$match ?? cmd.updates?.[0]?.q ?? cmd.deletes?.[0]?.q ?? (name === 'insert' ? undefined : {});
  const sort = cmd.sort && Object.keys(cmd.sort).length ? ` sort ${JSON.stringify(cmd.sort)}` : '';
  return `${subgraph} ${String(cmd[name])}.${name}${filter ? ` ${JSON.stringify(shapeOf(filter))}` : ''}${sort}`;
}

const pct = (sorted: number[], p: number) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] : 0);
const ms = (n: number) => Math.round(n * 10) / 10;

async function main() {
  const scale = cli.number('scale', 1, { integer: true, min: 1, max: 1000 });
  const runs = cli.number('runs', 20, { integer: true, min: 1 });
  const ids = cli.list('queries', QUERIES.map((q) => q.id), QUERIES.map((q) => q.id));
  const keep = cli.string('data');
  process.env.APOLLO_TELEMETRY_DISABLED = '1';
  const dataDir = keep ? path.resolve(keep) : mkdtempSync(path.join(os.tmpdir(), 'citygraph-ops-'));
  mkdirSync(dataDir, { recursive: true });
  const marker = path.join(dataDir, `seeded-scale-${scale}`);
  const ferret = await startFerret(path.join(dataDir, 'ferretdb'), 0);
  const prefix = 'bench';
  const subgraphs = {} as Record<SubgraphName, { db: Database; server: SubgraphServer; url: string }>;
  let gateway: Awaited<ReturnType<typeof createGatewayServer>> | undefined;
  try {
    if (!existsSync(marker)) {
      const t0 = Date.now();
      console.log(`seeding at scale ${scale} on FerretDB (${ferret.backend})…`);
      await seedAll(ferret.uri, prefix, undefined, new Date(), scale);
      writeFileSync(marker, new Date().toISOString());
      console.log(`seeded in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    }
    const config = loadCityConfig({ ...SECRETS, NODE_ENV: 'production', MONGODB_URI: ferret.uri, MONGODB_DB_PREFIX: prefix });
    /** Commands of the request under way: its shape and duration, by the driver's request id. */
    const started = new Map<number, string>();
    let current: Array<{ shape: string; ms: number }> | undefined;
    for (const name of SUBGRAPH_NAMES) {
      const db = await connectDatabase({ uri: ferret.uri, dbName: databaseName(prefix, name), timeoutMs: 10_000 });
      const client = db.conn.getClient();
      client.on('commandStarted', (e: mongo.CommandStartedEvent) => {
        if (['find', 'aggregate', 'count', 'distinct', 'insert', 'update', 'delete', 'findAndModify', 'getMore'].includes(e.commandName)) {
          started.set(e.requestId, commandShape(name, e.command, e.commandName));
        }
      });
      client.on('commandSucceeded', (e: mongo.CommandSucceededEvent) => {
        const shape = started.get(e.requestId);
        if (shape === undefined) return;
        started.delete(e.requestId);
        current?.push({ shape, ms: e.duration });
      });
      const { createSubgraph } = require(`../subgraphs/${name}/server`) as { createSubgraph: SubgraphFactory };
      const server = await createSubgraph({ db, config, pubsub: new InProcessPubSub(), clock: () => new Date() });
      subgraphs[name] = { db, server, url: `${await server.listen(0, '127.0.0.1')}/graphql` };
    }
    gateway = await createGatewayServer({
      ...loadGatewayOptions({ ...SECRETS, ...BENCH_ENV, NODE_ENV: 'production', SCHEMA_REGISTRY: 'off', SUPERGRAPH_WATCH: 'off', RESPONSE_CACHE: 'off', LOG_LEVEL: 'warn' }),
      port: 0,
      subgraphUrls: Object.fromEntries(SUBGRAPH_NAMES.map((n) => [n, subgraphs[n].url])),
    });
    const url = `${await gateway.listen(0, '127.0.0.1')}/graphql`;
    const report: Record<string, unknown> = {};
    console.log(`scale ${scale}, ${runs} runs per query, load average ${os.loadavg().map((l) => l.toFixed(2)).join(' / ')}`);
    for (const q of QUERIES.filter((x) => ids.includes(x.id))) {
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      if (q.caller !== 'anonymous') headers.authorization = `Bearer ${signUserToken(VIEWERS[q.caller], SECRETS.JWT_SECRET)}`;
      const body = JSON.stringify({ query: q.query, operationName: q.operationName, variables: q.variables });
      const times: number[] = [];
      const perShape = new Map<string, number[]>();
      let commands = 0;
      for (let i = 0; i < runs + 3; i += 1) {
        current = [];
        const t0 = performance.now();
        const res = await fetch(url, { method: 'POST', headers, body });
        const json = (await res.json()) as { errors?: unknown[] };
        const took = performance.now() - t0;
        if (json.errors?.length) throw new Error(`${q.id}: ${JSON.stringify(json.errors).slice(0, 400)}`);
        if (i < 3) continue;
        times.push(took);
        commands = current.length;
        for (const c of current) perShape.set(c.shape, [...(perShape.get(c.shape) ?? []), c.ms]);
      }
      current = undefined;
      times.sort((a, b) => a - b);
      const shapes = [...perShape]
        .map(([shape, d]) => ({ shape, perRequest: d.length / runs, avgMs: ms(d.reduce((s, x) => s + x, 0) / d.length), maxMs: ms(Math.max(...d)) }))
        .sort((a, b) => b.avgMs * b.perRequest - a.avgMs * a.perRequest);
      report[q.id] = { p50Ms: ms(pct(times, 0.5)), p90Ms: ms(pct(times, 0.9)), commands, shapes };
      console.log(`\n${q.title}: p50 ${ms(pct(times, 0.5))} ms, p90 ${ms(pct(times, 0.9))} ms, ${commands} commands`);
      for (const s of shapes.slice(0, 8)) console.log(`  ${String(s.perRequest).padStart(4)} × ${String(s.avgMs).padStart(6)} ms (max ${s.maxMs})  ${s.shape}`);
    }
    const json = cli.string('json');
    if (json) writeFileSync(json, JSON.stringify({ scale, runs, loadAverage: os.loadavg(), at: new Date().toISOString(), report }, null, 2));
  } finally {
    await gateway?.stop();
    for (const n of SUBGRAPH_NAMES) {
      await subgraphs[n]?.server.stop();
      await subgraphs[n]?.db.close();
    }
    await ferret.stop();
    if (!keep) rmSync(dataDir, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
