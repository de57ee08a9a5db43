/**
 * Real processes, data faults: every acknowledged submission survives a kill -9 of its subgraph
 * right after the answer; retries after a client-side timeout never create a second record; the
 * database going away answers SERVICE_UNAVAILABLE fast, keeps the processes up, and everything
 * works again when it is back, without restarts.
 */
import { SHUIBEI } from '../../shared/dev/demo';
import type { SubgraphName } from '../../shared/subgraph/subgraph-deps';
import { addDays, localDateString } from '../../shared/subgraph/time';
import { ALL_DAY, createModels, insertLot, testPlate } from '../parking/helpers';
import { FaultGraph, OPS, codesOf, sleep, waitFor, type GraphQLAnswer } from './harness';

jest.setTimeout(150_000);

const MONGODB_TIMEOUT_MS = 1000;
/** Slack for a loaded 2-core machine on top of the database timeout. */
const MARGIN_MS = 2500;
const LOT = 'PL-FT-01';

let graph: FaultGraph;
let shiftId: string;
let seq = 0;

/** Where each kind of submission is stored, and how to send one for a fresh resident. */
interface Kind {
  name: string;
  subgraph: SubgraphName;
  collection: string;
  /** Sends one submission with `key` as the resident `residentId`; resolves with the answer and its id. */
  send(residentId: string, key: string, signal?: AbortSignal): Promise<{ answer: GraphQLAnswer; id?: string }>;
  /** A query through the gateway that only this subgraph answers. */
  probe: string;
  /** Done once per resident before sending (registering as a volunteer). */
  prepare?(residentId: string): Promise<void>;
}

const idOf = (answer: GraphQLAnswer, field: string): string | undefined => answer.data?.[field]?.id;

const kinds: Kind[] = [
  {
    name: 'submitRequest',
    subgraph: 'requests',
    collection: 'requests',
    probe: '{ communities { code } }',
    async send(residentId, key, signal) {
      const answer = await graph.query(
        OPS.submitRequest,
        { input: { title: `楼道灯不亮 ${key}`, description: '三楼楼道灯坏了一周，晚上上下楼很不方便，请尽快维修。', channel: 'WECHAT', communityCode: SHUIBEI, idempotencyKey: key } },
        graph.residentToken(residentId),
        { signal },
      );
      return { answer, id: idOf(answer, 'submitRequest') };
    },
  },
  {
    name: 'reserveParking',
    subgraph: 'parking',
    collection: 'parking_reservations',
    probe: `{ parkingLot(id: "${LOT}") { id } }`,
    async send(residentId, key, signal) {
      // A retry is the same request: the same arrival time under the same key (another input
      // under a used key is IDEMPOTENCY_KEY_REUSED).
      if (!arrivals.has(key)) arrivals.set(key, new Date(Date.now() + 20 * 60000).toISOString());
      const arriveAt = arrivals.get(key)!;
      const answer = await graph.query(OPS.reserveParking, { lotId: LOT, plate: testPlate(Number(residentId.replace(/\D/g, ''))), arriveAt, key }, graph.residentToken(residentId), { signal });
      return { answer, id: idOf(answer, 'reserveParking') };
    },
  },
  {
    name: 'applyForHostel',
    subgraph: 'hostels',
    collection: 'hostel_stays',
    probe: '{ hostel(id: "HS-01") { id } }',
    async send(residentId, key, signal) {
      const today = localDateString(new Date());
      const graduationDate = localDateString(addDays(new Date(), -180));
      const hostelId = `HS-${String((Number(residentId.replace(/\D/g, '')) % 15) + 1).padStart(2, '0')}`;
      const answer = await graph.query(
        OPS.applyForHostel,
        { input: { hostelId, checkInDate: today, nights: 1, graduationDate, school: '深圳大学', idempotencyKey: key } },
        graph.residentToken(residentId),
        { signal },
      );
      return { answer, id: idOf(answer, 'applyForHostel') };
    },
  },
  {
    name: 'signUpForShift',
    subgraph: 'volunteers',
    collection: 'volunteer_sign_ups',
    probe: '{ volunteerStations { id } }',
    async prepare(residentId) {
      const a = await graph.query(OPS.registerVolunteer, {}, graph.residentToken(residentId));
      if (a.errors) throw new Error(`registerVolunteer: ${JSON.stringify(a.errors[0])}`);
    },
    async send(residentId, key, signal) {
      const answer = await graph.query(OPS.signUpForShift, { shiftId, key }, graph.residentToken(residentId), { signal });
      return { answer, id: idOf(answer, 'signUpForShift') };
    },
  },
];

