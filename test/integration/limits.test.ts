import type { Viewer } from '../../shared/platform/auth';
import { concurrently, outcomes, startBurstGateway, values } from '../support/concurrently';
import { startGraph, type RunningGraph } from '../support/graph';
import { activeStays, cancelActiveStays, shenzhenDate } from '../support/hostels';
import { arrivalToday } from '../support/arrival';

/*
 * Every per-resident limit, hit by 50 concurrent attempts of one resident through the gateway on
 * FerretDB: the database holds exactly the limit and every other attempt is refused with a clear
 * code. The burst goes through a gateway without per-client fairness limits (startBurstGateway),
 * so it is the subgraph's rule that answers, not RATE_LIMITED.
 */

const N = 50;
let graph: RunningGraph;
let burst: Awaited<ReturnType<typeof startBurstGateway>>;
const resident = (id: string): Viewer => ({ role: 'resident', subject: id, residentId: id });

beforeAll(async () => {
  graph = await startGraph();
  burst = await startBurstGateway(graph);
}, 90_000);
afterAll(async () => {
  await burst?.stop();
  await graph?.stop();
});

const plate = (i: number) => `粤B${String(60000 + i).padStart(5, '0')}`;

it('50 concurrent registerParkingVehicle from one resident leave exactly 3 vehicles', async () => {
  const token = graph.token(resident('R-0003'));
  const mine = async () => (await graph.query('{ me { vehicles { plate } } }', {}, token)).data.me.vehicles as Array<{ plate: string }>;
  const before = (await mine()).length;
  expect(before).toBe(1);
  const REGISTER = 'mutation($plate: String!) { registerParkingVehicle(plate: $plate) { plate } }';
  const answers = values(await concurrently(N, (i) => burst.query(REGISTER, { plate: plate(i) }, token)));
  expect(outcomes(answers, 'registerParkingVehicle')).toEqual({ ok: 3 - before, CONFLICT: N - (3 - before) });
  for (const a of answers.filter((r) => r.errors)) {
    expect(a.errors![0].extensions).toMatchObject({ code: 'CONFLICT', limit: 'VEHICLES_PER_RESIDENT', max: 3, field: 'plate' });
  }
  expect(await graph.subgraphs.parking.db.conn.collection('parking_vehicles').countDocuments({ residentId: 'R-0003' })).toBe(3);
  expect(await mine()).toHaveLength(3);
  // The refused plates hold no slot: the limit's slots are exactly the three registered plates.
  const slots = await graph.subgraphs.parking.db.conn.collection('parking_limit_slots').find({ scope: 'vehicles:R-0003' }).toArray();
  expect(slots.map((s) => s.holder).sort()).toEqual((await mine()).map((v) => v.plate).sort());
}, 60_000);

it('50 concurrent reserveParking from one resident leave the 2 bookings a day', async () => {
  const arriveAt = await arrivalToday(30);
  const token = graph.token(resident('R-0004'));
  const status = await graph.query('{ me { parkingBookingStatus { bookingsLeftToday } } }', {}, token);
  const left = status.data.me.parkingBookingStatus.bookingsLeftToday as number;
  expect(left).toBeGreaterThan(0);
  const RESERVE = 'mutation($lotId: ID!, $plate: String!, $arriveAt: DateTime!) { reserveParking(lotId: $lotId, plate: $plate, arriveAt: $arriveAt) { id } }';
  const answers = values(await concurrently(N, (i) => burst.query(RESERVE, { lotId: 'PL-DX-01', plate: plate(100 + i), arriveAt }, token)));
  expect(outcomes(answers, 'reserveParking')).toEqual({ ok: left, FORBIDDEN: N - left });
  for (const a of answers.filter((r) => r.errors)) expect(a.errors![0].message).toMatch(/At most 2 parking bookings a day/);
  const today = await graph.subgraphs.parking.db.conn
    .collection('parking_reservations')
    .countDocuments({ residentId: 'R-0004', createdAt: { $gte: new Date(Date.now() - 120_000) } });
  expect(today).toBe(left);
  // The limit is the kit's takeSlot: the day's slots are exactly the bookings made (2 a day).
  const slots = await graph.subgraphs.parking.db.conn.collection('parking_limit_slots').find({ scope: { $regex: '^bookings:R-0004:' } }).toArray();
  expect(slots).toHaveLength(2);
  expect((await graph.query('{ me { parkingBookingStatus { bookingsLeftToday } } }', {}, token)).data.me.parkingBookingStatus.bookingsLeftToday).toBe(0);
}, 60_000);


it('50 concurrent applyForHostel from one resident leave one active stay', async () => {
  const token = graph.token(resident('R-0005'));
  // R-0005's seeded reservation is cancelled first, so no active stay is left and 7 nights are.
  await cancelActiveStays(graph, token);
  const APPLY = 'mutation($input: ApplyForHostelInput!) { applyForHostel(input: $input) { id status } }';
  const input = (i: number) => ({ hostelId: 'HS-02', checkInDate: shenzhenDate(1), nights: 2, graduationDate: shenzhenDate(-180), school: '深圳大学', idempotencyKey: `limits-stay-${i}` });
  const db = graph.subgraphs.hostels.db.conn;
  const nightsBefore = await db.collection('hostel_bed_nights').countDocuments({});
  const answers = values(await concurrently(N, (i) => burst.query(APPLY, { input: input(i) }, token)));
  expect(outcomes(answers, 'applyForHostel')).toEqual({ ok: 1, CONFLICT: N - 1 });
  const active = await activeStays(graph, token);
  expect(active).toHaveLength(1);
  expect(await db.collection('hostel_stays').countDocuments({ residentId: 'R-0005', status: { $in: ['RESERVED', 'CHECKED_IN'] } })).toBe(1);
  // The refused applications gave their beds back: only the one stay's two nights are held.
  expect(await db.collection('hostel_bed_nights').countDocuments({})).toBe(nightsBefore + 2);
}, 60_000);
