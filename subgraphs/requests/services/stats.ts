import { idFilter } from '../../../shared/subgraph/loaders';
import type { Rating, RequestStatus } from '../domain/lifecycle';
import { buildStats, type RequestStatsValue, type StatsGroup } from '../domain/stats';
import type { Models } from '../models';
import type { RequestsService } from './deps';
import { countedGroups } from './stats-counters';

/** One reply per aggregation, however many groups (see loaders.ts). */
const ONE_BATCH = 100_000;

export type StatsField = 'communityCode' | 'streetCode' | 'districtCode' | 'departmentId';


interface GroupRow {
  _id: { k?: string; s: RequestStatus; l: number; o?: boolean | null; r?: Rating | null };
  n: number;
}

/**
 * The figures per key: the groups from the scope's counter (stats-counters.ts, one `_id` lookup
 * per batch) and the overdue level-1 count per key, the one time-dependent figure, from a query
 * on the scope's open level-1 requests only (pushed down: equality on the field, `open` and
 * `level`; the deadline is compared on those rows alone).
 */
export async function statsByKey(models: Models, field: StatsField, keys: readonly string[], now: Date): Promise<Map<string, RequestStatsValue>> {
  const [groups, overdue] = await Promise.all([countedGroups(models, field, keys), overdueLevel1(models, { [field]: idFilter(keys) }, `$${field}`, now)]);
  const out = new Map<string, RequestStatsValue>();
  for (const key of keys) out.set(key, buildStats(groups.get(key) ?? [], overdue.get(key) ?? 0));
  return out;
}

/**
 * Figures for one scope (a match on the request fields); the whole city when `match` is empty.
 * A match on at most one scope field (and a level) reads counters; anything else aggregates.
 */
export async function statsFor(ctx: Pick<RequestsService, 'models' | 'clock'>, input: { match: Record<string, unknown> }): Promise<RequestStatsValue> {
  const { match } = input;
  const { models } = ctx;
  const now = ctx.clock();
  const { level, ...scope } = match;
  const fields = Object.keys(scope) as StatsField[];
  if (fields.length <= 1) {
    const field = fields[0];
    const key = field ? String(scope[field]) : '';
    const [groups, overdue] = await Promise.all([
      countedGroups(models, field ?? 'city', [key]),
      level === undefined || level === 1 ? overdueLevel1(models, scope, null, now) : Promise.resolve(new Map<string, number>()),
    ]);
    const list = (groups.get(key) ?? []).filter((g) => level === undefined || g.level === level);
    return buildStats(list, overdue.get('') ?? 0);
  }
  const map = await statsGrouped(models, match, now);
  return map.get('') ?? buildStats([], 0);
}

async function overdueLevel1(models: Models, match: Record<string, unknown>, keyExpr: string | null, now: Date): Promise<Map<string, number>> {
  const rows = await models.Request.aggregate<{ _id: string | null; n: number }>([
    { $match: { ...match, open: true, level: 1, currentDeadline: { $lt: now } } },
    { $group: { _id: keyExpr ?? null, n: { $count: {} } } },
  ]).option({ batchSize: ONE_BATCH });
  return new Map(rows.map((o) => [o._id ?? '', o.n]));
}

/** Counts grouped by status, level, timeliness and rating (FerretDB lacks $cond, so `buildStats` folds them). */
async function statsGrouped(models: Models, match: Record<string, unknown>, now: Date) {
  const groupId: Record<string, unknown> = { s: '$status', l: '$level', o: '$resolvedOnTime', r: '$rating' };
  const [rows, overdue] = await Promise.all([
    models.Request.aggregate<GroupRow>([{ $match: match }, { $group: { _id: groupId, n: { $count: {} } } }]).option({ batchSize: ONE_BATCH }),
    overdueLevel1(models, match, null, now),
  ]);
  const list: StatsGroup[] = rows.map((row) => ({ status: row._id.s, level: row._id.l, resolvedOnTime: row._id.o ?? null, rating: row._id.r ?? null, count: row.n }));
  const out = new Map<string, RequestStatsValue>();
  out.set('', buildStats(list, overdue.get('') ?? 0));
  return out;
}
