/**
 * 事办不成反映处 (the "can't get it done" desk of a street's service hall): a walk-in case the hall
 * could not settle at once is recorded with why (root cause) and what the hall did (outcome), so
 * the street sees which matters come up most and where the problem lies.
 */
export const ROOT_CAUSES = ['CONDITION_NOT_MET', 'MATERIALS_MISSING', 'SYSTEM_FAULT', 'UNCLEAR_RESPONSIBILITY', 'ATTITUDE', 'OTHER'] as const;
export type CannotDoRootCause = (typeof ROOT_CAUSES)[number];
export const OUTCOMES = ['DONE_ON_THE_SPOT', 'EXPLAINED', 'REFERRED'] as const;
export type CannotDoOutcome = (typeof OUTCOMES)[number];

/** Only walk-in requests are desk cases: the resident came to the hall. */
export const CANNOT_DO_CHANNEL = 'WALK_IN';

/** How many matters `topMatters` lists. */
export const TOP_MATTERS = 10;

export interface CannotDoMatterValue {
  itemCode: string;
  count: number;
  byRootCause: Array<{ rootCause: CannotDoRootCause; count: number }>;
}

export interface CannotDoStatsValue {
  streetCode: string;
  month: string | null;
  total: number;
  byRootCause: Array<{ rootCause: CannotDoRootCause; count: number }>;
  byOutcome: Array<{ outcome: CannotDoOutcome; count: number }>;
  topMatters: CannotDoMatterValue[];
}

/** `<rootCause>|<outcome>|<itemCode>`: the group a case is counted in (stats-counters.ts). */
export function cannotDoGroupKey(c: { rootCause: string; outcome: string; itemCode: string }): string {
  return `${c.rootCause}|${c.outcome}|${c.itemCode}`;
}

/** Most first; ties keep the given order (the enum's, or the item code's). */
function byCountDesc<T extends { count: number }>(list: T[]): T[] {
  return list.map((v, i) => ({ v, i })).sort((a, b) => b.v.count - a.v.count || a.i - b.i).map(({ v }) => v);
}

/** Folds a counter's groups into the figures. */
export function buildCannotDoStats(streetCode: string, month: string | null, groups: Record<string, number>): CannotDoStatsValue {
  const causes = new Map<CannotDoRootCause, number>(ROOT_CAUSES.map((c) => [c, 0]));
  const outcomes = new Map<CannotDoOutcome, number>(OUTCOMES.map((o) => [o, 0]));
  const matters = new Map<string, Map<CannotDoRootCause, number>>();
  let total = 0;
  for (const [key, n] of Object.entries(groups)) {
    if (!n) continue;
    const [cause, outcome, item] = key.split('|') as [CannotDoRootCause, CannotDoOutcome, string];
    total += n;
    causes.set(cause, (causes.get(cause) ?? 0) + n);
    outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + n);
    const m = matters.get(item) ?? new Map<CannotDoRootCause, number>();
    m.set(cause, (m.get(cause) ?? 0) + n);
    matters.set(item, m);
  }
  const topMatters = byCountDesc(
    [...matters]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([itemCode, m]) => ({
        itemCode,
        count: [...m.values()].reduce((a, b) => a + b, 0),
        byRootCause: byCountDesc(ROOT_CAUSES.filter((c) => m.has(c)).map((rootCause) => ({ rootCause, count: m.get(rootCause)! }))),
      })),
  ).slice(0, TOP_MATTERS);
  return {
    streetCode,
    month,
    total,
    byRootCause: byCountDesc(ROOT_CAUSES.map((rootCause) => ({ rootCause, count: causes.get(rootCause)! }))),
    byOutcome: OUTCOMES.map((outcome) => ({ outcome, count: outcomes.get(outcome)! })),
    topMatters,
  };
}