/** Every acknowledged submission: kind, key, id. Checked after each fault. */
const acknowledged: Array<{ kind: Kind; key: string; id: string }> = [];

async function stored(kind: Kind, key: string): Promise<Array<Record<string, any>>> {
  const db = await graph.db(kind.subgraph);
  return db.conn.db!.collection(kind.collection).find({ idempotencyKey: key }).toArray();
}

async function expectAllAcknowledgedStored(): Promise<void> {
  for (const { kind, key, id } of acknowledged) {
    const docs = await stored(kind, key);
    expect({ kind: kind.name, key, ids: docs.map((d) => String(d._id)) }).toEqual({ kind: kind.name, key, ids: [id] });
  }
}

/** Waits until the gateway answers through the subgraph again (its circuit breaker closed). */
async function gatewaySeesBack(kind: Kind): Promise<void> {
  await waitFor(`the gateway to reach ${kind.subgraph} again`, async () => !(await graph.query(kind.probe)).errors, 20000, 200);
}

/**
 * A retry that arrives while the first attempt with the same key is still being processed must
 * get the first record, not a CONFLICT from a "one at a time" rule the first attempt just took
 * (reserveParking's active plate, applyForHostel's active stay, signUpForShift's one sign-up per
 * shift): each of those paths looks the key up again. Nothing is exempt any more.
 */
const KNOWN_IN_FLIGHT_RETRY_CONFLICT = new Set<string>();

const arrivals = new Map<string, string>();
const freshResident = () => `R-FT-${String(100 + seq++)}`;

beforeAll(async () => {
  graph = await FaultGraph.start({
    env: { MONGODB_TIMEOUT_MS: String(MONGODB_TIMEOUT_MS) },
    // Longer than the database timeout, so the subgraphs' own SERVICE_UNAVAILABLE reaches the client.
    gatewayEnv: { SUBGRAPH_TIMEOUT_MS: '8000' },
  });
  // The fresh residents exist in the real-name registry (verified, as hostels ask), as a desk
  // clerk would have left them: the other subgraphs refuse residents they cannot find there.
  const requests = await graph.db('requests');
  await requests.conn.collection('residents').insertMany(
    Array.from({ length: 2000 }, (_, i) => ({
      _id: `R-FT-${100 + i}`, name: `测试居民${i}`, phone: '13800000000', homeCommunityCode: '440303003001',
      realNameVerified: true, registeredAt: new Date(), verifiedAt: new Date(), verifiedBy: 'fault-tests',
    })) as never[],
  );
  // A lot shared all day, so bookings work whatever the time of the run.
  const parkingDb = await graph.db('parking');
  await insertLot(createModels(parkingDb.conn), LOT, ALL_DAY(200));
  const volunteersDb = await graph.db('volunteers');
  const shift = await volunteersDb.conn.db!.collection('volunteer_shifts').find({ startsAt: { $gt: new Date(Date.now() + 3600_000) } }).sort({ startsAt: 1 }).limit(1).next();
  shiftId = String(shift!._id);
}, 150_000);

afterAll(async () => {
  await graph?.stop();
});

