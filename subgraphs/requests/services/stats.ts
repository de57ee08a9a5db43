import { idFilter } from '../../../shared/subgraph/loaders';
import { OPEN_STATUSES, type Rating, type RequestStatus } from '../domain/lifecycle';
import { buildStats, type RequestStatsValue, type StatsGroup } from '../domain/stats';
import type { Models } from '../models';

/** One reply per aggregation, however many groups (see loaders.ts). */
const ONE_BATCH = 100_000;

export type StatsField = 'communityCode' | 'streetCode' | 'districtCode' | 'departmentId';

interface GroupRow {
  _id: { k?: string; s: RequestStatus; l: number; o?: boolean | null; r?: Rating | null };
  n: number;
}

/**
 * Two aggregations whatever the number of keys: counts grouped by key, status, level, timeliness
 * and rating (FerretDB lacks $cond, so the folding happens in `buildStats`), and the overdue
 * level-1 count per key.
 */
export async function statsByKey(models: Models, field: StatsField, keys: readonly string[], now: Date): Promise<Map<string, RequestStatsValue>> {
  return statsGrouped(models, { [field]: idFilter(keys) }, `$${field}`, now);
}

/** Figures for one scope (a match on the request fields); the whole city when `match` is empty. */
export async function statsFor(models: Models, match: Record<string, unknown>, now: Date): Promise<RequestStatsValue> {
  const map = await statsGrouped(models, match, null, now);
  return map.get('') ?? buildStats([], 0);
}

async function statsGrouped(models: Models, match: Record<string, unknown>, keyExpr: string | null, now: Date) {
  const groupId: Record<string, unknown> = { s: '$status', l: '$level', o: '$resolvedOnTime', r: '$rating' };
  if (keyExpr) groupId.k = keyExpr;
  const [rows, overdue] = await Promise.all([
    models.Request.aggregate<GroupRow>([{ $match: match }, { $group: { _id: groupId, n: { $count: {} } } }]).option({ batchSize: ONE_BATCH }),
    models.Request.aggregate<{ _id: string | null; n: number }>([
      { $match: { ...match, level: 1, status: { $in: OPEN_STATUSES }, currentDeadline: { $lt: now } } },
      { $group: { _id: keyExpr ?? null, n: { $count: {} } } },
    ]).option({ batchSize: ONE_BATCH }),
  ]);
  const groups = new Map<string, StatsGroup[]>();
  for (const row of rows) {
    const key = row._id.k ?? '';
    const list = groups.get(key) ?? [];
    list.push({ status: row._id.s, level: row._id.l, resolvedOnTime: row._id.o ?? null, rating: row._id.r ?? null, count: row.n });
    groups.set(key, list);
  }
  const overdueByKey = new Map(overdue.map((o) => [o._id ?? '', o.n]));
  const out = new Map<string, RequestStatsValue>();
  for (const [key, list] of groups) out.set(key, buildStats(list, overdueByKey.get(key) ?? 0));
  return out;
}
