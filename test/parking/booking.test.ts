import { adminViewer, residentViewer, staffViewer, startSubgraph, type RunningSubgraph } from '../support/subgraph';
import { createSubgraph } from '../../subgraphs/parking/server';
import { expireParkingReservations } from '../../subgraphs/parking/services/expiry';
import { serviceContext } from '../../shared/subgraph/service';
import { ALL_DAY, CANCEL, FREE, NIGHTS, RESERVE, RESIDENT, WED_20, createModels, errorOf, insertLot, minutes, testPlate } from './helpers';
import type { Models } from '../../subgraphs/parking/models';

let sg: RunningSubgraph;
let models: Models;
const alice = residentViewer('R-T-ALICE');
const bob = residentViewer('R-T-BOB');
const kitA = residentViewer('R-T-KIT-A');
const kitB = residentViewer('R-T-KIT-B');
const local = (iso: string) => new Date(`${iso}+08:00`);

async function free(lotId: string): Promise<number> {
  return (await sg.query(FREE, { id: lotId })).data.parkingLot.freeSpacesNow;
}
const reserve = (viewer: ReturnType<typeof residentViewer>, lotId: string, plate: string, arriveAt: Date, key?: string) =>
  sg.query(RESERVE, { lotId, plate, arriveAt: arriveAt.toISOString(), key }, viewer);

beforeAll(async () => {
  sg = await startSubgraph('parking_booking', createSubgraph, { now: WED_20 });
  models = createModels(sg.db.conn);
  await insertLot(models, 'PL-TB-01', NIGHTS(3));
  await insertLot(models, 'PL-TB-02', ALL_DAY(50));
  await insertLot(models, 'PL-TB-03', ALL_DAY(1));
});
afterAll(() => sg.stop());
beforeEach(() => sg.setNow(WED_20));

