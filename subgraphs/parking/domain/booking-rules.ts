import { badInput } from '../../../shared/platform/errors';
import { addMinutes, localDateString, localParts, SHENZHEN_OFFSET_MS, startOfLocalDay, startOfLocalMonth } from '../../../shared/subgraph/time';
import type { SharingWindow } from '../models/lot';
import type { ReservationStatus } from '../models/reservation';
import { occurrenceAt, type Occurrence } from './windows';

/** Shenzhen's published shared-parking booking rules, with their figures. */
export const BOOKING_RULES = {
  /** Book up to 60 minutes ahead of arrival. */
  maxLeadMinutes: 60,
  /** The entry window is the booked arrival ± 30 minutes. */
  entryGraceMinutes: 30,
  /** At most 2 bookings a day (cancelled ones count: cancelling does not give a booking back). */
  maxBookingsPerDay: 2,
  /** 3 no-shows or 3 late cancellations in a calendar month block booking until the month ends. */
  monthlyStrikeLimit: 3,
} as const;

/**
 * Checks the requested arrival and returns the window occurrence it books into. BAD_USER_INPUT
 * on `arriveAt` when it is in the past, more than an hour ahead, or outside every open window
 * (or at/after that occurrence's must-leave-by time).
 */
export function checkArrival(windows: readonly SharingWindow[], arriveAt: Date, now: Date): Occurrence {
  if (arriveAt.getTime() < now.getTime()) throw badInput('arriveAt', 'is in the past');
  if (arriveAt.getTime() > addMinutes(now, BOOKING_RULES.maxLeadMinutes).getTime()) {
    throw badInput('arriveAt', `can be at most ${BOOKING_RULES.maxLeadMinutes} minutes from now`);
  }
  const occ = occurrenceAt(windows, arriveAt);
  if (!occ) throw badInput('arriveAt', 'the lot shares no spaces at that time');
  if (arriveAt.getTime() >= occ.mustLeaveBy.getTime()) throw badInput('arriveAt', 'is after the time shared cars must leave by');
  return occ;
}

export function entryWindow(arriveAt: Date): { start: Date; end: Date } {
  return {
    start: addMinutes(arriveAt, -BOOKING_RULES.entryGraceMinutes),
    end: addMinutes(arriveAt, BOOKING_RULES.entryGraceMinutes),
  };
}

/** Cancelling once the entry window has opened is a late cancellation. */
export function isLateCancellation(entryWindowStart: Date, now: Date): boolean {
  return now.getTime() >= entryWindowStart.getTime();
}

/** What the limits need to know of one of a resident's bookings. */
export interface BookingHistoryItem {
  status: ReservationStatus;
  createdAt: Date;
  entryWindowEnd?: Date | null;
  cancelledAt?: Date | null;
  lateCancellation?: boolean | null;
}

export interface BookingStatus {
  noShowsThisMonth: number;
  lateCancellationsThisMonth: number;
  bookingsToday: number;
  bookingsLeftToday: number;
  blocked: boolean;
  blockedUntil: Date | null;
  blockedReason: string | null;
}

/** The first instant of the Shenzhen month after the one containing `date`. */
export function startOfNextLocalMonth(date: Date): Date {
  const p = localParts(date);
  return new Date(Date.UTC(p.year, p.month, 1) - SHENZHEN_OFFSET_MS);
}

/**
 * A resident's standing against the limits at `now`, from their bookings (those created today or
 * struck this month are enough). A no-show counts in the month its entry window ended; a late
 * cancellation in the month it was cancelled.
 */
export function bookingStatus(history: readonly BookingHistoryItem[], now: Date): BookingStatus {
  const month = startOfLocalMonth(now).getTime();
  const nextMonth = startOfNextLocalMonth(now).getTime();
  const inMonth = (d: Date | null | undefined) => !!d && d.getTime() >= month && d.getTime() < nextMonth;
  const today = startOfLocalDay(now).getTime();
  const noShows = history.filter((h) => h.status === 'NO_SHOW' && inMonth(h.entryWindowEnd)).length;
  const late = history.filter((h) => h.lateCancellation && inMonth(h.cancelledAt)).length;
  const bookingsToday = history.filter((h) => h.createdAt.getTime() >= today && h.createdAt.getTime() <= now.getTime()).length;
  const limit = BOOKING_RULES.monthlyStrikeLimit;
  const blockedReason =
    noShows >= limit
      ? `Booking is blocked until the end of the month: ${noShows} no-shows this month (limit ${limit})`
      : late >= limit
        ? `Booking is blocked until the end of the month: ${late} late cancellations this month (limit ${limit})`
        : null;
  return {
    noShowsThisMonth: noShows,
    lateCancellationsThisMonth: late,
    bookingsToday,
    bookingsLeftToday: Math.max(0, BOOKING_RULES.maxBookingsPerDay - bookingsToday),
    blocked: blockedReason !== null,
    blockedUntil: blockedReason ? new Date(nextMonth) : null,
    blockedReason,
  };
}

/**
 * The daily limit's scope in `parking_limit_slots` (kit `takeSlot`): one slot per booking the
 * resident makes on the Shenzhen day of `now`, cancelled ones included (a slot is never given
 * back), so the unique `(scope, slot)` index keeps the limit under concurrent taps.
 */
export function dailyBookingScope(residentId: string, now: Date): string {
  return `bookings:${residentId}:${localDateString(now)}`;
}
