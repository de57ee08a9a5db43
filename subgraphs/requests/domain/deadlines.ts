import { addDays, addMinutes, addWorkingDays, startOfLocalDay } from '../../../shared/subgraph/time';
import { EMERGENCY_DISPATCH_MINUTES, EXTENDED_HANDLING_DAYS, HANDLING_DAYS, NORMAL_DISPATCH_MINUTES } from './catalog';
import type { Level } from './grading';
import type { RequestStatus } from './lifecycle';

/** Level 1 (Guangming): reviewed within 10 minutes, accepted within 30, updated every hour. */
export const LEVEL1_REVIEW_MINUTES = 10;
export const LEVEL1_ACCEPT_MINUTES = 30;
export const LEVEL1_UPDATE_MINUTES = 60;
/** Levels 2 and 3 are accepted within one working day of dispatch (our choice, see README). */
export const ACCEPT_WORKING_DAYS = 1;
/** A department may return a wrongly routed request within 2 working days of dispatch. */
export const RETURN_WORKING_DAYS = 2;
/** A resolved request the resident has not evaluated closes itself after this many working days. */
export const EVALUATION_WORKING_DAYS = 3;
/** Escalation when the request is this many working days past its handling deadline. */
export const ESCALATE_AFTER_WORKING_DAYS = 5;

/** Deadlines fixed at submission. */
export function submissionDeadlines(now: Date, level: Level, emergencyItem: boolean) {
  const fast = level === 1 || emergencyItem;
  return {
    reviewDueAt: level === 1 ? addMinutes(now, LEVEL1_REVIEW_MINUTES) : null,
    dispatchDueAt: addMinutes(now, fast ? EMERGENCY_DISPATCH_MINUTES : NORMAL_DISPATCH_MINUTES),
    /** Provisional until dispatch: the handling clock restarts on every dispatch. */
    dueAt: addWorkingDays(now, HANDLING_DAYS),
  };
}

/** Deadlines that start when a department receives the request (first dispatch or re-dispatch). */
export function dispatchDeadlines(dispatchedAt: Date, level: Level) {
  return {
    acceptDueAt: level === 1 ? addMinutes(dispatchedAt, LEVEL1_ACCEPT_MINUTES) : addWorkingDays(dispatchedAt, ACCEPT_WORKING_DAYS),
    nextUpdateDueAt: level === 1 ? addMinutes(dispatchedAt, LEVEL1_UPDATE_MINUTES) : null,
    handlingDays: HANDLING_DAYS,
    dueAt: addWorkingDays(dispatchedAt, HANDLING_DAYS),
  };
}

/** The one extension: 10 working days counted from the same dispatch. */
export function extendedDueAt(dispatchedAt: Date): Date {
  return addWorkingDays(dispatchedAt, EXTENDED_HANDLING_DAYS);
}

/** Level 1's next hourly update after a step by the department; null for other levels. */
export function nextUpdateAfter(now: Date, level: number): Date | null {
  return level === 1 ? addMinutes(now, LEVEL1_UPDATE_MINUTES) : null;
}

export function returnWindowEnds(dispatchedAt: Date): Date {
  return addWorkingDays(dispatchedAt, RETURN_WORKING_DAYS);
}

/** "An urge notice the day after the deadline": from the local midnight after the deadline's day. */
export function urgeDueAt(dueAt: Date): Date {
  return startOfLocalDay(addDays(dueAt, 1));
}

export function autoCloseDueAt(resolvedAt: Date): Date {
  return addWorkingDays(resolvedAt, EVALUATION_WORKING_DAYS);
}

export function escalateDueAt(dueAt: Date): Date {
  return addWorkingDays(dueAt, ESCALATE_AFTER_WORKING_DAYS);
}

export interface DeadlineFields {
  status: RequestStatus;
  level: number;
  dispatchDueAt?: Date | null;
  acceptDueAt?: Date | null;
  dueAt: Date;
}

/**
 * The deadline that applies in the current status: dispatch while it waits for a department,
 * acceptance while dispatched, handling afterwards; none once finished.
 */
export function currentDeadline(r: DeadlineFields): Date | null {
  switch (r.status) {
    case 'SUBMITTED':
    case 'RETURNED':
      return r.dispatchDueAt ?? r.dueAt;
    case 'DISPATCHED':
      return r.acceptDueAt ?? r.dueAt;
    case 'ACCEPTED':
    case 'IN_PROGRESS':
    case 'REOPENED':
      return r.dueAt;
    default:
      return null;
  }
}
