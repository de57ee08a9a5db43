import { Types } from 'mongoose';
import { createLogger } from '../../../shared/platform/logger';
import { localMonthString } from '../../../shared/subgraph/time';
import { OPEN_STATUSES, type Rating, type RequestStatus } from '../domain/lifecycle';
import type { StatsGroup } from '../domain/stats';
import type { Models, RequestDoc } from '../models';
import type { RequestsService } from './deps';
import { countCannotDoCases } from './cannot-do';
import { claimOnce } from './claims';

/**
 * Request figures kept up to date per scope (models/stats-counter.ts): every write of a request
 * moves it from its old group to its new one in each scope it belongs to, so a dashboard's
 * `requestStats` reads one counter document per scope instead of aggregating the scope's whole
 * history. Nothing here is FerretDB-specific: the same documents and claims work on MongoDB.
 *
 * Drift: a process killed between a request's write and its counters' write leaves them one
 * request off. `rebuildStatsCounters` recomputes every counter from the requests; the seed runs
 * it at its end, and the subgraph runs it at start-up when the counters were never built (a
 * database from before them). Run it on a quiet database: writes meanwhile may be lost from it.
 */

/** The request fields a scope counter is kept by (`requestStats(<field>: …)`, dashboards, lots). */
export const STATS_SCOPES = ['communityCode', 'streetCode', 'districtCode', 'departmentId', 'parkingLotId'] as const;
export type StatsScope = (typeof STATS_SCOPES)[number];

/** What a counter needs of a request. */
export type CountedRequest = Pick<RequestDoc, 'status' | 'level' | 'resolvedOnTime' | 'rating' | StatsScope>;

/** Marks the counters built; its suffix is their layout's version, so a database built with an older layout rebuilds. */
const BUILT = '~built:3';
const ATTEMPTS = 40;
const log = createLogger('requests');

function scopeOfId(id: string): string {
  return id.slice(0, id.indexOf(':'));
}

export function counterId(scope: StatsScope, key: string): string {
  return `${scope}:${key}`;
}

/** `<status>|<level>|<on time>|<rating>`: the group a request is counted in. */
export function groupKeyOf(r: CountedRequest): string {
  const onTime = r.resolvedOnTime === true ? '1' : r.resolvedOnTime === false ? '0' : '-';
  return `${r.status}|${r.level}|${onTime}|${r.rating ?? '-'}`;
}

export function groupOf(key: string, count: number): StatsGroup {
  const [status, level, onTime, rating] = key.split('|');
  return {
    status: status as RequestStatus,
    level: Number(level),
    resolvedOnTime: onTime === '1' ? true : onTime === '0' ? false : null,
    rating: rating === '-' ? null : (rating as Rating),
    count,
  };
}

function idsOf(r: CountedRequest): string[] {
  const ids: string[] = [];
  for (const scope of STATS_SCOPES) if (r[scope]) ids.push(counterId(scope, r[scope]!));
  return ids;
}

/** Whether a request is open: the top-level `open` field, so "open" queries are an equality FerretDB pushes down. */
export function isOpenStatus(status: RequestStatus): boolean {
  return OPEN_STATUSES.includes(status);
}

/**
 * Moves a request from its group before a write to its group after it (null: absent), in every
 * scope of either. Called after the request's own write succeeded; a failure here is logged and
 * leaves the counters off until a rebuild (the write itself stands).
 */
export async function recordStatsChange(models: Models, before: CountedRequest | null, after: CountedRequest | null, now: Date): Promise<void> {
  const deltas = new Map<string, Map<string, number>>();
  const add = (r: CountedRequest, n: number) => {
    const group = groupKeyOf(r);
    for (const id of idsOf(r)) {
      const d = deltas.get(id) ?? new Map<string, number>();
      d.set(group, (d.get(group) ?? 0) + n);
      deltas.set(id, d);
    }
  };
  if (before) add(before, -1);
  if (after) add(after, 1);
  const changed = [...deltas].filter(([, d]) => [...d.values()].some((n) => n !== 0));
  const results = await Promise.allSettled(changed.map(([id, d]) => bump(models, id, d, now)));
  for (const [i, r] of results.entries()) {
    if (r.status === 'rejected') log.error({ err: r.reason, counter: changed[i][0] }, 'request stats counter not updated: figures are off until rebuildStatsCounters runs');
  }
}

/** One counter's read, claim and rewrite; a writer that loses the claim re-reads and tries again. Also keeps the 事办不成 counters (cannot-do.ts). */
export async function bump(models: Models, id: string, delta: Map<string, number>, now: Date): Promise<void> {
  for (let attempt = 0; attempt < ATTEMPTS; attempt += 1) {
    const doc = await models.StatsCounter.findById(id).lean();
    const nonce = doc?.nonce ?? 'new';
    if (await claimOnce(models, `stats:${id}:${nonce}`, now)) {
      const groups: Record<string, number> = { ...(doc?.groups ?? {}) };
      for (const [group, n] of delta) {
        const next = (groups[group] ?? 0) + n;
        if (next === 0) delete groups[group];
        else groups[group] = next;
      }
      await models.StatsCounter.replaceOne({ _id: id }, { _id: id, scope: scopeOfId(id), nonce: new Types.ObjectId().toHexString(), groups }, { upsert: true });
      return;
    }
    // The winner has claimed but may not have written yet.
    await new Promise((resolve) => setTimeout(resolve, 2 + Math.random() * 8 * Math.min(attempt + 1, 5)));
  }
  throw new Error(`counter ${id}: still contended after ${ATTEMPTS} attempts`);
}

