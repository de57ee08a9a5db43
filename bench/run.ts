/**
 * `npm run bench`: CityGraph's gateway against a plain Apollo Gateway (the baseline), Hive Gateway
 * and a direct call to a subgraph (the floor), on the same four subgraphs, the same seeded database
 * and the same machine. See BENCHMARKS.md for the method and the latest figures.
 *
 *   npm run bench                                   # everything, defaults (8 s per case after 2 s of warm-up; 8 connections end to end, 50 gateway only)
 *   npm run bench -- --quick                        # 1 s warm-up, 4 s per case
 *   npm run bench -- --modes replay --queries deep --duration 20 --rounds 3   # the issue-16 method: median of 3 interleaved rounds
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
import { plannedFetches, type PlannedFetches } from './plan-stats';
import { canPin, cpuSeconds, loadAverage, pinProcessTree, sampleRss, startNode, tail, waitUntil, type Child } from './procs';
import { BENCH_ENV, QUERIES, requestListQuery, type BenchQuery, type Caller } from './queries';
import type { ReplayStats } from './replay-server';
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
  /** Interleaved rounds (every gateway once per round); each figure is the median over them. */
  rounds: number;
  /** Gateway only: the gateway on core 0, everything else on core 1 (`--no-pin` turns it off). */
  pin: boolean;
}

const ALL_GATEWAYS = ['citygraph', 'citygraph-nocache', 'citygraph-noshare', 'citygraph-2w', 'baseline', 'hive', 'hive-best', 'floor'];
/** Run only when asked for (`--gateways`): two workers pinned to one core show nothing about cluster mode. */
const ON_REQUEST = ['citygraph-2w'];
/** Not in gateway-only mode unless asked for: the replay server passes no cache hints (so no cache), and it is not a subgraph (no floor). */
const LIVE_ONLY = ['citygraph-nocache', 'floor'];

/**
 * The gateway's switch for inbound in-flight request sharing (issue 16, helper E3's branch
 * `defer`). A gateway that does not know it ignores it.
 */
const REQUEST_SHARING_ENV = 'REQUEST_SHARING';


const SPEC: CommandSpec = {
  summary:
    "CityGraph's gateway against a plain Apollo Gateway (the baseline), Hive Gateway and a direct call to a subgraph\n(the floor), on the same subgraphs, seeded database and machine; writes bench/results/<label>.{json,md}.",
  flags: {
    duration: { type: 'string', value: 's', description: 'seconds measured per case (default 8)' },
    warmup: { type: 'string', value: 's', description: 'seconds of warm-up per case (default 2)' },
    quick: { type: 'boolean', description: '1 s warm-up, 4 s per case (unless --duration / --warmup say otherwise)' },
    connections: { type: 'string', value: 'n', description: 'connections, gateway only (default 50)' },
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
    rounds: { type: 'string', value: 'N', description: 'interleaved rounds, every gateway once per round; figures are medians (default 1)' },
    'no-pin': { type: 'boolean', description: 'gateway only: do not pin the gateway to core 0 and the rest to core 1 (default: pinned when taskset and 2+ CPUs exist)' },
  },
  examples: [
    'npm run bench',
    'npm run bench -- --quick',
    'npm run bench -- --gateways citygraph,baseline --queries dashboard,mycity',
    'npm run bench -- --gateways citygraph --env SUBGRAPH_FETCHER=default --label fetcher-default',
    'npm run bench -- --modes replay --queries deep --gateways citygraph,citygraph-noshare,baseline,hive,hive-best --duration 20 --rounds 3',
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
    connections: cli.number('connections', 50, { integer: true, min: 1 }),
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
    rounds: cli.number('rounds', 1, { integer: true, min: 1, max: 15 }),
    pin: !cli.flag('no-pin'),
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
  /** Starts the gateway process (none for the floor), pinned to `cpus` when given. */
  start?(port: number, cpus?: string): Promise<Running>;
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
  /** Null when no request completed within the measured seconds (a slow case: raise --duration). */
  p50Ms: number | null;
  p99Ms: number | null;
  errors: number;
  peakRssMb: number | null;
  ratioToBaseline: number | null;
  ratioToFloor: number | null;
  /** Gateway CPU per request (ms, all its processes): what the gateway itself costs. */
  cpuMsPerRequest: number | null;
  requests: number;
  dataMatches: boolean;
  /** With `--rounds` above 1: each round's requests/s (the other figures are medians too). */
  roundsRps?: number[];
}

/** One gateway's first answer to a query: its size, and (gateway only) the subgraph requests it made. */
interface AnswerFacts {
  bytes: number;
  subgraphRequests?: { total: number; bySubgraph: Record<string, number> };
}

function canonical(value: unknown): string {
  return JSON.stringify(value, (_k, v) => (v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => a.localeCompare(b))) : v));
}

