import { conflict } from '../../../shared/platform/errors';

export type RequestStatus =
  | 'SUBMITTED' | 'DISPATCHED' | 'ACCEPTED' | 'IN_PROGRESS' | 'RETURNED' | 'RESOLVED' | 'REOPENED' | 'CLOSED' | 'DUPLICATE';

export type EventAction =
  | 'SUBMITTED' | 'DISPATCHED' | 'ACCEPTED' | 'RETURNED' | 'PROGRESS' | 'EXTENDED' | 'RESOLVED' | 'EVALUATED'
  | 'REOPENED' | 'CLOSED' | 'MARKED_DUPLICATE' | 'URGED' | 'ESCALATED' | 'REVIEWED';

export type Rating = 'SATISFIED' | 'BASICALLY_SATISFIED' | 'UNSATISFIED';

export const ALL_STATUSES: RequestStatus[] = [
  'SUBMITTED', 'DISPATCHED', 'ACCEPTED', 'IN_PROGRESS', 'RETURNED', 'RESOLVED', 'REOPENED', 'CLOSED', 'DUPLICATE',
];

/** Finished requests: nothing more is expected from a department. */
export const FINISHED_STATUSES: RequestStatus[] = ['RESOLVED', 'CLOSED', 'DUPLICATE'];
export const OPEN_STATUSES: RequestStatus[] = ALL_STATUSES.filter((s) => !FINISHED_STATUSES.includes(s));
export const RESOLVED_STATUSES: RequestStatus[] = ['RESOLVED', 'CLOSED'];
/** Statuses in which a department holds the request and its handling clock runs. */
export const HANDLING_STATUSES: RequestStatus[] = ['DISPATCHED', 'ACCEPTED', 'IN_PROGRESS', 'REOPENED'];

export type LifecycleAction =
  | 'dispatch' | 'accept' | 'return' | 'progress' | 'extend' | 'resolve' | 'evaluate' | 'markDuplicate' | 'supervise';

/** Which statuses each action may start from. Anything else is a CONFLICT naming the status. */
export const TRANSITIONS: Record<LifecycleAction, readonly RequestStatus[]> = {
  dispatch: ['SUBMITTED', 'RETURNED'],
  accept: ['DISPATCHED'],
  return: ['DISPATCHED'],
  progress: ['ACCEPTED', 'IN_PROGRESS', 'REOPENED'],
  extend: ['ACCEPTED', 'IN_PROGRESS', 'REOPENED'],
  resolve: ['ACCEPTED', 'IN_PROGRESS', 'REOPENED'],
  evaluate: ['RESOLVED'],
  markDuplicate: ['SUBMITTED', 'DISPATCHED', 'RETURNED', 'ACCEPTED', 'IN_PROGRESS'],
  supervise: OPEN_STATUSES,
};

export function isOpen(status: RequestStatus): boolean {
  return OPEN_STATUSES.includes(status);
}

export function canTransition(action: LifecycleAction, status: RequestStatus): boolean {
  return TRANSITIONS[action].includes(status);
}

/** CONFLICT when `action` is not allowed from `status`; the message names the current status. */
export function assertTransition(action: LifecycleAction, status: RequestStatus): void {
  if (!canTransition(action, status)) {
    throw conflict(`Cannot ${describe(action)} a request that is ${status}`, { status, action });
  }
}

function describe(action: LifecycleAction): string {
  return action === 'markDuplicate' ? 'mark as duplicate' : action;
}

/** The status an evaluation leads to: unsatisfied goes back to the same department. */
export function statusAfterEvaluation(rating: Rating): RequestStatus {
  return rating === 'UNSATISFIED' ? 'REOPENED' : 'CLOSED';
}
