/**
 * `npm run bench`: CityGraph's gateway against a plain Apollo Gateway (the baseline), Hive Gateway
 * and a direct call to a subgraph (the floor), on the same four subgraphs, the same seeded database
 * and the same machine. See BENCHMARKS.md for the method and the latest figures.
 *
 *   npm run bench                                   # everything, defaults (8 s per case after 2 s of warm-up; 8 connections end to end, 32 gateway only)
 *   npm run bench -- --quick                        # 1 s warm-up, 4 s per case
 *   npm run bench -- --gateways citygraph,baseline --queries dashboard,mycity
 *   npm run bench -- --gateways citygraph --env SUBGRAPH_FETCHER=default --label fetcher-default
 *   npm run bench -- --gateways citygraph --cpu-prof bench/results/profiles
 *
 * `npm run bench -- --help` lists the flags; `--scale N` seeds N times the demo's data (FERRETDB_BACKEND picks the embedded database's backend).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import { signUserToken, signViewer, type Viewer } from '../shared/platform/auth';
import { runCli, type CliArgs, type CommandSpec } from '../shared/platform/cli';
import { loadCityConfig } from '../shared/platform/config';
import { DEMO_RESIDENT_ID } from '../shared/dev/demo';
import { freePort, startFerret } from '../shared/dev/ferret';
import { ROOT_DIR } from '../shared/platform/schema';
import { seedAll } from '../shared/dev/seed-runner';
import { SUBGRAPH_NAMES, type SubgraphName } from '../shared/subgraph/subgraph-deps';
import { cpuSeconds, loadAverage, sampleRss, startNode, tail, waitUntil, type Child } from './procs';
import { QUERIES, requestListQuery, type BenchQuery, type Caller } from './queries';
import { countRoundTrips, type RoundTripReport } from './roundtrips';
import { demoteSubgraphEnforcedFeatures } from '../gateway/supergraph/security-features';

// ---------------------------------------------------------------------------------------------
// Flags

interface Flags {
  duration: number;
  warmup: number;
  connections: number;
  liveConnections: number;
  gateways: string[];
  queries: string[];
  env: Record<string, string>;
  label: string;
  cpuProf?: string;
  roundTrips: boolean;
  skipHiveInstall: boolean;
  modes: string[];
  gatewaysGiven: boolean;
  /** Seed N times the demo's data (`npm run seed -- --scale N`). */
  scale: number;
}

const ALL_GATEWAYS = ['citygraph', 'citygraph-nocache', 'citygraph-2w', 'baseline', 'hive', 'floor'];

const SPEC: CommandSpec = {
  summary:
    "CityGraph's gateway against a plain Apollo Gateway (the baseline), Hive Gateway and a direct call to a subgraph\n(the floor), on the same subgraphs, seeded database and machine; writes bench/results/<label>.{json,md}.",
  flags: {
    duration: { type: 'string', value: 's', description: 'seconds measured per case (default 8)' },
    warmup: { type: 'string', value: 's', description: 'seconds of warm-up per case (default 2)' },
    quick: { type: 'boolean', description: '1 s warm-up, 4 s per case (unless --duration / --warmup say otherwise)' },
    connections: { type: 'string', value: 'n', description: 'connections, gateway only (default 32)' },
    'live-connections': { type: 'string', value: 'n', description: 'connections, end to end (default 8)' },
    modes: { type: 'string', value: 'live,replay', description: 'live subgraphs, replayed subgraphs, or both (default)' },
    gateways: { type: 'string', value: 'ids', description: `which gateways (default all: ${ALL_GATEWAYS.join(',')})` },
    queries: { type: 'string', value: 'ids', description: `which queries (default all: ${QUERIES.map((q) => q.id).join(',')})` },
    env: { type: 'string', value: 'KEY=VALUE', multiple: true, description: "a variable for CityGraph's gateway only" },
    label: { type: 'string', value: 'name', description: 'results file name (default latest)' },
    'cpu-prof': { type: 'string', value: 'dir', description: "write CityGraph's CPU profiles there" },
    'no-roundtrips': { type: 'boolean', description: 'skip counting database round trips' },
    'skip-hive-install': { type: 'boolean', description: 'fail instead of installing Hive Gateway into bench/hive' },
    scale: { type: 'string', value: 'N', description: "seed N times the demo's data (default 1)" },
  },
  examples: [
    'npm run bench',
    'npm run bench -- --quick',
    'npm run bench -- --gateways citygraph,baseline --queries dashboard,mycity',
    'npm run bench -- --gateways citygraph --env SUBGRAPH_FETCHER=default --label fetcher-default',
  ],
  notes: 'See BENCHMARKS.md for the method and the latest figures.',
};

