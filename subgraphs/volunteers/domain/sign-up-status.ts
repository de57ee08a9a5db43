import { conflict } from '../../../shared/platform/errors';
import type { VolunteerSignUpStatus as Status } from '../generated/graphql';

/**
 * The sign-up state machine. Each transition is claimed once (services/transitions.ts), so two
 * concurrent actions on one sign-up never both succeed.
 */
export const TRANSITIONS: Readonly<Record<Status, readonly Status[]>> = {
  CONFIRMED: ['CANCELLED', 'CHECKED_IN', 'NO_SHOW'],
  WAITLISTED: ['CONFIRMED', 'CANCELLED'],
  // Signing up again after cancelling reopens the same sign-up (one per resident per shift).
  CANCELLED: ['CONFIRMED', 'WAITLISTED'],
  CHECKED_IN: ['CHECKED_OUT'],
  CHECKED_OUT: ['VERIFIED'],
  VERIFIED: [],
  NO_SHOW: [],
};

/** Statuses that hold one of the shift's places. */
export const HOLDS_PLACE: ReadonlySet<Status> = new Set<Status>(['CONFIRMED', 'CHECKED_IN', 'CHECKED_OUT', 'VERIFIED', 'NO_SHOW']);

export function canTransition(from: Status, to: Status): boolean {
  return TRANSITIONS[from].includes(to);
}

/** CONFLICT naming the current status when `from → to` is not allowed. */
export function assertTransition(from: Status, to: Status, action: string): void {
  if (!canTransition(from, to)) {
    throw conflict(`Cannot ${action} a sign-up that is ${from}`, { status: from });
  }
}
