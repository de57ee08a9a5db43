import { fetchPerKey, idFilter } from '../../../shared/subgraph/loaders';
import { addDays, localDateString, startOfLocalDay } from '../../../shared/subgraph/time';
import type { Models } from '../models';

export interface DayCount {
  date: string;
  received: number;
  resolved: number;
}

/** Longest trend a dashboard may ask for. */
export const MAX_TREND_DAYS = 90;

/**
 * Per-day received/resolved counts for several communities in one query: the requests submitted
 * or resolved in the window, bucketed by Shenzhen day in application code.
 */
export async function trendByCommunity(models: Models, codes: readonly string[], days: number, now: Date): Promise<Map<string, DayCount[]>> {
  const from = startOfLocalDay(addDays(now, -(days - 1)));
  const rows = await fetchPerKey(codes, (some) =>
    models.Request.find(
      { communityCode: idFilter(some), $or: [{ submittedAt: { $gte: from } }, { resolvedAt: { $gte: from } }] },
      { communityCode: 1, submittedAt: 1, resolvedAt: 1 },
    ).lean<Array<{ communityCode: string; submittedAt: Date; resolvedAt?: Date | null }>>().exec(),
  );
  const dates = Array.from({ length: days }, (_, i) => localDateString(addDays(from, i)));
  const index = new Map(dates.map((d, i) => [d, i]));
  const out = new Map<string, DayCount[]>();
  for (const code of codes) out.set(code, dates.map((date) => ({ date, received: 0, resolved: 0 })));
  for (const r of rows) {
    const series = out.get(r.communityCode)!;
    const received = index.get(localDateString(r.submittedAt));
    if (received !== undefined) series[received].received += 1;
    if (r.resolvedAt) {
      const resolved = index.get(localDateString(r.resolvedAt));
      if (resolved !== undefined) series[resolved].resolved += 1;
    }
  }
  return out;
}