function parseFlags(argv: string[]): Flags {
  const cli: CliArgs = runCli('npm run bench --', SPEC, argv);
  const quick = cli.flag('quick');
  const env: Record<string, string> = {};
  for (const kv of cli.strings('env')) {
    const eq = kv.indexOf('=');
    if (eq < 1) cli.fail(`--env needs KEY=VALUE, got "${kv}"`);
    env[kv.slice(0, eq)] = kv.slice(eq + 1);
  }
  const cpuProf = cli.string('cpu-prof');
  return {
    duration: cli.number('duration', quick ? 4 : 8, { above: 0 }),
    warmup: cli.number('warmup', quick ? 1 : 2, { min: 0 }),
    connections: cli.number('connections', 32, { integer: true, min: 1 }),
    liveConnections: cli.number('live-connections', 8, { integer: true, min: 1 }),
    gateways: cli.list('gateways', ALL_GATEWAYS, ALL_GATEWAYS),
    gatewaysGiven: cli.has('gateways'),
    modes: cli.list('modes', ['live', 'replay'], ['live', 'replay']),
    queries: cli.list('queries', QUERIES.map((q) => q.id), QUERIES.map((q) => q.id)),
    env,
    label: cli.string('label') ?? 'latest',
    cpuProf: cpuProf ? path.resolve(cpuProf) : undefined,
    roundTrips: !cli.flag('no-roundtrips'),
    skipHiveInstall: cli.flag('skip-hive-install'),
    scale: cli.number('scale', 1, { integer: true, min: 1 }),
  };
}

// ---------------------------------------------------------------------------------------------
// Targets

const COMMITTED_SUPERGRAPH = path.join(ROOT_DIR, 'schema', 'supergraph.graphql');
/** The committed supergraph with @authenticated/@requiresScopes demoted, as CityGraph serves it (Apollo Gateway refuses SECURITY features). */
let SUPERGRAPH = COMMITTED_SUPERGRAPH;
const HIVE_DIR = path.join(ROOT_DIR, 'bench', 'hive');
const HIVE_BIN = path.join(HIVE_DIR, 'node_modules', '@graphql-hive', 'gateway', 'dist', 'bin.js');
const SECRETS = {
  JWT_SECRET: 'citygraph-benchmark-jwt-secret-0123456789abcdef',
  INTERNAL_SECRET: 'citygraph-benchmark-internal-secret-0123456789ab',
};

interface Running {
  child: Child;
  url: string;
}

interface Target {
  id: string;
  title: string;
  /** Starts the gateway process (none for the floor). */
  start?(port: number): Promise<Running>;
  /** The URL and headers of a request for `q` (the floor calls the subgraph directly). */
  request(q: BenchQuery, running?: Running): { url: string; headers: Record<string, string> } | undefined;
}

const VIEWERS: Record<Caller, Viewer> = {
  anonymous: { role: 'anonymous' },
  resident: { role: 'resident', subject: DEMO_RESIDENT_ID, residentId: DEMO_RESIDENT_ID },
  admin: { role: 'admin', subject: 'bench-admin' },
};
const bearer = (caller: Caller): string | undefined => (caller === 'anonymous' ? undefined : signUserToken(VIEWERS[caller], SECRETS.JWT_SECRET));

// ---------------------------------------------------------------------------------------------
// Load

