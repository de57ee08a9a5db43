/**
 * 民生微实事 (livelihood micro-projects): the rules as plain functions. The figures are the
 * project's choices, documented in the subgraph's README ("民生微实事").
 */
import { conflict } from '../../../shared/platform/errors';

export type MicroProjectCategory = 'ENGINEERING' | 'SERVICE' | 'GOODS';
export type MicroProjectStatus = 'PROPOSED' | 'CONSULTING' | 'NOT_SUPPORTED' | 'SUPPORTED' | 'REJECTED' | 'APPROVED' | 'IN_PROGRESS' | 'COMPLETED' | 'ACCEPTED';
export type MicroProjectStage = 'STARTED' | 'UNDERWAY' | 'COMPLETED';
export type MicroProjectAcceptanceParty = 'PROPOSER' | 'COMMUNITY';
export type MicroProjectEventAction =
  | 'PROPOSED'
  | 'CONSULTATION_OPENED'
  | 'CONSULTATION_PASSED'
  | 'CONSULTATION_FAILED'
  | 'APPROVED'
  | 'REJECTED'
  | 'PROGRESS_REPORTED'
  | 'ACCEPTANCE_SIGNED'
  | 'ACCEPTED';

/**
 * The most one project may cost, yuan (estimate and approved budget alike): 1,000,000. The seed's
 * average is about 182,000 yuan (740 million over 4,060 projects); "micro" ones stay well below a
 * million, and larger works go through the ordinary capital-works procedure.
 */
export const MICRO_PROJECT_BUDGET_CAP = 1_000_000;

/** A consultation is valid only with at least this many votes cast (a quorum of the community). */
export const MIN_VOTES = 5;

/** The voting period a community worker sets: at least 1 day, at most 30 days from opening. */
export const MIN_VOTING_DAYS = 1;
export const MAX_VOTING_DAYS = 30;

export type MicroProjectAction = 'openConsultation' | 'vote' | 'closeConsultation' | 'approve' | 'reject' | 'report' | 'accept';

/** The statuses each action starts from. */
const FROM: Record<MicroProjectAction, readonly MicroProjectStatus[]> = {
  openConsultation: ['PROPOSED'],
  vote: ['CONSULTING'],
  closeConsultation: ['CONSULTING'],
  approve: ['SUPPORTED'],
  reject: ['SUPPORTED'],
  report: ['APPROVED', 'IN_PROGRESS'],
  accept: ['COMPLETED'],
};

const ACTION_NAMES: Record<MicroProjectAction, string> = {
  openConsultation: 'put to the vote',
  vote: 'voted on',
  closeConsultation: 'closed for voting',
  approve: 'approved',
  reject: 'rejected',
  report: 'reported on',
  accept: 'accepted',
};

/** CONFLICT naming the status when `action` cannot start from it. */
export function assertMicroProjectTransition(action: MicroProjectAction, status: MicroProjectStatus): void {
  if (!FROM[action].includes(status)) {
    throw conflict(`A ${status} micro-project cannot be ${ACTION_NAMES[action]} (only ${FROM[action].join(' or ')})`, { status });
  }
}

/** Passes with at least MIN_VOTES cast and more than half of them in favour. */
export function consultationPasses(support: number, oppose: number): boolean {
  const cast = support + oppose;
  return cast >= MIN_VOTES && support * 2 > cast;
}

/** Approved by the street: APPROVED and every status after it. */
const APPROVED_OR_LATER: ReadonlySet<MicroProjectStatus> = new Set(['APPROVED', 'IN_PROGRESS', 'COMPLETED', 'ACCEPTED']);

export interface MicroProjectStatsValue {
  count: number;
  approved: number;
  completed: number;
  accepted: number;
  approvedBudget: number;
  spent: number;
}

export const EMPTY_MICRO_PROJECT_STATS: MicroProjectStatsValue = Object.freeze({ count: 0, approved: 0, completed: 0, accepted: 0, approvedBudget: 0, spent: 0 });

/** Folds a scope's projects (status, approved budget, spend) into its figures. */
export function microProjectStats(projects: ReadonlyArray<{ status: MicroProjectStatus; approvedBudget?: number | null; spent?: number | null }>): MicroProjectStatsValue {
  const s = { ...EMPTY_MICRO_PROJECT_STATS };
  for (const p of projects) {
    s.count += 1;
    if (APPROVED_OR_LATER.has(p.status)) {
      s.approved += 1;
      s.approvedBudget += p.approvedBudget ?? 0;
    }
    if (p.status === 'COMPLETED' || p.status === 'ACCEPTED') s.completed += 1;
    if (p.status === 'ACCEPTED') s.accepted += 1;
    s.spent += p.spent ?? 0;
  }
  return s;
}

/** Adds figures (a city's from its districts'). */
export function addMicroProjectStats(a: MicroProjectStatsValue, b: MicroProjectStatsValue): MicroProjectStatsValue {
  return {
    count: a.count + b.count,
    approved: a.approved + b.approved,
    completed: a.completed + b.completed,
    accepted: a.accepted + b.accepted,
    approvedBudget: a.approvedBudget + b.approvedBudget,
    spent: a.spent + b.spent,
  };
}

/** The parent of a project's `votes`: its fields are counted per project by loaders. */
export interface MicroProjectVotesParent {
  projectId: string;
  communityCode: string;
  /** Set once the consultation closed: its recorded result. */
  tally?: { support: number; oppose: number } | null;
}
