/**
 * `npm run load`: drives a mix of the contract's queries and mutations through the gateway for a
 * fixed time and prints throughput, latency percentiles, errors by code, and the resident memory
 * (RSS) of the gateway and the subgraphs before, during and after. A tool, not a test.
 *
 *   npm run load -- --duration 300 --connections 16
 *
 * `npm run load -- --help` lists the options. The gateway is `GATEWAY_URL` (default
 * http://127.0.0.1:$PORT, PORT default 4000), or `--url`.
 * Run the graph with `RATE_LIMIT_MAX=0 npm start`, or the gateway's rate limit (300 requests per
 * 10 s per client) answers RATE_LIMITED.
 */
import { Agent, fetch } from 'undici';
import { signUserToken } from '../shared/platform/auth';
import { gatewayUrl, GATEWAY_URL_HELP, runCli, type CliArgs, type CommandSpec, type UsageError } from '../shared/platform/cli';
import { DEVELOPMENT_JWT_SECRET } from '../shared/platform/config';
import { COMMUNITIES, DEMO_RESIDENT_ID, OTHER_RESIDENTS } from '../shared/dev/demo';
import { REGISTER_RESIDENT, registrationFor } from '../shared/dev/residents';

const SPEC: CommandSpec = {
  summary: "Drives a mix of the contract's queries and mutations through the gateway for a fixed time; prints\nthroughput, latency percentiles, errors by code and every process's memory before and after.",
  flags: {
    duration: { type: 'string', value: 's', description: 'how long to run, in seconds (default 60)' },
    connections: { type: 'string', value: 'n', description: 'concurrent clients (default 8)' },
    url: { type: 'string', value: 'url', description: "the gateway's GraphQL endpoint (default $GATEWAY_URL/graphql)" },
    metrics: { type: 'string', value: 'url,url…', description: "where memory is read (default the gateway's /metrics and the subgraphs' on 4001-4004)" },
    mutations: { type: 'string', value: '0..1', description: 'share of mutations (default 0.15)' },
  },
  env: { GATEWAY_URL: GATEWAY_URL_HELP, METRICS_TOKEN: "sent to the gateway's /metrics when set" },
  examples: ['RATE_LIMIT_MAX=0 npm start', 'npm run load -- --duration 300 --connections 8'],
  notes: "Without RATE_LIMIT_MAX=0 on the gateway, its rate limit (300 requests per 10 s per client) answers RATE_LIMITED.",
};

interface Options {
  duration: number;
  connections: number;
  url: string;
  metrics: string[];
  mutations: number;
}

function parseOptions(argv: string[]): Options {
  // Annotated: TypeScript narrows after `cli.fail()` (never) only through a declared type.
  const cli: CliArgs = runCli('npm run load --', SPEC, argv);
  let url = cli.string('url');
  if (url === undefined) {
    try {
      url = `${gatewayUrl().url}/graphql`;
    } catch (err) {
      cli.fail((err as UsageError).message);
    }
  }
  let base: URL;
  try {
    base = new URL(url);
  } catch {
    cli.fail(`--url: not a URL ("${url}")`);
  }
  const host = base.hostname;
  const defaults = [`${base.origin}/metrics`, ...[4001, 4002, 4003, 4004].map((p) => `http://${host}:${p}/metrics`)];
  return {
    duration: cli.number('duration', 60, { above: 0 }),
    connections: cli.number('connections', 8, { integer: true, min: 1, max: 10_000 }),
    url,
    metrics: cli.has('metrics') ? cli.list('metrics', defaults) : defaults,
    mutations: cli.number('mutations', 0.15, { min: 0, max: 1 }),
  };
}