interface CaseResult {
  rps: number;
  p50Ms: number;
  p99Ms: number;
  errors: number;
  peakRssMb: number | null;
  ratioToBaseline: number | null;
  ratioToFloor: number | null;
  /** Gateway CPU per request (ms, all its processes): what the gateway itself costs. */
  cpuMsPerRequest: number | null;
  requests: number;
  dataMatches: boolean;
}

function canonical(value: unknown): string {
  return JSON.stringify(value, (_k, v) => (v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => a.localeCompare(b))) : v));
}

async function once(url: string, headers: Record<string, string>, body: string): Promise<{ data?: unknown; errors?: unknown[] }> {
  const res = await fetch(url, { method: 'POST', headers, body });
  const text = await res.text();
  try {
    return JSON.parse(text);
  } catch {
    return { errors: [`HTTP ${res.status}: ${text.slice(0, 200)}`] };
  }
}

function load(url: string, headers: Record<string, string>, body: string, seconds: number, connections: number): Promise<autocannon.Result> {
  return new Promise((resolve, reject) => {
    autocannon(
      {
        url,
        method: 'POST',
        headers,
        body,
        connections,
        duration: seconds,
        // A GraphQL error in a 200 response counts as an error too.
        verifyBody: (b: string) => !b.includes('"errors"'),
      } as autocannon.Options,
      (err, result) => (err ? reject(err) : resolve(result)),
    );
  });
}

// ---------------------------------------------------------------------------------------------

const round = (n: number, digits = 1) => Math.round(n * 10 ** digits) / 10 ** digits;

