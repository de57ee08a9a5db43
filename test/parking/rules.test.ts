import { GraphQLError } from 'graphql';
import { BOOKING_RULES, bookingStatus, checkArrival, entryWindow, isLateCancellation } from '../../subgraphs/parking/domain/booking-rules';
import { parkingFee } from '../../subgraphs/parking/domain/pricing';
import { isUpcoming, nextStatus, requireTransition, type ReservationAction } from '../../subgraphs/parking/domain/reservation-status';
import type { ReservationStatus } from '../../subgraphs/parking/models';
import { NIGHTS, WED_20, minutes } from './helpers';

const local = (iso: string) => new Date(`${iso}+08:00`);
const errorOf = (fn: () => unknown) => {
  try {
    fn();
  } catch (err) {
    return (err as GraphQLError).extensions;
  }
  throw new Error('expected an error');
};

describe('arrival time', () => {
  it('accepts now to now + 60 min inside an open window and returns its occurrence', () => {
    expect(checkArrival(NIGHTS(5), WED_20, WED_20).startsAt).toEqual(local('2025-03-12T18:30:00'));
    expect(checkArrival(NIGHTS(5), minutes(WED_20, 60), WED_20).windowId).toBe('W12345-1830-0730');
  });

  it('refuses the past, more than an hour ahead, and times outside every window', () => {
    expect(errorOf(() => checkArrival(NIGHTS(5), minutes(WED_20, -1), WED_20))).toMatchObject({ code: 'BAD_USER_INPUT', field: 'arriveAt', reason: 'is in the past' });
    expect(errorOf(() => checkArrival(NIGHTS(5), minutes(WED_20, 61), WED_20)).field).toBe('arriveAt');
    const noon = local('2025-03-12T12:00:00');
    expect(errorOf(() => checkArrival(NIGHTS(5), minutes(noon, 30), noon)).reason).toBe('the lot shares no spaces at that time');
    // 07:10 with arrival at 07:40: the night window has closed by then.
    const morning = local('2025-03-13T07:10:00');
    expect(errorOf(() => checkArrival(NIGHTS(5), minutes(morning, 30), morning)).field).toBe('arriveAt');
  });

  it('the entry window is ± 30 minutes; cancelling from its start is late', () => {
    const w = entryWindow(WED_20);
    expect(w.start).toEqual(minutes(WED_20, -30));
    expect(w.end).toEqual(minutes(WED_20, 30));
    expect(isLateCancellation(w.start, minutes(w.start, -1))).toBe(false);
    expect(isLateCancellation(w.start, w.start)).toBe(true);
  });
});

describe('booking limits', () => {
  const noShow = (end: Date) => ({ status: 'NO_SHOW' as const, createdAt: minutes(end, -90), entryWindowEnd: end });
  const late = (at: Date) => ({ status: 'CANCELLED' as const, createdAt: minutes(at, -20), cancelledAt: at, lateCancellation: true });

  it('3 no-shows in the month block booking until the next month starts (Shenzhen calendar)', () => {
    const s = bookingStatus([noShow(local('2025-03-01T00:10:00')), noShow(local('2025-03-05T21:00:00')), noShow(local('2025-03-11T21:00:00'))], WED_20);
    expect(s).toMatchObject({ noShowsThisMonth: 3, blocked: true, blockedUntil: local('2025-04-01T00:00:00') });
    expect(s.blockedReason).toContain('3 no-shows');
  });

  it('no-shows of the previous month do not count (the month turns at local midnight)', () => {
    // 28 Feb 23:50 local is 15:50Z: still February in Shenzhen although March has not begun in UTC either.
    const s = bookingStatus([noShow(local('2025-02-28T23:50:00')), noShow(local('2025-03-05T21:00:00')), noShow(local('2025-03-11T21:00:00'))], WED_20);
    expect(s).toMatchObject({ noShowsThisMonth: 2, blocked: false, blockedUntil: null });
  });

  it('3 late cancellations block; free cancellations do not', () => {
    const free = { status: 'CANCELLED' as const, createdAt: local('2025-03-10T20:00:00'), cancelledAt: local('2025-03-10T20:05:00'), lateCancellation: false };
    expect(bookingStatus([late(local('2025-03-02T20:00:00')), late(local('2025-03-03T20:00:00')), free], WED_20).blocked).toBe(false);
    const s = bookingStatus([late(local('2025-03-02T20:00:00')), late(local('2025-03-03T20:00:00')), late(local('2025-03-10T20:00:00'))], WED_20);
    expect(s).toMatchObject({ lateCancellationsThisMonth: 3, blocked: true });
    expect(s.blockedReason).toContain('late cancellations');
  });

  it(`counts bookings made today (cancelled included) against the limit of ${BOOKING_RULES.maxBookingsPerDay}`, () => {
    const today = { status: 'CANCELLED' as const, createdAt: local('2025-03-12T08:00:00') };
    const yesterday = { status: 'COMPLETED' as const, createdAt: local('2025-03-11T23:59:00') };
    expect(bookingStatus([today, yesterday], WED_20)).toMatchObject({ bookingsToday: 1, bookingsLeftToday: 1 });
    expect(bookingStatus([today, { ...today }], WED_20)).toMatchObject({ bookingsToday: 2, bookingsLeftToday: 0, blocked: false });
  });
});

describe('reservation state machine', () => {
  const statuses: ReservationStatus[] = ['CONFIRMED', 'CHECKED_IN', 'COMPLETED', 'CANCELLED', 'NO_SHOW'];
  const actions: ReservationAction[] = ['enter', 'exit', 'cancel', 'expire'];
  const allowed: Record<string, ReservationStatus> = {
    'CONFIRMED/enter': 'CHECKED_IN',
    'CONFIRMED/cancel': 'CANCELLED',
    'CONFIRMED/expire': 'NO_SHOW',
    'CHECKED_IN/exit': 'COMPLETED',
  };

  it.each(statuses.flatMap((s) => actions.map((a) => [s, a] as const)))('%s --%s-->', (status, action) => {
    const expected = allowed[`${status}/${action}`] ?? null;
    expect(nextStatus(status, action)).toBe(expected);
    if (expected) expect(requireTransition(status, action)).toBe(expected);
    else expect(errorOf(() => requireTransition(status, action))).toMatchObject({ code: 'CONFLICT', status });
  });

  it('upcoming means booked with the entry window not yet over, or parked now', () => {
    expect(isUpcoming({ status: 'CONFIRMED', entryWindowEnd: minutes(WED_20, 1) }, WED_20)).toBe(true);
    expect(isUpcoming({ status: 'CONFIRMED', entryWindowEnd: WED_20 }, WED_20)).toBe(false);
    expect(isUpcoming({ status: 'CHECKED_IN' }, WED_20)).toBe(true);
    expect(isUpcoming({ status: 'COMPLETED', entryWindowEnd: minutes(WED_20, 10) }, WED_20)).toBe(false);
  });
});

describe('fees', () => {
  it('charges every started hour after the free minutes', () => {
    const lot = { pricePerHour: 6, freeFirstMinutes: 0 };
    expect(parkingFee(lot, WED_20, minutes(WED_20, 0))).toBe(0);
    expect(parkingFee(lot, WED_20, minutes(WED_20, 1))).toBe(6);
    expect(parkingFee(lot, WED_20, minutes(WED_20, 61))).toBe(12);
    const office = { pricePerHour: 5, freeFirstMinutes: 60 };
    expect(parkingFee(office, WED_20, minutes(WED_20, 60))).toBe(0);
    expect(parkingFee(office, WED_20, minutes(WED_20, 150))).toBe(10);
  });
});