const OPS = {
  Communities: `query Communities { communities { code name street { name district { name } } } }`,
  CommunityDashboard: `query CommunityDashboard($code: ID!) { community(code: $code) { code name street { name district { name } }
    requestStats { received resolved resolutionRate overdueLevel1 } parkingLots { id name freeSpacesNow } hostels { id name freeBeds }
    volunteerStations { id name } volunteerHoursThisMonth } }`,
  NearbyParking: `query NearbyParking($lat: Float!, $lng: Float!, $radiusMeters: Int!) { parkingLotsNear(lat: $lat, lng: $lng, radiusMeters: $radiusMeters, onlyAvailable: true) {
    id name distanceMeters freeSpacesNow pricePerHour currentWindow { startsAt endsAt } community { name } openRequests { id title status } } }`,
  MyCity: `query MyCity { me { id name requests(open: true) { id title status level dueAt }
    parkingReservations(upcoming: true) { id status entryWindowStart entryWindowEnd lot { name } }
    hostelStays { id status nightsLeft hostel { name } } volunteerProfile { verifiedHours starLevel hoursToNextStar } } }`,
  SubmitRequest: `mutation SubmitRequest($input: SubmitRequestInput!) { submitRequest(input: $input) { id status level category { code name } department { name } dueAt community { name } } }`,
  ReserveParking: `mutation ReserveParking($lotId: ID!, $plate: String!, $arriveAt: DateTime!, $key: String) { reserveParking(lotId: $lotId, plate: $plate, arriveAt: $arriveAt, idempotencyKey: $key) {
    id status entryWindowStart entryWindowEnd lot { id freeSpacesNow } } }`,
  CancelParking: `mutation CancelParking($id: ID!) { cancelParkingReservation(id: $id) { id status } }`,
  RegisterResident: REGISTER_RESIDENT,
};

const TITLES = [
  ['路灯不亮', '小区门口路灯连续三晚不亮，夜间行人多，存在安全隐患，请尽快维修。'],
  ['垃圾清运不及时', '楼下垃圾桶已满两天无人清运，气味很大，影响居民生活。'],
  ['噪音扰民', '附近工地夜间十一点后仍在施工，噪音很大，影响休息。'],
  ['占道经营', '人行道上摆摊占道，行人只能走机动车道，很危险。'],
];

interface Stats {
  latencies: number[];
  count: number;
  errors: Map<string, number>;
}

const run = `${Date.now().toString(36)}`;
let counter = 0;
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(Math.random() * xs.length)];

async function memory(urls: string[]): Promise<Record<string, { rssMb: number; heapMb: number } | null>> {
  const out: Record<string, { rssMb: number; heapMb: number } | null> = {};
  await Promise.all(
    urls.map(async (url) => {
      try {
        // The gateway's /metrics may need METRICS_TOKEN; the subgraphs ignore the header.
        const headers: Record<string, string> = process.env.METRICS_TOKEN ? { authorization: `Bearer ${process.env.METRICS_TOKEN}` } : {};
        const text = await (await fetch(url, { headers, signal: AbortSignal.timeout(5000) })).text();
        const value = (name: string) => Number(new RegExp(`^${name}(?:\\{[^}]*\\})? ([0-9.e+]+)`, 'm').exec(text)?.[1] ?? NaN);
        const service = /service="([^"]+)"/.exec(text)?.[1] ?? url;
        out[service] = { rssMb: value('process_resident_memory_bytes') / 2 ** 20, heapMb: value('nodejs_heap_size_used_bytes') / 2 ** 20 };
      } catch {
        out[url] = null;
      }
    }),
  );
  return out;
}

function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