async function main(): Promise<void> {
  const flags = parseFlags(process.argv.slice(2));
  process.env.APOLLO_TELEMETRY_DISABLED = '1';
  const startedAt = Date.now();
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'citygraph-bench-'));
  const logDir = path.join(tmp, 'logs');
  mkdirSync(logDir, { recursive: true });
  const children: Child[] = [];
  let stopFerret: (() => Promise<void>) | undefined;
  const cleanup = async () => {
    await Promise.all(children.map((c) => c.stop()));
    await stopFerret?.();
    rmSync(tmp, { recursive: true, force: true });
  };
  process.once('SIGINT', () => void cleanup().then(() => process.exit(130)));

  try {
    const queries = QUERIES.filter((q) => flags.queries.includes(q.id));
    const log = (line: string) => console.log(`[${((Date.now() - startedAt) / 1000).toFixed(0).padStart(3)} s] ${line}`);

    if (flags.gateways.includes('hive') && !existsSync(HIVE_BIN)) {
      if (flags.skipHiveInstall) throw new Error('Hive Gateway is not installed (bench/hive) and --skip-hive-install was given');
      log('Installing Hive Gateway into bench/hive (npm ci, first run only)…');
      const r = spawnSync('npm', ['ci', '--prefix', HIVE_DIR, '--no-audit', '--no-fund', '--loglevel=error'], { stdio: 'inherit' });
      if (r.status !== 0) throw new Error('npm ci --prefix bench/hive failed');
    }

    SUPERGRAPH = path.join(tmp, 'supergraph.graphql');
    writeFileSync(SUPERGRAPH, demoteSubgraphEnforcedFeatures(readFileSync(COMMITTED_SUPERGRAPH, 'utf8')));

    // Database and seed
    const ferret = await startFerret(path.join(tmp, 'ferretdb'), 0);
    stopFerret = ferret.stop;
    const prefix = 'bench';
    log(`FerretDB (${ferret.backend}) on ${ferret.uri}; seeding at scale ${flags.scale}…`);
    await seedAll(ferret.uri, prefix, undefined, new Date(), flags.scale);

    // Subgraphs, once, as processes
    const ports = {} as Record<SubgraphName, number>;
    for (const name of SUBGRAPH_NAMES) ports[name] = await freePort();
    const subgraphUrl = (n: SubgraphName) => `http://127.0.0.1:${ports[n]}/graphql`;
    const subgraphEnv: NodeJS.ProcessEnv = {
      NODE_ENV: 'production',
      ...SECRETS,
      MONGODB_URI: ferret.uri,
      MONGODB_DB_PREFIX: prefix,
      LOG_LEVEL: 'warn',
      ...Object.fromEntries(SUBGRAPH_NAMES.map((n) => [`${n.toUpperCase()}_PORT`, String(ports[n])])),
    };
    for (const name of SUBGRAPH_NAMES) {
      children.push(startNode(name, ['--import', 'tsx', path.join(ROOT_DIR, 'subgraphs', name, 'index.ts')], subgraphEnv, logDir, ROOT_DIR));
    }
    await Promise.all(
      SUBGRAPH_NAMES.map((n, i) => waitUntil(`${n} subgraph`, async () => (await fetch(`http://127.0.0.1:${ports[n]}/health`)).ok, children[i])),
    );
    log(`subgraphs up: ${SUBGRAPH_NAMES.map((n) => `${n}:${ports[n]}`).join(' ')}`);

    // Database round trips per operation (in-process graph on the same databases)
    let roundTrips: RoundTripReport | undefined;
    if (flags.roundTrips) {
      const config = loadCityConfig({ ...SECRETS, NODE_ENV: 'production', MONGODB_URI: ferret.uri, MONGODB_DB_PREFIX: prefix });
      roundTrips = await countRoundTrips(ferret.uri, prefix, config, queries, bearer, { query: requestListQuery(), sizes: [10, 50, 100] });
      log('database round trips per request (steady state):');
      for (const [id, rt] of Object.entries(roundTrips.perQuery)) {
        log(`  ${id.padEnd(13)} total ${String(rt.total).padStart(3)}  (${SUBGRAPH_NAMES.map((n) => `${n} ${rt[n]}`).join(', ')})`);
      }
      log(`  list growth: ${roundTrips.listGrowth.map((g) => `${g.items} items → ${g.roundTrips.total}`).join(', ')} — ${roundTrips.constant ? 'constant' : 'GROWS with the list'}`);
    }

    const jsonHeaders = { 'content-type': 'application/json' };
    const withBearer = (q: BenchQuery) => {
      const t = bearer(q.caller);
      return t ? { ...jsonHeaders, authorization: `Bearer ${t}` } : { ...jsonHeaders };
    };
    const signed = (q: BenchQuery) => ({ ...jsonHeaders, 'x-citygraph-viewer': signViewer(VIEWERS[q.caller], SECRETS.INTERNAL_SECRET) });
    const ready = (url: string) => async () => {
      const r = await fetch(url, { method: 'POST', headers: jsonHeaders, body: '{"query":"{ __typename }"}' });
      return r.ok;
    };

    /** The gateways, pointed at `urlOf(subgraph)`. */
    const targetsFor = (urlOf: (n: SubgraphName) => string, mode: string): Record<string, Target> => {
      const overrides = Object.fromEntries(SUBGRAPH_NAMES.map((n) => [`SUBGRAPH_${n.toUpperCase()}_URL`, urlOf(n)]));
      const cityGraph = (workers: number, extraEnv: Record<string, string> = {}, id = workers === 1 ? 'citygraph' : `citygraph-${workers}w`, title = workers === 1 ? 'CityGraph' : `CityGraph ×${workers} workers`): Target => ({
        id,
        title,
        async start(port) {
          const args = ['--import', 'tsx'];
          if (flags.cpuProf) args.push('--cpu-prof', `--cpu-prof-dir=${path.join(flags.cpuProf, `${mode}-${id}`)}`);
          args.push(path.join(ROOT_DIR, 'gateway', 'index.ts'));
          const child = startNode(
            `${mode}-${id}`,
            args,
            {
              NODE_ENV: 'production',
              ...SECRETS,
              PORT: String(port),
              SUPERGRAPH_PATH: SUPERGRAPH,
              SCHEMA_REGISTRY: 'off',
              RATE_LIMIT_MAX: '0',
              LOG_LEVEL: 'warn',
              GATEWAY_WORKERS: String(workers),
              MONGODB_URI: '',
              ...overrides,
              ...flags.env,
              ...extraEnv,
            },
            logDir,
            ROOT_DIR,
          );
          const url = `http://127.0.0.1:${port}/graphql`;
          await waitUntil(title, ready(url), child);
          return { child, url };
        },
        request: (q, running) => ({ url: running!.url, headers: withBearer(q) }),
      });
      return {
        citygraph: cityGraph(1),
        'citygraph-2w': cityGraph(2),
        'citygraph-nocache': cityGraph(1, { RESPONSE_CACHE: 'off' }, 'citygraph-nocache', 'CityGraph, response cache off'),
        baseline: {
          id: 'baseline',
          title: 'Apollo Gateway (defaults)',
          async start(port) {
            const child = startNode(
              `${mode}-baseline`,
              ['--import', 'tsx', path.join(ROOT_DIR, 'bench', 'baseline-gateway.ts')],
              { NODE_ENV: 'production', ...SECRETS, PORT: String(port), SUPERGRAPH_PATH: SUPERGRAPH, ...overrides },
              logDir,
              ROOT_DIR,
            );
            const url = `http://127.0.0.1:${port}/`;
            await waitUntil('baseline gateway', ready(url), child);
            return { child, url };
          },
          request: (q, running) => ({ url: running!.url, headers: withBearer(q) }),
        },
        hive: {
          id: 'hive',
          title: 'Hive Gateway',
          async start(port) {
            const child = startNode(
              `${mode}-hive`,
              [HIVE_BIN, 'supergraph', SUPERGRAPH, '--config-path', path.join(HIVE_DIR, 'gateway.config.mjs'), '--port', String(port), '--host', '127.0.0.1', '--fork', '1', '--disable-websockets'],
              { NODE_ENV: 'production', ...overrides },
              logDir,
              HIVE_DIR,
            );
            const url = `http://127.0.0.1:${port}/graphql`;
            await waitUntil('Hive Gateway', ready(url), child);
            return { child, url };
          },
          // Hive has no city layer: it forwards the viewer the client sends, signed beforehand.
          request: (q, running) => ({ url: running!.url, headers: signed(q) }),
        },
        floor: {
          id: 'floor',
          title: 'Floor: the subgraph directly',
          request: (q) => (q.floorSubgraph ? { url: urlOf(q.floorSubgraph), headers: signed(q) } : undefined),
        },
      };
    };

    const reference: Record<string, string> = {};
    const runMode = async (mode: string, targets: Record<string, Target>, ids: string[], connections: number) => {
      const results: Record<string, Record<string, CaseResult>> = {};
      for (const id of ids) {
        const target = targets[id];
        const running = target.start ? await target.start(await freePort()) : undefined;
        if (running) children.push(running.child);
        const pid = running?.child.proc.pid;
        log(`${mode}: ${target.title}${running ? ` (pid ${pid})` : ''}`);
        results[id] = {};
        try {
          for (const q of queries) {
            const req = target.request(q, running);
            if (!req) continue;
            const body = JSON.stringify({ query: q.query, operationName: q.operationName, variables: q.variables });
            const check = await once(req.url, req.headers, body);
            if (check.errors?.length) throw new Error(`${target.title}, ${q.id}: ${JSON.stringify(check.errors).slice(0, 600)}`);
            const data = canonical(check.data);
            reference[q.id] ??= data;
            const dataMatches = reference[q.id] === data;
            if (!dataMatches) log(`  warning: ${q.id} answered different data from ${target.id} than from the first gateway`);
            if (flags.warmup > 0) await load(req.url, req.headers, body, flags.warmup, connections);
            const rss = pid ? sampleRss(pid) : undefined;
            const cpuBefore = pid ? cpuSeconds(pid) : 0;
            const r = await load(req.url, req.headers, body, flags.duration, connections);
            const cpu = pid ? cpuSeconds(pid) - cpuBefore : 0;
            const peak = rss ? rss.stop() : null;
            const errors = r.errors + r.timeouts + r.non2xx + (r as unknown as { mismatches: number }).mismatches;
            const requests = r.requests.total;
            const row: CaseResult = {
              rps: round(requests / flags.duration, 0),
              p50Ms: r.latency.p50,
              p99Ms: r.latency.p99,
              errors,
              peakRssMb: peak,
              ratioToBaseline: null,
              ratioToFloor: null,
              cpuMsPerRequest: pid && requests ? round((cpu * 1000) / requests, 2) : null,
              requests,
              dataMatches,
            };
            results[id][q.id] = row;
            log(
              `  ${q.id.padEnd(13)} ${String(row.rps).padStart(6)} req/s  p50 ${row.p50Ms} ms  p99 ${row.p99Ms} ms  errors ${errors}` +
                (peak !== null ? `  peak RSS ${peak} MB  CPU ${row.cpuMsPerRequest} ms/req` : ''),
            );
          }
        } catch (err) {
          if (running) console.error(`--- ${running.child.name} log ---\n${tail(running.child.log)}`);
          throw err;
        } finally {
          if (running) {
            await running.child.stop();
            children.splice(children.indexOf(running.child), 1);
          }
        }
      }
      for (const id of Object.keys(results)) {
        for (const q of queries) {
          const row = results[id][q.id];
          if (!row) continue;
          const base = results.baseline?.[q.id]?.rps;
          const floor = results.floor?.[q.id]?.rps;
          row.ratioToBaseline = base ? round(row.rps / base, 2) : null;
          row.ratioToFloor = floor ? round(row.rps / floor, 2) : null;
        }
      }
      return results;
    };

    const loadBefore = loadAverage();
    const live = flags.modes.includes('live')
      ? await runMode('live', targetsFor(subgraphUrl, 'live'), flags.gateways.filter((g) => g !== 'citygraph-2w' || flags.gatewaysGiven), flags.liveConnections)
      : undefined;
    let replay: Record<string, Record<string, CaseResult>> | undefined;
    if (flags.modes.includes('replay')) {
      const replayPort = await freePort();
      const replayChild = startNode(
        'replay',
        ['--import', 'tsx', path.join(ROOT_DIR, 'bench', 'replay-server.ts')],
        { REPLAY_PORT: String(replayPort), REPLAY_TARGETS: JSON.stringify(Object.fromEntries(SUBGRAPH_NAMES.map((n) => [n, subgraphUrl(n)]))) },
        logDir,
        ROOT_DIR,
      );
      children.push(replayChild);
      await waitUntil('replay server', async () => (await fetch(`http://127.0.0.1:${replayPort}/stats`)).ok, replayChild);
      replay = await runMode('replay', targetsFor((n) => `http://127.0.0.1:${replayPort}/${n}/graphql`, 'replay'), flags.gateways.filter((g) => (g !== 'citygraph-nocache' && g !== 'floor') || flags.gatewaysGiven), flags.connections);
    }
    const loadAfter = loadAverage();
    const order = flags.gateways;
    const titles = Object.fromEntries(Object.entries(targetsFor(subgraphUrl, 'live')).map(([id, t]) => [id, t.title]));

    const meta = {
      date: new Date().toISOString(),
      machine: {
        cpus: os.cpus().length,
        cpuModel: os.cpus()[0]?.model,
        memoryGb: round(os.totalmem() / 2 ** 30, 1),
        node: process.version,
        platform: `${os.type()} ${os.release()}`,
      },
      loadAverage: { before: loadBefore, after: loadAfter },
      settings: { connections: flags.connections, liveConnections: flags.liveConnections, warmupSeconds: flags.warmup, durationSeconds: flags.duration, env: flags.env },
      queries: Object.fromEntries(queries.map((q) => [q.id, { title: q.title, caller: q.caller, crossService: q.crossService, operationName: q.operationName, variables: q.variables }])),
      gateways: Object.fromEntries(order.map((id) => [id, titles[id]])),
      modes: {
        live: 'the gateways in front of the four subgraphs on the seeded FerretDB (end to end)',
        replay: 'the gateways in front of replayed subgraphs (bench/replay-server.ts): the real answers from memory, so the gateway is what is measured',
      },
      elapsedSeconds: Math.round((Date.now() - startedAt) / 1000),
    };
    const markdown = renderMarkdown(meta, { live, replay }, queries, order, roundTrips);
    console.log(`\n${markdown}`);
    const outDir = path.join(ROOT_DIR, 'bench', 'results');
    mkdirSync(outDir, { recursive: true });
    writeFileSync(path.join(outDir, `${flags.label}.json`), `${JSON.stringify({ meta, results: live ?? {}, gatewayOnly: replay ?? {}, roundTrips }, null, 2)}\n`);
    writeFileSync(path.join(outDir, `${flags.label}.md`), markdown);
    log(`wrote bench/results/${flags.label}.json and .md`);
  } catch (err) {
    console.error(err instanceof Error ? err.message : err);
    process.exitCode = 1;
  } finally {
    await cleanup();
  }
}