/** The groups of each scope key, from its counter (an empty list for a key with no requests). */
export async function countedGroups(models: Models, scope: StatsScope | 'city', keys: readonly string[]): Promise<Map<string, StatsGroup[]>> {
  if (scope === 'city') return new Map([['', await cityGroups(models)]]);
  const ids = keys.map((k) => counterId(scope, k));
  // One `_id` lookup for a key; for many, every counter of the scope (one pushed-down equality
  // over one document per place, department or lot), where an `_id: { $in }` reads them all.
  const docs = await models.StatsCounter.find(ids.length === 1 ? { _id: ids[0] } : { scope }).lean();
  const byId = new Map(docs.map((d) => [d._id, d]));
  const out = new Map<string, StatsGroup[]>();
  for (const key of keys) {
    const doc = byId.get(counterId(scope, key));
    out.set(key, Object.entries(doc?.groups ?? {}).map(([g, n]) => groupOf(g, n)));
  }
  return out;
}

/**
 * The whole city's groups: the sum of its districts' counters (one pushed-down query). No counter
 * of its own, since every submission would contend for it.
 */
async function cityGroups(models: Models): Promise<StatsGroup[]> {
  const sums = new Map<string, number>();
  for (const doc of await models.StatsCounter.find({ scope: 'districtCode' }).lean()) {
    for (const [g, n] of Object.entries(doc.groups ?? {})) sums.set(g, (sums.get(g) ?? 0) + n);
  }
  return [...sums].filter(([, n]) => n !== 0).map(([g, n]) => groupOf(g, n));
}

/** Recomputes every counter from the requests (one pass) and marks them built. */
export async function rebuildStatsCounters(ctx: Pick<RequestsService, 'models'>): Promise<number> {
  const { models } = ctx;
  const counts = new Map<string, Record<string, number>>();
  const projection = Object.fromEntries(['status', 'level', 'resolvedOnTime', 'rating', 'submittedAt', 'submittedMonth', ...STATS_SCOPES].map((f) => [f, 1]));
  const cursor = models.Request.find({}, projection).lean<Array<CountedRequest & Pick<RequestDoc, '_id' | 'submittedAt' | 'submittedMonth'>>>().batchSize(5000).cursor();
  // Requests written before `submittedMonth` existed get it on the way (the newest-first list reads by it).
  const months: Array<{ updateOne: { filter: { _id: Types.ObjectId }; update: { $set: { submittedMonth: string } } } }> = [];
  for await (const r of cursor) {
    if (!r.submittedMonth && r.submittedAt) months.push({ updateOne: { filter: { _id: r._id }, update: { $set: { submittedMonth: localMonthString(r.submittedAt) } } } });
    const group = groupKeyOf(r as CountedRequest);
    for (const id of idsOf(r as CountedRequest)) {
      const groups = counts.get(id) ?? {};
      groups[group] = (groups[group] ?? 0) + 1;
      counts.set(id, groups);
    }
  }
  for (let i = 0; i < months.length; i += 25) await models.Request.bulkWrite(months.slice(i, i + 25), { ordered: false });
  // 事办不成 cases share the collection (services/cannot-do.ts), so the wipe below must not lose them.
  for (const [id, groups] of await countCannotDoCases(models)) counts.set(id, groups);
  await models.StatsCounter.deleteMany({});
  const docs = [...counts].map(([_id, groups]) => ({ _id, scope: scopeOfId(_id), nonce: new Types.ObjectId().toHexString(), groups }));
  docs.push({ _id: BUILT, scope: BUILT, nonce: new Date().toISOString(), groups: {} });
  for (let i = 0; i < docs.length; i += 200) await models.StatsCounter.insertMany(docs.slice(i, i + 200), { ordered: false });
  return counts.size;
}

/** Builds the counters when they never were (first start on a database from before them). */
export async function ensureStatsCounters(ctx: Pick<RequestsService, 'models'>): Promise<void> {
  if (await ctx.models.StatsCounter.exists({ _id: BUILT })) return;
  await backfillOpenField(ctx);
  await rebuildStatsCounters(ctx);
}

/** Sets `open` on requests written before the field existed (or by hand), so open-request queries find them. */
export async function backfillOpenField(ctx: Pick<RequestsService, 'models'>): Promise<void> {
  const { models } = ctx;
  await models.Request.updateMany({ open: { $exists: false }, status: { $in: OPEN_STATUSES } }, { $set: { open: true } });
  await models.Request.updateMany({ open: { $exists: false } }, { $set: { open: false } });
}
