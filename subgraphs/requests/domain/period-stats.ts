import { addDays, localDateString, localParts, startOfLocalDay } from '../../../shared/subgraph/time';
import { RESOLVED_STATUSES, type Rating, type RequestStatus } from './lifecycle';

export const PERIODS = ['DAY', 'WEEK', 'MONTH'] as const;
export type StatsPeriod = (typeof PERIODS)[number];
export const DIMENSIONS = ['CATEGORY', 'CHANNEL', 'LEVEL', 'DEPARTMENT'] as const;
export type StatsDimension = (typeof DIMENSIONS)[number];

/** Longest range one statistics query may cover, in days (keeps its reads to at most 13 months). */
export const MAX_PERIOD_RANGE_DAYS = 366;

/** What the period figures need of a request. */
export interface PeriodRequest {
  submittedAt: Date;
  status: RequestStatus;
  level: number;
  channel: string;
  categoryCode: string;
  departmentId?: string | null;
  resolvedOnTime?: boolean | null;
  rating?: Rating | null;
  timeline?: Array<{ action: string }>;
}

export interface PeriodStatsValue {
  period: StatsPeriod;
  start: string;
  key: string | null;
  received: number;
  resolved: number;
  resolutionRate: number;
  onTimeRate: number;
  satisfactionRate: number;
  reopenRate: number;
  returnRate: number;
}

/** The first Shenzhen day (YYYY-MM-DD) of the period containing `at`; weeks start on Monday. */
export function periodStart(at: Date, period: StatsPeriod): string {
  if (period === 'DAY') return localDateString(at);
  if (period === 'MONTH') return `${localDateString(at).slice(0, 7)}-01`;
  return localDateString(addDays(startOfLocalDay(at), 1 - localParts(at).weekday));
}

/** Every period start from the one containing `from` to the one containing `to` (local midnights). */
export function periodStarts(from: Date, to: Date, period: StatsPeriod): string[] {
  const out: string[] = [];
  for (let d = from; d <= to; d = addDays(d, 1)) {
    const s = periodStart(d, period);
    if (out[out.length - 1] !== s) out.push(s);
  }
  return out;
}

function keyOf(r: PeriodRequest, by: StatsDimension): string | null {
  switch (by) {
    case 'CATEGORY':
      return r.categoryCode;
    case 'CHANNEL':
      return r.channel;
    case 'LEVEL':
      return String(r.level);
    case 'DEPARTMENT':
      return r.departmentId ?? null;
  }
}

const rate = (part: number, whole: number) => (whole > 0 ? part / whole : 0);

interface Tally {
  received: number;
  resolved: number;
  onTime: number;
  evaluated: number;
  satisfied: number;
  everResolved: number;
  reopened: number;
  returned: number;
}

/**
 * Folds the requests received in the range into one row per period (and breakdown value). A
 * request counts in the period it was submitted in, with its state now: what a board shows is
 * "of what came in that week, how much is done, on time, to the resident's satisfaction".
 * Without `by` every period of the range has a row (zeros too), so a chart's series is whole.
 */
export function buildPeriodStats(requests: readonly PeriodRequest[], opts: { period: StatsPeriod; from: Date; to: Date; by?: StatsDimension | null }): PeriodStatsValue[] {
  const { period, by } = opts;
  const starts = periodStarts(opts.from, opts.to, period);
  const tallies = new Map<string, Tally>();
  const empty = (): Tally => ({ received: 0, resolved: 0, onTime: 0, evaluated: 0, satisfied: 0, everResolved: 0, reopened: 0, returned: 0 });
  if (!by) for (const s of starts) tallies.set(JSON.stringify([s, null]), empty());
  const end = addDays(opts.to, 1);
  for (const r of requests) {
    if (r.submittedAt < opts.from || r.submittedAt >= end) continue;
    const id = JSON.stringify([periodStart(r.submittedAt, period), by ? keyOf(r, by) : null]);
    const t = tallies.get(id) ?? empty();
    tallies.set(id, t);
    const actions = new Set((r.timeline ?? []).map((e) => e.action));
    const resolvedNow = RESOLVED_STATUSES.includes(r.status);
    t.received += 1;
    if (resolvedNow) {
      t.resolved += 1;
      if (r.resolvedOnTime) t.onTime += 1;
    }
    if (r.rating) {
      t.evaluated += 1;
      if (r.rating !== 'UNSATISFIED') t.satisfied += 1;
    }
    // Only a resolved request can be reopened, so "resolved at least once" is resolved now or reopened.
    if (actions.has('REOPENED')) t.reopened += 1;
    if (resolvedNow || actions.has('REOPENED')) t.everResolved += 1;
    if (actions.has('RETURNED')) t.returned += 1;
  }
  return [...tallies]
    .map(([id, t]) => {
      const [start, key] = JSON.parse(id) as [string, string | null];
      return {
        period,
        start,
        key,
        received: t.received,
        resolved: t.resolved,
        resolutionRate: rate(t.resolved, t.received),
        onTimeRate: rate(t.onTime, t.resolved),
        satisfactionRate: rate(t.satisfied, t.evaluated),
        reopenRate: rate(t.reopened, t.everResolved),
        returnRate: rate(t.returned, t.received),
      };
    })
    .sort((a, b) => a.start.localeCompare(b.start) || (a.key ?? '').localeCompare(b.key ?? ''));
}
