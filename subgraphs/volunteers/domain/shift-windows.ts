import { addMinutes } from '../../../shared/subgraph/time';
import { roundHours } from './stars';

/** Volunteers may check in this long before their shift starts. */
export const CHECK_IN_EARLY_MINUTES = 30;
/** Volunteers may check themselves out until this long after the shift ends. */
export const CHECK_OUT_GRACE_MINUTES = 120;
/** Longest shift an organiser may publish. */
export const MAX_SHIFT_HOURS = 12;

interface ShiftTimes {
  startsAt: Date;
  endsAt: Date;
}

/** Sign-ups and cancellations close when the shift starts. */
export function isBeforeStart(shift: ShiftTimes, now: Date): boolean {
  return now.getTime() < shift.startsAt.getTime();
}

export function isCheckInOpen(shift: ShiftTimes, now: Date): boolean {
  return now >= addMinutes(shift.startsAt, -CHECK_IN_EARLY_MINUTES) && now < shift.endsAt;
}

/** The volunteer's own deadline to check out; organisers may close a check-in later. */
export function volunteerCheckOutDeadline(shift: ShiftTimes): Date {
  return addMinutes(shift.endsAt, CHECK_OUT_GRACE_MINUTES);
}

export function shiftHours(shift: ShiftTimes): number {
  return roundHours((shift.endsAt.getTime() - shift.startsAt.getTime()) / 3_600_000);
}

/**
 * Hours between check-in and check-out, counted only inside the shift: arriving early or leaving
 * late earns nothing extra, so a volunteer is never credited more than the shift's length.
 */
export function recordedHours(shift: ShiftTimes, checkedInAt: Date, checkedOutAt: Date): number {
  const from = Math.max(checkedInAt.getTime(), shift.startsAt.getTime());
  const to = Math.min(checkedOutAt.getTime(), shift.endsAt.getTime());
  return roundHours(Math.max(0, to - from) / 3_600_000);
}