describe('reserveParking', () => {
  it('confirms a space with its entry window and takes it from the free count (contract ReserveParking)', async () => {
    const before = await free('PL-TB-01');
    const arriveAt = minutes(WED_20, 30);
    const res = await reserve(alice, 'PL-TB-01', '粤B5K321', arriveAt);
    expect(res.errors).toBeUndefined();
    const r = res.data.reserveParking;
    expect(r).toMatchObject({
      status: 'CONFIRMED',
      plate: '粤B5K321',
      walkIn: false,
      arriveAt: arriveAt.toISOString(),
      entryWindowStart: minutes(arriveAt, -30).toISOString(),
      entryWindowEnd: minutes(arriveAt, 30).toISOString(),
      mustLeaveBy: local('2025-03-13T07:30:00').toISOString(),
      lateCancellation: false,
      createdAt: WED_20.toISOString(),
      resident: { id: 'R-T-ALICE' },
    });
    expect(r.lot).toEqual({ id: 'PL-TB-01', freeSpacesNow: before - 1 });
    expect(await free('PL-TB-01')).toBe(before - 1);
    // Tidy up so later tests start from the full lot.
    expect((await sg.query(CANCEL, { id: r.id }, alice)).data.cancelParkingReservation.lot.freeSpacesNow).toBe(before);
  });

  it('refuses the same idempotency key with other input (IDEMPOTENCY_KEY_REUSED) and books nothing', async () => {
    const first = await reserve(kitA, 'PL-TB-02', testPlate(70), minutes(WED_20, 10), 'reuse-key-0001');
    expect(first.errors).toBeUndefined();
    const other = await reserve(kitA, 'PL-TB-02', testPlate(70), minutes(WED_20, 40), 'reuse-key-0001');
    expect(other.errors?.[0].extensions).toMatchObject({ code: 'IDEMPOTENCY_KEY_REUSED', field: 'idempotencyKey' });
    expect(other.data?.reserveParking ?? null).toBeNull();
    expect(await models.Reservation.countDocuments({ idempotencyKey: 'reuse-key-0001' })).toBe(1);
    await sg.query(CANCEL, { id: first.data.reserveParking.id }, kitA);
  });

  it('stores the booking and answers it when the pub/sub is down (the event is logged, not thrown)', async () => {
    const publish = sg.pubsub.publish;
    sg.pubsub.publish = async () => {
      throw new Error('redis is down');
    };
    try {
      const res = await reserve(kitB, 'PL-TB-02', testPlate(80), minutes(WED_20, 10));
      expect(res.errors).toBeUndefined();
      expect(await models.Reservation.countDocuments({ _id: res.data.reserveParking.id })).toBe(1);
      await sg.query(CANCEL, { id: res.data.reserveParking.id }, kitB);
    } finally {
      sg.pubsub.publish = publish;
    }
  });

  it('refuses a DateTime that is not RFC 3339 with an offset', async () => {
    for (const arriveAt of ['12/01/2026 08:38:10 UTC', '2026']) {
      const res = await sg.query(RESERVE, { lotId: 'PL-TB-02', plate: testPlate(90), arriveAt }, kitB);
      expect(res.errors?.[0].extensions?.field).toBe('arriveAt');
      expect(res.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    }
  });

  it('returns the first booking when retried with the same idempotency key', async () => {
    const first = await reserve(bob, 'PL-TB-02', testPlate(1), minutes(WED_20, 10), 'retry-key-0001');
    const again = await reserve(bob, 'PL-TB-02', testPlate(1), minutes(WED_20, 10), 'retry-key-0001');
    expect(again.data.reserveParking.id).toBe(first.data.reserveParking.id);
    expect(again.data.reserveParking.lot.freeSpacesNow).toBe(49);
    expect(await models.Reservation.countDocuments({ idempotencyKey: 'retry-key-0001' })).toBe(1);
    await sg.query(CANCEL, { id: first.data.reserveParking.id }, bob);
  });

  it('refuses bad input naming the field, and changes nothing', async () => {
    const count = await models.Reservation.countDocuments();
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ lotId: 'PL-TB-01', plate: 'not-a-plate', arriveAt: WED_20.toISOString() }, 'plate'],
      [{ lotId: 'PL-TB-01', plate: testPlate(2), arriveAt: 'tomorrow' }, 'arriveAt'],
      [{ lotId: 'PL TB 01', plate: testPlate(2), arriveAt: WED_20.toISOString() }, 'lotId'],
      [{ lotId: 'PL-TB-01', plate: testPlate(2), arriveAt: WED_20.toISOString(), key: 'x' }, 'idempotencyKey'],
      // More than an hour ahead, in the past, and outside the windows (the lot is closed at noon).
      [{ lotId: 'PL-TB-01', plate: testPlate(2), arriveAt: minutes(WED_20, 61).toISOString() }, 'arriveAt'],
      [{ lotId: 'PL-TB-01', plate: testPlate(2), arriveAt: minutes(WED_20, -5).toISOString() }, 'arriveAt'],
    ];
    for (const [vars, field] of cases) {
      expect(errorOf(await sg.query(RESERVE, vars, alice))).toEqual({ code: 'BAD_USER_INPUT', field });
    }
    sg.setNow(local('2025-03-12T11:00:00'));
    const closed = await reserve(alice, 'PL-TB-01', testPlate(2), local('2025-03-12T11:30:00'));
    expect(errorOf(closed)).toEqual({ code: 'BAD_USER_INPUT', field: 'arriveAt' });
    expect(closed.errors![0].extensions!.reason).toBe('the lot shares no spaces at that time');
    expect(await models.Reservation.countDocuments()).toBe(count);
    sg.setNow(WED_20);
    expect(await free('PL-TB-01')).toBe(3);
  });

  it('answers NOT_FOUND, UNAUTHENTICATED and FORBIDDEN for an unknown lot, no sign-in and non-residents', async () => {
    expect(errorOf(await reserve(alice, 'PL-TB-99', testPlate(3), WED_20))).toEqual({ code: 'NOT_FOUND' });
    expect(errorOf(await sg.query(RESERVE, { lotId: 'PL-TB-01', plate: testPlate(3), arriveAt: WED_20.toISOString() }))).toEqual({ code: 'UNAUTHENTICATED' });
    expect(errorOf(await sg.query(RESERVE, { lotId: 'PL-TB-01', plate: testPlate(3), arriveAt: WED_20.toISOString() }, staffViewer('LH-URBAN')))).toEqual({ code: 'FORBIDDEN' });
  });

  it('allows one active booking per plate, refuses a plate registered to someone else and a full window', async () => {
    const carol = residentViewer('R-T-CAROL');
    const first = await reserve(carol, 'PL-TB-03', testPlate(4), minutes(WED_20, 20));
    expect(first.data.reserveParking.lot.freeSpacesNow).toBe(0);
    expect(errorOf(await reserve(carol, 'PL-TB-02', testPlate(4), minutes(WED_20, 20)))).toEqual({ code: 'CONFLICT' });
    // PL-TB-03 releases one space, now taken.
    const dave = residentViewer('R-T-DAVE');
    const full = await reserve(dave, 'PL-TB-03', testPlate(5), minutes(WED_20, 20));
    expect(errorOf(full)).toEqual({ code: 'CONFLICT' });
    await sg.query('mutation { registerParkingVehicle(plate: "粤B10006") { plate } }', {}, dave);
    expect(errorOf(await reserve(carol, 'PL-TB-02', testPlate(6), minutes(WED_20, 20)))).toEqual({ code: 'FORBIDDEN' });
    await sg.query(CANCEL, { id: first.data.reserveParking.id }, carol);
    expect(await free('PL-TB-03')).toBe(1);
  });

  it('allows at most 2 bookings a day, cancelled ones included', async () => {
    const erin = residentViewer('R-T-ERIN');
    const a = await reserve(erin, 'PL-TB-02', testPlate(7), minutes(WED_20, 5));
    await sg.query(CANCEL, { id: a.data.reserveParking.id }, erin);
    const b = await reserve(erin, 'PL-TB-02', testPlate(7), minutes(WED_20, 5));
    expect(b.data.reserveParking.status).toBe('CONFIRMED');
    const before = await free('PL-TB-02');
    const third = await reserve(erin, 'PL-TB-02', testPlate(8), minutes(WED_20, 5));
    expect(errorOf(third)).toEqual({ code: 'FORBIDDEN' });
    expect(third.errors![0].message).toContain('At most 2');
    expect(await free('PL-TB-02')).toBe(before);
    // The next Shenzhen day (midnight local = 16:00Z) the limit starts again.
    await sg.query(CANCEL, { id: b.data.reserveParking.id }, erin);
    sg.setNow(local('2025-03-13T00:05:00'));
    expect((await reserve(erin, 'PL-TB-02', testPlate(8), local('2025-03-13T00:30:00'))).data.reserveParking.status).toBe('CONFIRMED');
  });
});

