/**
 * Scheduled rules with two replicas of the parking subgraph, scheduler on, one database: every due
 * booking becomes a no-show exactly once, whichever replica claims it, and bookings that became
 * due while every replica was down are processed as soon as the replicas start.
 */
import { Types } from 'mongoose';
import { ALL_DAY, createModels, insertLot } from '../parking/helpers';
import { FaultGraph, waitFor, type ManagedProcess } from './harness';

jest.setTimeout(120_000);

const LOT = 'PL-SCHED-01';
/** Large enough that one run lasts longer than the spread of the two replicas' first runs, so they race. */
const BATCH = 400;

let graph: FaultGraph;
let replicas: ManagedProcess[] = [];

beforeAll(async () => {
  // No gateway, no subgraph yet: the replicas are started by the tests.
  graph = await FaultGraph.start({ subgraphs: [], gateway: false, seed: false, env: { LOG_LEVEL: 'info' } });
  await insertLot(createModels((await graph.db('parking')).conn), LOT, ALL_DAY(500));
}, 60_000);

afterAll(async () => {
  await graph?.stop();
});

/** Inserts `n` CONFIRMED bookings whose entry window ended a while ago (due for the no-show rule). */
async function insertDueBookings(label: string, n: number): Promise<Types.ObjectId[]> {
  const models = createModels((await graph.db('parking')).conn);
  const now = Date.now();
  const docs = Array.from({ length: n }, (_, i) => {
    const end = new Date(now - 60_000 - i * 1000);
    return {
      _id: new Types.ObjectId(),
      lotId: LOT,
      residentId: `R-SCHED-${label}-${i}`,
      plate: `粤B${label}${String(i).padStart(3, '0')}`,
      walkIn: false,
      status: 'CONFIRMED',
      arriveAt: new Date(end.getTime() - 30 * 60000),
      entryWindowStart: new Date(end.getTime() - 60 * 60000),
      entryWindowEnd: end,
      mustLeaveBy: new Date(end.getTime() + 6 * 3600_000),
      windowId: LOT,
      spaceId: `${LOT}:sched:${label}:${i}`,
      lateCancellation: false,
      createdAt: new Date(end.getTime() - 2 * 3600_000),
      updatedAt: new Date(end.getTime() - 2 * 3600_000),
    };
  });
  await models.Reservation.collection.insertMany(docs);
  return docs.map((d) => d._id);
}

/** How many bookings each replica reported handling, from its JSON logs. */
function handledByLogs(p: ManagedProcess): number {
  let total = 0;
  for (const line of p.output) {
    if (!line.startsWith('{')) continue;
    try {
      const entry = JSON.parse(line) as { msg?: string; job?: string; handled?: number };
      if (entry.msg === 'scheduled rule ran' && entry.job === 'parking.expire-reservations') total += entry.handled ?? 0;
    } catch {
      /* a line cut at 400 characters */
    }
  }
  return total;
}

async function startReplicas(): Promise<void> {
  for (const p of replicas) p.output = [];
  if (!replicas.length) {
    replicas = await Promise.all([graph.addSubgraph('parking', 'parking-a'), graph.addSubgraph('parking', 'parking-b')]);
  } else {
    await Promise.all(replicas.map((p) => p.start()));
  }
}

async function expectProcessedOnce(ids: Types.ObjectId[]): Promise<{ a: number; b: number }> {
  const db = (await graph.db('parking')).conn.db!;
  await waitFor(
    `${ids.length} no-shows`,
    async () => (await db.collection('parking_reservations').countDocuments({ _id: { $in: ids }, status: 'NO_SHOW' })) === ids.length,
    30000,
    250,
  );
  // One claim per booking, and the replicas together report exactly as many as there were.
  const claims = await db.collection('parking_transitions').find({ reservationId: { $in: ids } }).toArray();
  expect(claims.length).toBe(ids.length);
  expect(new Set(claims.map((c) => String(c._id))).size).toBe(ids.length);
  expect(claims.every((c) => c.action === 'expire')).toBe(true);
  const [a, b] = await waitFor('both replicas to log their runs', () => {
    const counts = replicas.map(handledByLogs);
    return counts[0] + counts[1] >= ids.length ? counts : undefined;
  });
  expect(a + b).toBe(ids.length);
  return { a, b };
}

it('(g) catches up at start: bookings due while no replica ran are processed once by two replicas racing', async () => {
  const ids = await insertDueBookings('A', BATCH);
  await startReplicas();
  const { a, b } = await expectProcessedOnce(ids);
  console.log(`(g) first start: ${BATCH} due bookings, replica a handled ${a}, replica b handled ${b}`);
});

it('(g) after both replicas crash, bookings that fell due meanwhile are processed once at restart, and nothing twice', async () => {
  const db = (await graph.db('parking')).conn.db!;
  await Promise.all(replicas.map((p) => p.kill()));
  const before = await db.collection('parking_transitions').countDocuments({});
  const ids = await insertDueBookings('B', BATCH);
  await startReplicas();
  const { a, b } = await expectProcessedOnce(ids);
  // The first batch was not claimed a second time.
  expect(await db.collection('parking_transitions').countDocuments({})).toBe(before + BATCH);
  console.log(`(g) after a crash of both: ${BATCH} due bookings, replica a handled ${a}, replica b handled ${b}`);
});