async function once(url: string, headers: Record<string, string>, body: string): Promise<{ data?: unknown; errors?: unknown[]; bytes: number }> {
  const res = await fetch(url, { method: 'POST', headers, body });
  const text = await res.text();
  const bytes = Buffer.byteLength(text);
  try {
    return { ...JSON.parse(text), bytes };
  } catch {
    return { errors: [`HTTP ${res.status}: ${text.slice(0, 200)}`], bytes };
  }
}

/**
 * The replay server's counts once they stop moving: the replay server may still be answering the
 * previous gateway's last calls (a check that overlapped them would be charged with them).
 */
async function settled(read: () => Promise<ReplayStats>): Promise<ReplayStats> {
  let last = await read();
  for (let i = 0; i < 50; i += 1) {
    await new Promise((r) => setTimeout(r, 200));
    const now = await read();
    if (JSON.stringify(now.requests) === JSON.stringify(last.requests)) return now;
    last = now;
  }
  throw new Error('the replay server kept receiving requests for 10 s after the load ended');
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** The median of every figure over the rounds (each field on its own), errors summed. */
function medianOfRounds(rows: CaseResult[]): CaseResult {
  if (rows.length === 1) return rows[0];
  const m = (pick: (r: CaseResult) => number | null) => {
    const vs = rows.map(pick).filter((v): v is number => v !== null);
    return vs.length ? round(median(vs), 2) : null;
  };
  return {
    rps: round(median(rows.map((r) => r.rps)), 0),
    p50Ms: m((r) => r.p50Ms),
    p99Ms: m((r) => r.p99Ms),
    errors: rows.reduce((sum, r) => sum + r.errors, 0),
    peakRssMb: rows.some((r) => r.peakRssMb !== null) ? Math.max(...rows.map((r) => r.peakRssMb ?? 0)) : null,
    ratioToBaseline: null,
    ratioToFloor: null,
    cpuMsPerRequest: m((r) => r.cpuMsPerRequest),
    requests: rows.reduce((sum, r) => sum + r.requests, 0),
    dataMatches: rows.every((r) => r.dataMatches),
    roundsRps: rows.map((r) => r.rps),
  };
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
  // The in-process gateway that counts round trips would log every request (access log).
  process.env.LOG_LEVEL ??= 'warn';
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

    if (flags.gateways.some((g) => g.startsWith('hive')) && !existsSync(HIVE_BIN)) {
      if (flags.skipHiveInstall) throw new Error('Hive Gateway is not installed (bench/hive) and --skip-hive-install was given');
      log('Installing Hive Gateway into bench/hive (npm ci, first run only)…');
      const r = spawnSync('npm', ['ci', '--prefix', HIVE_DIR, '--no-audit', '--no-fund', '--loglevel=error'], { stdio: 'inherit' });
      if (r.status !== 0) throw new Error('npm ci --prefix bench/hive failed');
    }

    SUPERGRAPH = path.join(tmp, 'supergraph.graphql');
    writeFileSync(SUPERGRAPH, demoteSubgraphEnforcedFeatures(readFileSync(COMMITTED_SUPERGRAPH, 'utf8')));

    // Fetches per query as Apollo's planner makes them (the deep case's "about 16" is checked here).
    const planned: Record<string, PlannedFetches> = {};
    for (const q of queries) planned[q.id] = plannedFetches(readFileSync(SUPERGRAPH, 'utf8'), q.query, q.operationName);
    const deep = queries.find((q) => q.id === 'deep');
    if (deep) log(`deep case: ${deep.title}: Apollo's planner makes ${planned.deep.total} subgraph fetches (${describeCounts(planned.deep.bySubgraph)})`);
    const pin = flags.pin && flags.modes.includes('replay') && canPin(os.cpus().length);
    if (flags.pin && flags.modes.includes('replay') && !pin) log('gateway only: not pinned (needs taskset and at least 2 CPUs)');

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
      roundTrips = await countRoundTrips(ferret.uri, prefix, config, queries, bearer, { query: requestListQuery(), sizes: [10, 50, 100] }, BENCH_ENV);
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
        async start(port, cpus) {
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
              ...BENCH_ENV,
              LOG_LEVEL: 'warn',
              GATEWAY_WORKERS: String(workers),
              MONGODB_URI: '',
              ...overrides,
              ...flags.env,
              ...extraEnv,
            },
            logDir,
            ROOT_DIR,
            cpus,
          );
          const url = `http://127.0.0.1:${port}/graphql`;
          await waitUntil(title, ready(url), child);
          return { child, url };
        },
        request: (q, running) => ({ url: running!.url, headers: withBearer(q) }),
      });
      const hive = (id: string, title: string, config: string, extraArgs: string[]): Target => ({
        id,
        title,
        async start(port, cpus) {
          const child = startNode(
            `${mode}-${id}`,
            [HIVE_BIN, 'supergraph', SUPERGRAPH, '--config-path', path.join(HIVE_DIR, config), '--port', String(port), '--host', '127.0.0.1', '--fork', '1', '--disable-websockets', ...extraArgs],
            { NODE_ENV: 'production', ...overrides },
            logDir,
            HIVE_DIR,
            cpus,
          );
          const url = `http://127.0.0.1:${port}/graphql`;
          await waitUntil(title, ready(url), child);
          return { child, url };
        },
        // Hive has no city layer: it forwards the viewer the client sends, signed beforehand.
        request: (q, running) => ({ url: running!.url, headers: signed(q) }),
      });
      return {
        citygraph: cityGraph(1),
        'citygraph-2w': cityGraph(2),
        'citygraph-nocache': cityGraph(1, { RESPONSE_CACHE: 'off' }, 'citygraph-nocache', 'CityGraph, response cache off'),
        // Every kind of sharing off: each request does all of its own work, as stock Apollo Gateway does.
        'citygraph-noshare': cityGraph(
          1,
          { RESPONSE_CACHE: 'off', SUBGRAPH_DEDUPE: 'off', [REQUEST_SHARING_ENV]: 'off' },
          'citygraph-noshare',
          'CityGraph, no sharing (response cache, fetch sharing, request sharing off)',
        ),
        baseline: {
          id: 'baseline',
          title: 'Apollo Gateway (defaults)',
          async start(port, cpus) {
            const child = startNode(
              `${mode}-baseline`,
              ['--import', 'tsx', path.join(ROOT_DIR, 'bench', 'baseline-gateway.ts')],
              { NODE_ENV: 'production', ...SECRETS, PORT: String(port), SUPERGRAPH_PATH: SUPERGRAPH, ...overrides },
              logDir,
              ROOT_DIR,
              cpus,
            );
            const url = `http://127.0.0.1:${port}/`;
            await waitUntil('baseline gateway', ready(url), child);
            return { child, url };
          },
          request: (q, running) => ({ url: running!.url, headers: withBearer(q) }),
        },
        hive: hive('hive', 'Hive Gateway', 'gateway.config.mjs', []),
        'hive-best': hive('hive-best', 'Hive Gateway, --jit and inbound request deduplication', 'gateway.best.config.mjs', ['--jit']),
        floor: {
          id: 'floor',
          title: 'Floor: the subgraph directly',
          request: (q) => (q.floorSubgraph ? { url: urlOf(q.floorSubgraph), headers: signed(q) } : undefined),
        },
      };
    };

    const reference: Record<string, string> = {};
    /** First answers, by mode, gateway and query. */
    const answers: Record<string, Record<string, Record<string, AnswerFacts>>> = {};
    type Options = { cpus?: string; subgraphStats?: () => Promise<ReplayStats> };
    /** One gateway through every query: its answer checked, then warm-up and measured load. */
    const runTarget = async (mode: string, target: Target, connections: number, firstRound: boolean, options: Options) => {
      const out: Record<string, CaseResult> = {};
      const running = target.start ? await target.start(await freePort(), options.cpus) : undefined;
      if (running) children.push(running.child);
      const pid = running?.child.proc.pid;
      log(`${mode}: ${target.title}${running ? ` (pid ${pid}${options.cpus !== undefined ? `, core ${options.cpus}` : ''})` : ''}`);
      try {
        // Every query's check first, while the gateway is idle: after a load, the gateway is still
        // finishing the requests autocannon abandoned, and their subgraph calls would be counted.
        const matches: Record<string, boolean> = {};
        for (const q of queries) {
          const req = target.request(q, running);
          if (!req) continue;
          const body = JSON.stringify({ query: q.query, operationName: q.operationName, variables: q.variables });
          const before = options.subgraphStats ? await settled(options.subgraphStats) : undefined;
          const check = await once(req.url, req.headers, body);
          const after = await options.subgraphStats?.();
          if (check.errors?.length) throw new Error(`${target.title}, ${q.id}: ${JSON.stringify(check.errors).slice(0, 600)}`);
          if (firstRound) {
            const facts: AnswerFacts = { bytes: check.bytes };
            if (before && after) {
              const bySubgraph = Object.fromEntries(Object.keys(after.requests).map((n) => [n, after.requests[n] - (before.requests[n] ?? 0)]));
              facts.subgraphRequests = { total: Object.values(bySubgraph).reduce((a, b) => a + b, 0), bySubgraph };
            }
            ((answers[mode] ??= {})[target.id] ??= {})[q.id] = facts;
            if (q.id === 'deep') {
              const made = facts.subgraphRequests;
              log(`  deep case: answer ${check.bytes} bytes${made ? `, ${made.total} subgraph requests (${describeCounts(made.bySubgraph)})` : ''}`);
            }
          }
          const data = canonical(check.data);
          reference[q.id] ??= data;
          matches[q.id] = reference[q.id] === data;
          if (!matches[q.id]) log(`  warning: ${q.id} answered different data from ${target.id} than from the first gateway`);
        }
        for (const q of queries) {
          const req = target.request(q, running);
          if (!req) continue;
          const body = JSON.stringify({ query: q.query, operationName: q.operationName, variables: q.variables });
          const dataMatches = matches[q.id];
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
            p50Ms: requests ? r.latency.p50 : null,
            p99Ms: requests ? r.latency.p99 : null,
            errors,
            peakRssMb: peak,
            ratioToBaseline: null,
            ratioToFloor: null,
            cpuMsPerRequest: pid && requests ? round((cpu * 1000) / requests, 2) : null,
            requests,
            dataMatches,
          };
          out[q.id] = row;
          if (!requests) log(`  warning: no ${q.id} request completed within the ${flags.duration} s measured (raise --duration)`);
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
      return out;
    };
    /** Every gateway once per round, rounds one after another (interleaved), then the median per figure. */
    const runMode = async (mode: string, targets: Record<string, Target>, ids: string[], connections: number, options: Options = {}) => {
      const perRound: Array<Record<string, Record<string, CaseResult>>> = [];
      for (let n = 0; n < flags.rounds; n += 1) {
        if (flags.rounds > 1) log(`${mode}: round ${n + 1} of ${flags.rounds}`);
        const results: Record<string, Record<string, CaseResult>> = {};
        for (const id of ids) results[id] = await runTarget(mode, targets[id], connections, n === 0, options);
        perRound.push(results);
      }
      const results: Record<string, Record<string, CaseResult>> = {};
      for (const id of ids) {
        results[id] = {};
        for (const q of queries) {
          const rows = perRound.map((r) => r[id][q.id]).filter((r): r is CaseResult => r !== undefined);
          if (rows.length) results[id][q.id] = medianOfRounds(rows);
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

    const chosen = (mode: 'live' | 'replay') =>
      flags.gatewaysGiven ? flags.gateways : flags.gateways.filter((g) => !ON_REQUEST.includes(g) && (mode === 'live' || !LIVE_ONLY.includes(g)));
    const loadBefore = loadAverage();
    const live = flags.modes.includes('live') ? await runMode('live', targetsFor(subgraphUrl, 'live'), chosen('live'), flags.liveConnections) : undefined;
    let replay: Record<string, Record<string, CaseResult>> | undefined;
    if (flags.modes.includes('replay')) {
      // One core for the gateway under test; the load generator (this process), the replay
      // server, the subgraphs and the database share the other, so the gateways compete for
      // nothing and their CPU per request is their own.
      if (pin) {
        pinProcessTree(process.pid, '1');
        log('gateway only: the gateway under test pinned to core 0 (taskset -c 0); the load generator, replay server, subgraphs and FerretDB on core 1');
      }
      const replayPort = await freePort();
      const replayChild = startNode(
        'replay',
        ['--import', 'tsx', path.join(ROOT_DIR, 'bench', 'replay-server.ts')],
        { REPLAY_PORT: String(replayPort), REPLAY_TARGETS: JSON.stringify(Object.fromEntries(SUBGRAPH_NAMES.map((n) => [n, subgraphUrl(n)]))) },
        logDir,
        ROOT_DIR,
        pin ? '1' : undefined,
      );
      children.push(replayChild);
      const statsUrl = `http://127.0.0.1:${replayPort}/stats`;
      await waitUntil('replay server', async () => (await fetch(statsUrl)).ok, replayChild);
      replay = await runMode('replay', targetsFor((n) => `http://127.0.0.1:${replayPort}/${n}/graphql`, 'replay'), chosen('replay'), flags.connections, {
        cpus: pin ? '0' : undefined,
        subgraphStats: async () => (await (await fetch(statsUrl)).json()) as ReplayStats,
      });
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
      settings: {
        connections: flags.connections,
        liveConnections: flags.liveConnections,
        warmupSeconds: flags.warmup,
        durationSeconds: flags.duration,
        rounds: flags.rounds,
        scale: flags.scale,
        env: flags.env,
        cityGraphBenchEnv: BENCH_ENV,
        pinned: pin ? { gateway: '0', rest: '1', how: 'taskset; gateway-only mode' } : null,
      },
      queries: Object.fromEntries(queries.map((q) => [q.id, { title: q.title, caller: q.caller, crossService: q.crossService, operationName: q.operationName, variables: q.variables }])),
      gateways: Object.fromEntries(order.map((id) => [id, titles[id]])),
      modes: {
        live: 'the gateways in front of the four subgraphs on the seeded FerretDB (end to end)',
        replay: 'the gateways in front of replayed subgraphs (bench/replay-server.ts): the real answers from memory, so the gateway is what is measured',
      },
      elapsedSeconds: Math.round((Date.now() - startedAt) / 1000),
    };
    const deepCase = deep
      ? {
          query: deep.id,
          title: deep.title,
          plannedFetches: planned.deep,
          answerBytes: Object.fromEntries(Object.entries(answers).map(([mode, byGateway]) => [mode, Object.fromEntries(Object.entries(byGateway).map(([g, a]) => [g, a.deep?.bytes]))])),
          subgraphRequests: Object.fromEntries(Object.entries(answers.replay ?? {}).map(([g, a]) => [g, a.deep?.subgraphRequests])),
        }
      : undefined;
    const markdown = renderMarkdown(meta, { live, replay }, queries, order, roundTrips, planned, answers);
    console.log(`\n${markdown}`);
    const outDir = path.join(ROOT_DIR, 'bench', 'results');
    mkdirSync(outDir, { recursive: true });
    writeFileSync(path.join(outDir, `${flags.label}.json`), `${JSON.stringify({ meta, deepCase, results: live ?? {}, gatewayOnly: replay ?? {}, answers, plannedFetches: planned, roundTrips }, null, 2)}\n`);
    writeFileSync(path.join(outDir, `${flags.label}.md`), markdown);
    log(`wrote bench/results/${flags.label}.json and .md`);
  } catch (err) {
    console.error(err instanceof Error ? err.message : err);
    process.exitCode = 1;
  } finally {
    await cleanup();
  }
}

/** `requests 10, parking 2, …` */
function describeCounts(bySubgraph: Record<string, number>): string {
  return Object.entries(bySubgraph)
    .map(([n, c]) => `${n} ${c}`)
    .join(', ');
}

function renderMarkdown(
  meta: {
    date: string;
    machine: Record<string, unknown>;
    loadAverage: { before: number[]; after: number[] };
    settings: { connections: number; liveConnections: number; warmupSeconds: number; durationSeconds: number; rounds: number; env: Record<string, string>; pinned: unknown };
    elapsedSeconds: number;
  },
  modes: { live?: Record<string, Record<string, CaseResult>>; replay?: Record<string, Record<string, CaseResult>> },
  queries: BenchQuery[],
  order: string[],
  roundTrips: RoundTripReport | undefined,
  planned: Record<string, PlannedFetches>,
  answers: Record<string, Record<string, Record<string, AnswerFacts>>>,
): string {
  const m = meta.machine;
  const lines: string[] = [
    `## Benchmark run ${meta.date}`,
    '',
    `${m.cpus} × ${m.cpuModel}, ${m.memoryGb} GB, Node ${m.node}, ${m.platform}. ` +
      `${meta.settings.liveConnections} connections end to end, ${meta.settings.connections} gateway only; ${meta.settings.warmupSeconds} s warm-up, ${meta.settings.durationSeconds} s per case` +
      (meta.settings.rounds > 1 ? `, median of ${meta.settings.rounds} interleaved rounds. ` : '. ') +
      (modes.replay
        ? meta.settings.pinned
          ? 'Gateway only: the gateway under test pinned to core 0, the load generator, replay server, subgraphs and FerretDB to core 1. '
          : 'Gateway only: not pinned. '
        : '') +
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
          `| ${q.title} | ${id} | ${r.rps} | ${f(r.p50Ms)} | ${f(r.p99Ms)} | ${r.errors} | ${f(r.peakRssMb)} | ${f(r.cpuMsPerRequest)} | ${f(r.ratioToBaseline)} | ${f(r.ratioToFloor)} |`,
        );
      }
    }
  };
  if (modes.live) table('### End to end (live subgraphs on FerretDB)', modes.live);
  if (modes.replay) table('### Gateway only (replayed subgraphs)', modes.replay);
  const replayGateways = order.filter((g) => answers.replay?.[g]);
  lines.push(
    '',
    '### Answers and fetches per request',
    '',
    "Fetches planned by Apollo's query planner; answer size of the first gateway that answered; subgraph requests one request made, counted at the replay server (gateway only).",
    '',
    `| query | planned fetches | answer bytes |${replayGateways.map((g) => ` ${g} requests |`).join('')}`,
    `| --- | --- | ---: |${replayGateways.map(() => ' ---: |').join('')}`,
  );
  for (const q of queries) {
    const first = Object.values(answers.replay ?? answers.live ?? {}).find((a) => a[q.id])?.[q.id];
    lines.push(
      `| ${q.title} | ${planned[q.id].total} (${describeCounts(planned[q.id].bySubgraph)}) | ${f(first?.bytes)} | ${replayGateways.map((g) => f(answers.replay[g][q.id]?.subgraphRequests?.total)).join(' | ')} |`,
    );
  }
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