async function main(): Promise<void> {
  const opts = parseOptions(process.argv.slice(2));
  const dispatcher = new Agent({ connections: opts.connections, keepAliveTimeout: 30_000 });
  const residents = [DEMO_RESIDENT_ID, ...OTHER_RESIDENTS.map((r) => r.id)];
  const tokens = new Map(residents.map((id) => [id, signUserToken({ role: 'resident', subject: id, residentId: id }, DEVELOPMENT_JWT_SECRET)]));
  const loadToken = (id: string) => signUserToken({ role: 'resident', subject: id, residentId: id }, DEVELOPMENT_JWT_SECRET);
  const stats = new Map<string, Stats>();
  const record = (op: string, ms: number, code?: string) => {
    let s = stats.get(op);
    if (!s) stats.set(op, (s = { latencies: [], count: 0, errors: new Map() }));
    s.count += 1;
    s.latencies.push(ms);
    if (code) s.errors.set(code, (s.errors.get(code) ?? 0) + 1);
  };

  async function send(op: keyof typeof OPS, variables: Record<string, unknown> = {}, token?: string): Promise<any> {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (token) headers.authorization = `Bearer ${token}`;
    const started = performance.now();
    let code: string | undefined;
    let data: any;
    try {
      const res = await fetch(opts.url, { method: 'POST', headers, body: JSON.stringify({ query: OPS[op], variables }), dispatcher, signal: AbortSignal.timeout(30_000) });
      const body = (await res.json().catch(() => ({ errors: [{ extensions: { code: `HTTP_${res.status}` } }] }))) as { data?: any; errors?: Array<{ extensions?: { code?: string } }> };
      data = body.data;
      if (body.errors?.length) code = body.errors[0].extensions?.code ?? 'UNKNOWN';
      else if (!res.ok) code = `HTTP_${res.status}`;
    } catch (err) {
      code = (err as Error).name === 'TimeoutError' ? 'CLIENT_TIMEOUT' : 'NETWORK';
    }
    record(op, performance.now() - started, code);
    return code ? undefined : data;
  }

  // Lots sharing spaces now, for the bookings (each booking is cancelled at once, giving it back).
  const centre = COMMUNITIES[0];
  const near = await send('NearbyParking', { lat: centre.lat, lng: centre.lng, radiusMeters: 20000 });
  const lots: string[] = (near?.parkingLotsNear ?? []).filter((l: any) => l.freeSpacesNow > 5).map((l: any) => l.id);

  // Writers must be registered residents (RESIDENT_NOT_REGISTERED otherwise): a pool of this run's
  // own, registered before the clock starts, large enough that none books more than twice a day.
  const poolSize = Math.max(100, Math.ceil(opts.duration * opts.connections * opts.mutations * 3));
  const pool = Array.from({ length: poolSize }, (_, i) => `R-LOAD-${run}-${i}`);
  // ID and phone numbers need not be unique across runs (the registry keys residents by id).
  const firstN = 1000;
  let registered = 0;
  await Promise.all(
    Array.from({ length: opts.connections }, async (_, w) => {
      for (let i = w; i < pool.length; i += opts.connections) {
        if (await send('RegisterResident', { input: registrationFor(firstN + i, COMMUNITIES[i % COMMUNITIES.length].code) }, loadToken(pool[i]))) registered += 1;
      }
    }),
  );
  if (registered < pool.length) throw new Error(`only ${registered} of ${pool.length} load residents registered: ${JSON.stringify([...(stats.get('RegisterResident')?.errors ?? [])])}`);
  let bookings = 0;
  stats.clear();

  const memBefore = await memory(opts.metrics);
  const samples: Array<{ at: number; mem: Awaited<ReturnType<typeof memory>> }> = [];
  console.log(`Load: ${opts.duration} s, ${opts.connections} connections, ${Math.round(opts.mutations * 100)} % mutations → ${opts.url}`);
  console.log(lots.length ? `Bookings on ${lots.length} lots sharing now (each cancelled right after)` : 'No lot shares spaces right now: no bookings in the mix');

  const deadline = Date.now() + opts.duration * 1000;
  const startedAt = Date.now();
  const sampler = setInterval(() => void memory(opts.metrics).then((mem) => samples.push({ at: Date.now() - startedAt, mem })), 30_000);
  const progress = setInterval(() => {
    const done = [...stats.values()].reduce((n, s) => n + s.count, 0);
    const errors = [...stats.values()].reduce((n, s) => n + [...s.errors.values()].reduce((a, b) => a + b, 0), 0);
    process.stdout.write(`  ${Math.round((Date.now() - startedAt) / 1000)} s: ${done} operations, ${errors} errors\n`);
  }, 10_000);

  async function worker(): Promise<void> {
    while (Date.now() < deadline) {
      const n = ++counter;
      if (Math.random() < opts.mutations) {
        if (lots.length && Math.random() < 0.4) {
          // The pool in turn: at most 2 bookings a day per resident, one active per plate.
          const token = loadToken(pool[bookings++ % pool.length]);
          const plate = `粤D${String(n % 100000).padStart(5, '0')}`;
          const arriveAt = new Date(Date.now() + 20 * 60000).toISOString();
          const booked = await send('ReserveParking', { lotId: pick(lots), plate, arriveAt, key: `load-${run}-${n}` }, token);
          if (booked) await send('CancelParking', { id: booked.reserveParking.id }, token);
        } else {
          const [title, description] = pick(TITLES);
          const community = pick(COMMUNITIES);
          await send(
            'SubmitRequest',
            { input: { title, description, channel: 'I_SHENZHEN', communityCode: community.code, idempotencyKey: `load-${run}-${n}` } },
            loadToken(pool[n % pool.length]),
          );
        }
      } else {
        const r = Math.random();
        if (r < 0.15) await send('Communities');
        else if (r < 0.45) await send('CommunityDashboard', { code: pick(COMMUNITIES).code });
        else if (r < 0.7) {
          const c = pick(COMMUNITIES);
          await send('NearbyParking', { lat: c.lat, lng: c.lng, radiusMeters: 3000 });
        } else await send('MyCity', {}, tokens.get(pick(residents)));
      }
    }
  }
  await Promise.all(Array.from({ length: opts.connections }, worker));
  const elapsed = (Date.now() - startedAt) / 1000;
  clearInterval(sampler);
  clearInterval(progress);
  const memAfter = await memory(opts.metrics);
  await new Promise((r) => setTimeout(r, 5000));
  const memSettled = await memory(opts.metrics);
  await dispatcher.close();

  const all: number[] = [];
  const errorsByCode = new Map<string, number>();
  const rows: string[] = [];
  for (const [op, s] of [...stats.entries()].sort()) {
    s.latencies.sort((a, b) => a - b);
    all.push(...s.latencies);
    let errs = 0;
    for (const [code, n] of s.errors) {
      errorsByCode.set(code, (errorsByCode.get(code) ?? 0) + n);
      errs += n;
    }
    rows.push(
      `  ${op.padEnd(19)} ${String(s.count).padStart(7)} ${(s.count / elapsed).toFixed(1).padStart(8)}/s  p50 ${percentile(s.latencies, 50).toFixed(0).padStart(5)} ms  p90 ${percentile(s.latencies, 90).toFixed(0).padStart(5)}  p99 ${percentile(s.latencies, 99).toFixed(0).padStart(5)}  max ${s.latencies[s.latencies.length - 1].toFixed(0).padStart(5)}  errors ${errs}`,
    );
  }
  all.sort((a, b) => a - b);
  const total = all.length;
  const errors = [...errorsByCode.values()].reduce((a, b) => a + b, 0);
  console.log(`\n${total} operations in ${elapsed.toFixed(0)} s: ${(total / elapsed).toFixed(1)} operations/s`);
  console.log(`latency (ms): p50 ${percentile(all, 50).toFixed(0)}  p90 ${percentile(all, 90).toFixed(0)}  p99 ${percentile(all, 99).toFixed(0)}  max ${all[all.length - 1]?.toFixed(0)}`);
  console.log(rows.join('\n'));
  console.log(`errors: ${errors}${errors ? ` (${[...errorsByCode.entries()].map(([c, n]) => `${c} ${n}`).join(', ')})` : ''}`);
  console.log('\nmemory (RSS MB / heap used MB): before → each 30 s → at the end → 5 s later');
  for (const service of Object.keys(memBefore)) {
    const fmt = (m?: { rssMb: number; heapMb: number } | null) => (m ? `${m.rssMb.toFixed(0)}/${m.heapMb.toFixed(0)}` : 'n/a');
    const during = samples.map((s) => fmt(s.mem[service])).join(' ');
    console.log(`  ${service.padEnd(11)} ${fmt(memBefore[service])} → ${during ? `${during} → ` : ''}${fmt(memAfter[service])} → ${fmt(memSettled[service])}`);
  }
  process.exit(0);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
