import { conflict } from '../../../shared/platform/errors';
import type { ReservationStatus } from '../models/reservation';

/** What can happen to a booking. */
export type ReservationAction = 'enter' | 'exit' | 'cancel' | 'expire';

const TRANSITIONS: Record<ReservationStatus, Partial<Record<ReservationAction, ReservationStatus>>> = {
  CONFIRMED: { enter: 'CHECKED_IN', cancel: 'CANCELLED', expire: 'NO_SHOW' },
  CHECKED_IN: { exit: 'COMPLETED' },
  COMPLETED: {},
  CANCELLED: {},
  NO_SHOW: {},
};

/** Statuses in which a booking holds a space (and its plate cannot book again). */
export const HOLDING_STATUSES: readonly ReservationStatus[] = ['CONFIRMED', 'CHECKED_IN'];

/** The status `action` leads to from `status`, or null when the state machine forbids it. */
export function nextStatus(status: ReservationStatus, action: ReservationAction): ReservationStatus | null {
  return TRANSITIONS[status][action] ?? null;
}

const VERBS: Record<ReservationAction, string> = { enter: 'enter with', exit: 'exit with', cancel: 'cancel', expire: 'expire' };

/** Like nextStatus, but CONFLICT (naming both states) when the transition is not allowed. */
export function requireTransition(status: ReservationStatus, action: ReservationAction): ReservationStatus {
  const next = nextStatus(status, action);
  if (!next) throw conflict(`Cannot ${VERBS[action]} a reservation that is ${status}`, { status });
  return next;
}

/** Upcoming for the resident: booked with the entry window still ahead or open, or parked now. */
export function isUpcoming(r: { status: ReservationStatus; entryWindowEnd?: Date | null }, now: Date): boolean {
  if (r.status === 'CHECKED_IN') return true;
  return r.status === 'CONFIRMED' && !!r.entryWindowEnd && r.entryWindowEnd.getTime() > now.getTime();
}