describe('cancelParkingReservation', () => {
  it('is free before the entry window and gives the space back', async () => {
    const r = (await reserve(alice, 'PL-TB-01', testPlate(10), minutes(WED_20, 45))).data.reserveParking;
    sg.setNow(minutes(WED_20, 14)); // the window opens at +15
    const c = (await sg.query(CANCEL, { id: r.id }, alice)).data.cancelParkingReservation;
    expect(c).toMatchObject({ status: 'CANCELLED', lateCancellation: false, cancelledAt: minutes(WED_20, 14).toISOString() });
    expect(c.lot.freeSpacesNow).toBe(3);
  });

  it('is late inside the entry window, refused after it, and only for CONFIRMED bookings', async () => {
    const kim = residentViewer('R-T-KIM');
    const r = (await reserve(kim, 'PL-TB-01', testPlate(11), minutes(WED_20, 40))).data.reserveParking;
    sg.setNow(minutes(WED_20, 10)); // window opened at +10
    const c = await sg.query(CANCEL, { id: r.id }, kim);
    expect(c.data.cancelParkingReservation).toMatchObject({ status: 'CANCELLED', lateCancellation: true });
    expect(errorOf(await sg.query(CANCEL, { id: r.id }, kim))).toEqual({ code: 'CONFLICT' });

    sg.setNow(local('2025-03-13T20:00:00'));
    const late = (await reserve(kim, 'PL-TB-01', testPlate(11), local('2025-03-13T20:10:00'))).data.reserveParking;
    sg.setNow(local('2025-03-13T20:40:00')); // window ended at 20:40
    expect(errorOf(await sg.query(CANCEL, { id: late.id }, kim))).toEqual({ code: 'CONFLICT' });
    expect((await models.Reservation.findById(late.id).lean())!.status).toBe('CONFIRMED');
  });

  it("refuses someone else's booking, an unknown id and a malformed id; an admin may cancel", async () => {
    const r = (await reserve(bob, 'PL-TB-02', testPlate(12), minutes(WED_20, 50))).data.reserveParking;
    expect(errorOf(await sg.query(CANCEL, { id: r.id }, alice))).toEqual({ code: 'FORBIDDEN' });
    expect(errorOf(await sg.query(CANCEL, { id: r.id }))).toEqual({ code: 'UNAUTHENTICATED' });
    expect(errorOf(await sg.query(CANCEL, { id: '650000000000000000000999' }, alice))).toEqual({ code: 'NOT_FOUND' });
    expect(errorOf(await sg.query(CANCEL, { id: 'nope' }, alice))).toEqual({ code: 'BAD_USER_INPUT', field: 'id' });
    expect((await models.Reservation.findById(r.id).lean())!.status).toBe('CONFIRMED');
    expect((await sg.query(CANCEL, { id: r.id }, adminViewer)).data.cancelParkingReservation.status).toBe('CANCELLED');
  });
});

