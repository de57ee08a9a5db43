import { ALL_STATUSES, OPEN_STATUSES, RESOLVED_STATUSES, type Rating, type RequestStatus } from './lifecycle';

/** One group of an aggregation over requests: how many share this status, level, timeliness and rating. */
export interface StatsGroup {
  status: RequestStatus;
  level: number;
  resolvedOnTime?: boolean | null;
  rating?: Rating | null;
  count: number;
}

export interface RequestStatsValue {
  received: number;
  resolved: number;
  resolutionRate: number;
  onTimeRate: number;
  satisfactionRate: number;
  overdueLevel1: number;
  red: number;
  yellow: number;
  green: number;
  open: number;
  /** Requests with an evaluation (not in the GraphQL type; the department board shows it). */
  evaluated: number;
  byStatus: Array<{ status: RequestStatus; count: number }>;
}

const rate = (part: number, whole: number) => (whole > 0 ? part / whole : 0);

/**
 * Folds grouped counts into the dashboard figures. Rates are fractions (0..1) and 0 when their
 * base is empty; red/yellow/green count open requests (what a dashboard lights up).
 */
export function buildStats(groups: readonly StatsGroup[], overdueLevel1: number): RequestStatsValue {
  const byStatus = new Map<RequestStatus, number>(ALL_STATUSES.map((s) => [s, 0]));
  let received = 0;
  let resolved = 0;
  let resolvedWithVerdict = 0;
  let onTime = 0;
  let evaluated = 0;
  let satisfied = 0;
  const openByLevel = [0, 0, 0, 0];
  for (const g of groups) {
    received += g.count;
    byStatus.set(g.status, (byStatus.get(g.status) ?? 0) + g.count);
    if (RESOLVED_STATUSES.includes(g.status)) {
      resolved += g.count;
      resolvedWithVerdict += g.count;
      if (g.resolvedOnTime) onTime += g.count;
    }
    if (OPEN_STATUSES.includes(g.status) && g.level >= 1 && g.level <= 3) openByLevel[g.level] += g.count;
    if (g.rating) {
      evaluated += g.count;
      if (g.rating !== 'UNSATISFIED') satisfied += g.count;
    }
  }
  return {
    received,
    resolved,
    resolutionRate: rate(resolved, received),
    onTimeRate: rate(onTime, resolvedWithVerdict),
    satisfactionRate: rate(satisfied, evaluated),
    overdueLevel1,
    red: openByLevel[1],
    yellow: openByLevel[2],
    green: openByLevel[3],
    open: openByLevel[1] + openByLevel[2] + openByLevel[3],
    evaluated,
    byStatus: ALL_STATUSES.map((status) => ({ status, count: byStatus.get(status) ?? 0 })),
  };
}

export const EMPTY_STATS: RequestStatsValue = buildStats([], 0);
