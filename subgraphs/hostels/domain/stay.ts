import { conflict } from '../../../shared/platform/errors';
import type { StayStatus } from '../models/types';
import { addCalendarDays, daysBetween } from './dates';
import { HOSTEL_RULES } from './rules';

export type StayAction = 'checkIn' | 'cancel' | 'checkOut' | 'noShow';

/** The stay state machine: from which status each action is allowed, and where it leads. */
export const STAY_TRANSITIONS: Record<StayAction, { from: StayStatus; to: StayStatus }> = {
  checkIn: { from: 'RESERVED', to: 'CHECKED_IN' },
  cancel: { from: 'RESERVED', to: 'CANCELLED' },
  noShow: { from: 'RESERVED', to: 'NO_SHOW' },
  checkOut: { from: 'CHECKED_IN', to: 'CHECKED_OUT' },
};

export const ACTIVE_STATUSES: readonly StayStatus[] = ['RESERVED', 'CHECKED_IN'];

export function canTransition(status: StayStatus, action: StayAction): boolean {
  return STAY_TRANSITIONS[action].from === status;
}

/** The status `action` leads to, or CONFLICT naming the status that refuses it. */
export function transition(status: StayStatus, action: StayAction): StayStatus {
  if (!canTransition(status, action)) {
    throw conflict(`A ${status} stay cannot be ${describe(action)}; only a ${STAY_TRANSITIONS[action].from} one can`, {
      status,
    });
  }
  return STAY_TRANSITIONS[action].to;
}

function describe(action: StayAction): string {
  return { checkIn: 'checked in', cancel: 'cancelled', checkOut: 'checked out', noShow: 'marked as a no-show' }[action];
}

/** The morning the guest leaves: the day after the last night. */
export function checkOutDateOf(checkInDate: string, nights: number): string {
  return addCalendarDays(checkInDate, nights);
}

/** Nights left from `today` (YYYY-MM-DD); 0 once the stay ended, was cancelled or missed. */
export function nightsLeft(stay: { status: StayStatus; checkInDate: string; nights: number }, today: string): number {
  if (!ACTIVE_STATUSES.includes(stay.status)) return 0;
  const from = today > stay.checkInDate ? today : stay.checkInDate;
  return Math.max(0, Math.min(stay.nights, daysBetween(from, checkOutDateOf(stay.checkInDate, stay.nights))));
}

/**
 * Nights a guest who checks out on `today` has used: the nights from check-in up to today, at least
 * one (a bed taken on the check-in day was used), at most those booked.
 */
export function nightsStayed(checkInDate: string, nights: number, today: string): number {
  return Math.max(1, Math.min(nights, daysBetween(checkInDate, today)));
}

/**
 * Nights a stay counts against the lifetime allowance: booked nights while active, the nights
 * actually stayed once checked out, one for a no-show, none when cancelled.
 */
export function countedNights(
  stay: { status: StayStatus; checkInDate: string; nights: number; checkedOutAt?: Date | null },
  localDateOf: (d: Date) => string,
): number {
  switch (stay.status) {
    case 'RESERVED':
    case 'CHECKED_IN':
      return stay.nights;
    case 'CHECKED_OUT':
      return stay.checkedOutAt ? nightsStayed(stay.checkInDate, stay.nights, localDateOf(stay.checkedOutAt)) : stay.nights;
    case 'NO_SHOW':
      return Math.min(stay.nights, HOSTEL_RULES.noShowCountedNights);
    case 'CANCELLED':
      return 0;
  }
}