it('(d) durability: every acknowledged submission is in the database after a kill -9 of its subgraph right after the answer', async () => {
  const summary: string[] = [];
  for (const kind of kinds) {
    const proc = graph.get(kind.subgraph);
    const residents = Array.from({ length: 6 }, freshResident);
    for (const r of residents) await kind.prepare?.(r);
    let kill: Promise<void> | undefined;
    const acks: string[] = [];
    let refused = 0;
    // A staggered burst; the third acknowledgement kills the subgraph (SIGKILL, sent synchronously
    // as the answer arrives), with the rest of the burst in flight.
    await Promise.all(
      residents.map(async (r, i) => {
        await sleep(i * 25);
        const key = `durable-${kind.name}-${r}`;
        const { answer, id } = await kind.send(r, key);
        if (id) {
          acknowledged.push({ kind, key, id });
          acks.push(id);
          if (acks.length >= 3) kill ??= proc.kill();
        } else {
          refused += 1;
          // Not acknowledged: only an outage code, never a wrong answer.
          expect(codesOf(answer).every((c) => ['SUBGRAPH_UNAVAILABLE', 'SUBGRAPH_TIMEOUT'].includes(c))).toBe(true);
        }
      }),
    );
    expect(acks.length).toBeGreaterThanOrEqual(3);
    await kill;
    await proc.start();
    await gatewaySeesBack(kind);
    summary.push(`${kind.name}: ${acks.length} acknowledged, ${refused} refused while down`);
  }
  await expectAllAcknowledgedStored();
  console.log(`(d) kill -9 right after the third acknowledgement:\n  ${summary.join('\n  ')}`);
});

it('(f) idempotency: a retry with the same key after a client-side timeout never creates a second record', async () => {
  const summary: string[] = [];
  for (const kind of kinds) {
    const r = freshResident();
    await kind.prepare?.(r);
    const key = `retry-${kind.name}-${r}`;
    // The client gives up before the answer (as a timeout would)…
    const controller = new AbortController();
    const first = kind.send(r, key, controller.signal);
    await sleep(30);
    controller.abort();
    expect((await first).answer.errors?.[0]?.extensions?.code).toBe('CLIENT_ERROR');
    // …and retries at once, while the abandoned attempt may still be running in the subgraph.
    const racing = await kind.send(r, key);
    let raced = 'returned the first record';
    if (racing.answer.errors) {
      const code = racing.answer.errors[0].extensions?.code;
      expect({ kind: kind.name, code, known: KNOWN_IN_FLIGHT_RETRY_CONFLICT.has(kind.name) }).toEqual({ kind: kind.name, code: 'CONFLICT', known: true });
      raced = `answered CONFLICT (${racing.answer.errors[0].message})`;
    }
    // Once the first attempt has settled, every retry (one, then three at once) returns the one record.
    const retry = await waitFor(`${kind.name} retry to return the first record`, async () => {
      const x = await kind.send(r, key);
      return x.answer.errors ? undefined : x;
    }, 15000, 200);
    if (!racing.answer.errors) expect(racing.id).toBe(retry.id);
    const concurrent = await Promise.all([kind.send(r, key), kind.send(r, key), kind.send(r, key)]);
    for (const { answer, id } of concurrent) {
      expect({ kind: kind.name, errors: answer.errors, id }).toEqual({ kind: kind.name, errors: undefined, id: retry.id });
    }
    const ids = new Set([retry.id]);
    summary.push(`${kind.name}: retry racing the abandoned attempt ${raced}; later retries all returned ${retry.id}`);
    // Whatever the abandoned first attempt did, there is exactly one record, the one the retries return.
    await sleep(500);
    const docs = await stored(kind, key);
    expect({ kind: kind.name, ids: docs.map((d) => String(d._id)) }).toEqual({ kind: kind.name, ids: [...ids] });
    acknowledged.push({ kind, key, id: [...ids][0]! });
  }
  console.log(`(f) retries after an abandoned attempt, exactly one record each:\n  ${summary.join('\n  ')}`);
});

