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

// ---- Supervision of every limit (alerts: urge, then street, then district) ----

/** The limits supervision watches; one alert chain per (request, kind, due time). */
export type DeadlineKind = 'REVIEW' | 'DISPATCH' | 'ACCEPTANCE' | 'UPDATE' | 'HANDLING' | 'RETURN' | 'ORDER_REPORT';
/** Who an alert goes to: the unit that owes the step, then the street office, then the district. */
export type AlertStage = 'URGE' | 'STREET' | 'DISTRICT';
export const ALERT_STAGES: AlertStage[] = ['URGE', 'STREET', 'DISTRICT'];

/** An urgent (level-1) case no responsibility item matches: the street office triages it within 10 minutes. */
export const UNMATCHED_URGENT_DISPATCH_MINUTES = 10;

export function unmatchedUrgentDispatchDueAt(submittedAt: Date): Date {
  return addMinutes(submittedAt, UNMATCHED_URGENT_DISPATCH_MINUTES);
}

/** District-level escalation of a handling deadline: another 5 working days after the street's. */
export function districtEscalateDueAt(dueAt: Date): Date {
  return addWorkingDays(dueAt, 2 * ESCALATE_AFTER_WORKING_DAYS);
}

/**
 * When each stage of a passed limit is raised. The urge comes when the limit passes (the handling
 * limit keeps its "day after" urge); each escalation comes after as long again as the limit
 * itself: REVIEW 10 min; DISPATCH and RETURN (re-dispatch) 30 min for level 1, 2 h otherwise;
 * ACCEPTANCE 30 min for level 1, 1 working day otherwise; UPDATE 60 min; HANDLING 5 working days.
 */
export function alertStageDueAt(kind: DeadlineKind, dueAt: Date, level: number, stage: AlertStage): Date {
  const n = ALERT_STAGES.indexOf(stage);
  switch (kind) {
    case 'HANDLING':
      return stage === 'URGE' ? urgeDueAt(dueAt) : stage === 'STREET' ? escalateDueAt(dueAt) : districtEscalateDueAt(dueAt);
    case 'ACCEPTANCE':
      return level === 1 ? addMinutes(dueAt, n * LEVEL1_ACCEPT_MINUTES) : addWorkingDays(dueAt, n * ACCEPT_WORKING_DAYS);
    case 'REVIEW':
      return addMinutes(dueAt, n * LEVEL1_REVIEW_MINUTES);
    case 'UPDATE':
      return addMinutes(dueAt, n * LEVEL1_UPDATE_MINUTES);
    case 'DISPATCH':
    case 'RETURN':
      return addMinutes(dueAt, n * (level === 1 ? EMERGENCY_DISPATCH_MINUTES : NORMAL_DISPATCH_MINUTES));
    case 'ORDER_REPORT':
      // Its escalations follow the order's own window, which a due time alone does not give.
      throw new Error('ORDER_REPORT stages are timed by orderReportStageDueAt (domain/order-alerts.ts)');
  }
}

/** What a request's supervision reads. */
export interface SupervisedFields {
  status: RequestStatus;
  level: number;
  reviewDueAt?: Date | null;
  reviewedAt?: Date | null;
  dispatchDueAt?: Date | null;
  acceptDueAt?: Date | null;
  nextUpdateDueAt?: Date | null;
  dueAt: Date;
}

const HOLDING: RequestStatus[] = ['DISPATCHED', 'ACCEPTED', 'IN_PROGRESS', 'REOPENED'];

/**
 * The limits running in the request's current state, each with its due time: review while a
 * level-1 case is open and unreviewed; dispatch while submitted; re-dispatch after a return;
 * acceptance while dispatched; the hourly update (level 1) and handling while a department holds it.
 */
export function supervisedDeadlines(r: SupervisedFields): Array<{ kind: DeadlineKind; dueAt: Date }> {
  const out: Array<{ kind: DeadlineKind; dueAt: Date }> = [];
  const open = !['RESOLVED', 'CLOSED', 'DUPLICATE'].includes(r.status);
  if (open && r.level === 1 && r.reviewDueAt && !r.reviewedAt) out.push({ kind: 'REVIEW', dueAt: new Date(r.reviewDueAt) });
  if (r.status === 'SUBMITTED' && r.dispatchDueAt) out.push({ kind: 'DISPATCH', dueAt: new Date(r.dispatchDueAt) });
  if (r.status === 'RETURNED' && r.dispatchDueAt) out.push({ kind: 'RETURN', dueAt: new Date(r.dispatchDueAt) });
  if (r.status === 'DISPATCHED' && r.acceptDueAt) out.push({ kind: 'ACCEPTANCE', dueAt: new Date(r.acceptDueAt) });
  if (HOLDING.includes(r.status)) {
    if (r.level === 1 && r.nextUpdateDueAt) out.push({ kind: 'UPDATE', dueAt: new Date(r.nextUpdateDueAt) });
    out.push({ kind: 'HANDLING', dueAt: new Date(r.dueAt) });
  }
  return out;
}

/** A level-1 case's review corrected to another level: the acceptance and update limits of that level. */
export function reviewedDeadlines(dispatchedAt: Date | null | undefined, level: Level) {
  if (!dispatchedAt) return { nextUpdateDueAt: null };
  const d = dispatchDeadlines(dispatchedAt, level);
  return { acceptDueAt: d.acceptDueAt, nextUpdateDueAt: d.nextUpdateDueAt };
}