function renderMarkdown(
  meta: { date: string; machine: Record<string, unknown>; loadAverage: { before: number[]; after: number[] }; settings: { connections: number; liveConnections: number; warmupSeconds: number; durationSeconds: number; env: Record<string, string> }; elapsedSeconds: number },
  modes: { live?: Record<string, Record<string, CaseResult>>; replay?: Record<string, Record<string, CaseResult>> },
  queries: BenchQuery[],
  order: string[],
  roundTrips: RoundTripReport | undefined,
): string {
  const m = meta.machine;
  const lines: string[] = [
    `## Benchmark run ${meta.date}`,
    '',
    `${m.cpus} × ${m.cpuModel}, ${m.memoryGb} GB, Node ${m.node}, ${m.platform}. ` +
      `${meta.settings.liveConnections} connections end to end, ${meta.settings.connections} gateway only; ${meta.settings.warmupSeconds} s warm-up, ${meta.settings.durationSeconds} s per case. ` +
      `Load average before ${meta.loadAverage.before.join(' / ')}, after ${meta.loadAverage.after.join(' / ')}. Took ${meta.elapsedSeconds} s.` +
      (Object.keys(meta.settings.env).length ? ` CityGraph env: ${Object.entries(meta.settings.env).map(([k, v]) => `${k}=${v}`).join(' ')}.` : ''),
  ];
  const f = (v: number | null | undefined) => (v === null || v === undefined ? '–' : `${v}`);
  const table = (heading: string, results: Record<string, Record<string, CaseResult>>) => {
    lines.push('', heading, '', '| query | gateway | req/s | p50 ms | p99 ms | errors | peak RSS MB | gateway CPU ms/req | × baseline | × floor |', '| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
    for (const q of queries) {
      for (const id of order) {
        const r = results[id]?.[q.id];
        if (!r) continue;
        lines.push(
          `| ${q.title} | ${id} | ${r.rps} | ${r.p50Ms} | ${r.p99Ms} | ${r.errors} | ${f(r.peakRssMb)} | ${f(r.cpuMsPerRequest)} | ${f(r.ratioToBaseline)} | ${f(r.ratioToFloor)} |`,
        );
      }
    }
  };
  if (modes.live) table('### End to end (live subgraphs on FerretDB)', modes.live);
  if (modes.replay) table('### Gateway only (replayed subgraphs)', modes.replay);
  if (roundTrips) {
    lines.push('', '### Database round trips per request', '', `| query | total | ${SUBGRAPH_NAMES.join(' | ')} |`, `| --- | ---: | ${SUBGRAPH_NAMES.map(() => '---:').join(' | ')} |`);
    for (const q of queries) {
      const rt = roundTrips.perQuery[q.id];
      if (rt) lines.push(`| ${q.title} | ${rt.total} | ${SUBGRAPH_NAMES.map((n) => rt[n]).join(' | ')} |`);
    }
    lines.push(
      '',
      `List size check (requests list): ${roundTrips.listGrowth.map((g) => `${g.items} items → ${g.roundTrips.total} round trips`).join('; ')}: ${roundTrips.constant ? 'constant' : '**grows with the list**'}.`,
    );
  }
  return `${lines.join('\n')}\n`;
}

void main();