it('(c) the database goes away: SERVICE_UNAVAILABLE fast, processes stay up, everything works again when it is back', async () => {
  const pids = [...graph.processes.values()].map((p) => [p.name, p.pid, p.exits.length]);
  const dashboard = () => graph.query(OPS.dashboard, { code: SHUIBEI });
  await waitFor('a healthy dashboard', async () => !(await dashboard()).errors);

  await graph.stopDatabase();
  const outage: Array<{ what: string; answer: GraphQLAnswer }> = [];
  const outageKeys: Array<{ kind: Kind; key: string; resident: string }> = [];
  for (let round = 0; round < 2; round++) {
    for (const kind of kinds.filter((k) => !k.prepare)) {
      const resident = freshResident();
      const key = `outage-${kind.name}-${resident}`;
      outageKeys.push({ kind, key, resident });
      outage.push({ what: kind.name, answer: (await kind.send(resident, key)).answer });
    }
    outage.push({ what: 'CommunityDashboard', answer: await dashboard() });
    outage.push({ what: 'MyCity', answer: await graph.query(OPS.myCity, {}, graph.residentToken('R-DEMO-0001')) });
  }
  for (const { what, answer } of outage) {
    // A write that first asks another subgraph (whether its resident is registered) is told that
    // subgraph cannot confirm it (SUBGRAPH_UNAVAILABLE): the same "try again shortly", nothing stored.
    const codes = codesOf(answer);
    const unavailable = codes.includes('SERVICE_UNAVAILABLE') || codes.includes('SUBGRAPH_UNAVAILABLE');
    expect({ what, status: answer.status, unavailable }).toEqual({ what, status: 200, unavailable: true });
    expect({ what, codes: codes.filter((c) => c !== 'SERVICE_UNAVAILABLE' && c !== 'SUBGRAPH_UNAVAILABLE') }).toEqual({ what, codes: [] });
    expect({ what, fast: answer.ms < MONGODB_TIMEOUT_MS + MARGIN_MS }).toEqual({ what, fast: true });
  }
  // Every process is still up; liveness says so, readiness says the database is missing.
  for (const p of graph.processes.values()) {
    expect({ name: p.name, running: p.running }).toEqual({ name: p.name, running: true });
    expect((await graph.getJson(`${p.url}/health`)).status).toBe(200);
  }
  const subgraphReady = await graph.getJson(`${graph.get('parking').url}/health/ready`);
  expect(subgraphReady).toEqual({ status: 503, body: { status: 'not ready', subgraph: 'parking', reason: 'database unavailable' } });

  await graph.startDatabase();
  const backAt = Date.now();
  await waitFor(
    'every operation to work again',
    async () => {
      const answers = [await dashboard(), await graph.query(OPS.myCity, {}, graph.residentToken('R-DEMO-0001'))];
      return answers.every((a) => !a.errors);
    },
    30000,
    250,
  );
  const recoveredIn = Date.now() - backAt;
  // Nothing written during the outage; the same submissions now go through, once.
  for (const { kind, key, resident } of outageKeys) {
    expect(await stored(kind, key)).toEqual([]);
    const { answer, id } = await kind.send(resident, key);
    expect(answer.errors).toBeUndefined();
    acknowledged.push({ kind, key, id: id! });
  }
  // No process was restarted.
  expect([...graph.processes.values()].map((p) => [p.name, p.pid, p.exits.length])).toEqual(pids);
  // And everything acknowledged before (and across) the outage is still there.
  await expectAllAcknowledgedStored();
  const slowest = Math.max(...outage.map((o) => o.answer.ms));
  console.log(`(c) database down: ${outage.length} answers, all SERVICE_UNAVAILABLE or SUBGRAPH_UNAVAILABLE, slowest ${slowest} ms; working again ${recoveredIn} ms after it was back; ${acknowledged.length} acknowledged submissions all stored`);
});