describe('no-shows and the monthly block', () => {
  it('expires bookings with no entry by the end of the window, once, giving the space back', async () => {
    const frank = residentViewer('R-T-FRANK');
    const r = (await reserve(frank, 'PL-TB-01', testPlate(20), minutes(WED_20, 30))).data.reserveParking;
    expect(await free('PL-TB-01')).toBe(2);
    expect(await expireParkingReservations(serviceContext({ models, pubsub: sg.pubsub, clock: () => minutes(WED_20, 59) }))).toBe(0);
    const [a, b] = await Promise.all([
      expireParkingReservations(serviceContext({ models, pubsub: sg.pubsub, clock: () => minutes(WED_20, 60) })),
      expireParkingReservations(serviceContext({ models, pubsub: sg.pubsub, clock: () => minutes(WED_20, 60) })),
    ]);
    expect(a + b).toBe(1);
    expect((await models.Reservation.findById(r.id).lean())!.status).toBe('NO_SHOW');
    expect(await free('PL-TB-01')).toBe(3);
  });

  it('blocks booking for the rest of the month after 3 no-shows', async () => {
    const gina = residentViewer('R-T-GINA');
    // Earlier tests' bookings that nobody entered expire first, so each run below counts only Gina's.
    await expireParkingReservations(serviceContext({ models, pubsub: sg.pubsub, clock: () => local('2025-03-17T19:00:00') }));
    for (const day of ['2025-03-17', '2025-03-18', '2025-03-19']) {
      const now = local(`${day}T20:00:00`);
      sg.setNow(now);
      const res = await reserve(gina, 'PL-TB-02', testPlate(21), minutes(now, 10));
      expect(res.data.reserveParking.status).toBe('CONFIRMED');
      expect(await expireParkingReservations(serviceContext({ models, pubsub: sg.pubsub, clock: () => minutes(now, 41) }))).toBe(1);
    }
    sg.setNow(local('2025-03-20T20:00:00'));
    const status = (await sg.query(RESIDENT, { id: 'R-T-GINA' }, gina)).data._entities[0].parkingBookingStatus;
    expect(status).toMatchObject({ noShowsThisMonth: 3, blocked: true, blockedUntil: local('2025-04-01T00:00:00').toISOString() });
    const count = await models.Reservation.countDocuments({ residentId: 'R-T-GINA' });
    const refused = await reserve(gina, 'PL-TB-02', testPlate(21), local('2025-03-20T20:10:00'));
    expect(errorOf(refused)).toEqual({ code: 'FORBIDDEN' });
    expect(refused.errors![0].message).toContain('3 no-shows');
    expect(await models.Reservation.countDocuments({ residentId: 'R-T-GINA' })).toBe(count);
    // April starts a clean month.
    sg.setNow(local('2025-04-01T09:00:00'));
    expect((await reserve(gina, 'PL-TB-02', testPlate(21), local('2025-04-01T09:10:00'))).data.reserveParking.status).toBe('CONFIRMED');
  });

  it('blocks booking after 3 late cancellations', async () => {
    const hank = residentViewer('R-T-HANK');
    for (const day of ['2025-03-03', '2025-03-04', '2025-03-05']) {
      const now = local(`${day}T20:00:00`);
      sg.setNow(now);
      const r = (await reserve(hank, 'PL-TB-02', testPlate(22), minutes(now, 20))).data.reserveParking;
      sg.setNow(minutes(now, 5));
      expect((await sg.query(CANCEL, { id: r.id }, hank)).data.cancelParkingReservation.lateCancellation).toBe(true);
    }
    sg.setNow(local('2025-03-06T20:00:00'));
    const refused = await reserve(hank, 'PL-TB-02', testPlate(22), local('2025-03-06T20:10:00'));
    expect(errorOf(refused)).toEqual({ code: 'FORBIDDEN' });
    expect(refused.errors![0].message).toContain('late cancellations');
  });
});

describe("a resident's parking fields", () => {
  it('shows the resident their bookings, vehicles and standing; FORBIDDEN for others, allowed for admins', async () => {
    const ivy = residentViewer('R-T-IVY');
    await sg.query('mutation { registerParkingVehicle(plate: "粤B10030") { id } }', {}, ivy);
    const r = (await reserve(ivy, 'PL-TB-02', testPlate(30), minutes(WED_20, 30))).data.reserveParking;
    const mine = (await sg.query(RESIDENT, { id: 'R-T-IVY', upcoming: true }, ivy)).data._entities[0];
    expect(mine.parkingReservations).toEqual([{ id: r.id, status: 'CONFIRMED', plate: testPlate(30), lot: { id: 'PL-TB-02' } }]);
    expect(mine.vehicles.map((v: any) => v.plate)).toEqual([testPlate(30)]);
    expect(mine.parkingBookingStatus).toMatchObject({ bookingsToday: 1, bookingsLeftToday: 1, blocked: false, blockedUntil: null });

    sg.setNow(minutes(WED_20, 61)); // the entry window is over: no longer upcoming
    expect((await sg.query(RESIDENT, { id: 'R-T-IVY', upcoming: true }, ivy)).data._entities[0].parkingReservations).toEqual([]);
    expect((await sg.query(RESIDENT, { id: 'R-T-IVY', upcoming: false }, ivy)).data._entities[0].parkingReservations).toHaveLength(1);

    const other = await sg.query(RESIDENT, { id: 'R-T-IVY' }, alice);
    expect(errorOf(other)).toEqual({ code: 'FORBIDDEN' });
    expect(errorOf(await sg.query(RESIDENT, { id: 'R-T-IVY' }))).toEqual({ code: 'UNAUTHENTICATED' });
    expect((await sg.query(RESIDENT, { id: 'R-T-IVY' }, adminViewer)).data._entities[0].vehicles).toHaveLength(1);
  });

  it('shows a booking to its resident with the full plate, masked to staff, and not to other residents', async () => {
    const jack = residentViewer('R-T-JACK');
    const r = (await reserve(jack, 'PL-TB-02', '粤B88K45', minutes(WED_20, 30))).data.reserveParking;
    const q = 'query ($id: ID!) { parkingReservation(id: $id) { id plate status resident { id } } }';
    expect((await sg.query(q, { id: r.id }, jack)).data.parkingReservation.plate).toBe('粤B88K45');
    expect((await sg.query(q, { id: r.id }, adminViewer)).data.parkingReservation.plate).toBe('粤B88K45');
    expect((await sg.query(q, { id: r.id }, staffViewer('LH-URBAN'))).data.parkingReservation.plate).toBe('粤B***45');
    expect(errorOf(await sg.query(q, { id: r.id }, alice))).toEqual({ code: 'FORBIDDEN' });
    expect(errorOf(await sg.query(q, { id: r.id }))).toEqual({ code: 'UNAUTHENTICATED' });
    expect((await sg.query(q, { id: '650000000000000000000999' }, jack)).data.parkingReservation).toBeNull();
  });
});
