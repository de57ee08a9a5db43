import { badInput } from '../../../shared/platform/errors';
import { addDays, localMonthString, parseLocalDate } from '../../../shared/subgraph/time';
import * as validate from '../../../shared/subgraph/validate';
import {
  buildPeriodStats,
  DIMENSIONS,
  MAX_PERIOD_RANGE_DAYS,
  PERIODS,
  type PeriodRequest,
  type PeriodStatsValue,
  type StatsDimension,
  type StatsPeriod,
} from '../domain/period-stats';
import type { CommunityOrderDoc } from '../models';
import type { RequestsService } from './deps';

/** One reply per find, however many rows (see loaders.ts). */
const ONE_BATCH = 100_000;
const AREA_FIELDS = ['districtCode', 'streetCode', 'communityCode'] as const;
const PROJECTION = { submittedAt: 1, status: 1, level: 1, channel: 1, categoryCode: 1, departmentId: 1, resolvedOnTime: 1, rating: 1, 'timeline.action': 1 };

export interface PeriodStatsArgs {
  period: StatsPeriod;
  from: string;
  to: string;
  by?: StatsDimension | null;
  districtCode?: string | null;
  streetCode?: string | null;
  communityCode?: string | null;
}

function localDay(field: string, value: string): Date {
  const day = typeof value === 'string' ? parseLocalDate(value) : null;
  if (!day) throw badInput(field, 'must be a Shenzhen calendar day as YYYY-MM-DD, e.g. 2026-11-20');
  return day;
}

/** The Shenzhen months (YYYY-MM) the days `from`..`to` touch. */
function monthsBetween(from: Date, to: Date): string[] {
  const out: string[] = [];
  for (let d = from; d <= to; d = addDays(d, 1)) {
    const m = localMonthString(d);
    if (out[out.length - 1] !== m) out.push(m);
  }
  return out;
}

/**
 * Period figures through pushed-down reads: one find per Shenzhen month the range touches, an
 * equality on `submittedMonth` (and the area field), each answering that month's requests of the
 * area with the few fields the figures need. The commands are the months (at most 13), whatever
 * the city's history; the rows read are the range's requests, not the collection.
 */
export async function requestStatsByPeriod(ctx: Pick<RequestsService, 'models'>, args: PeriodStatsArgs): Promise<PeriodStatsValue[]> {
  const { models } = ctx;
  if (!PERIODS.includes(args.period)) throw badInput('period', `must be one of ${PERIODS.join(', ')}`);
  if (args.by != null && !DIMENSIONS.includes(args.by)) throw badInput('by', `must be one of ${DIMENSIONS.join(', ')}`);
  const from = localDay('from', args.from);
  const to = localDay('to', args.to);
  if (to < from) throw badInput('to', 'must not be before from');
  if (to >= addDays(from, MAX_PERIOD_RANGE_DAYS)) throw badInput('to', `must be within ${MAX_PERIOD_RANGE_DAYS} days of from`);
  const area: Record<string, string> = {};
  for (const field of AREA_FIELDS) if (args[field] != null) area[field] = validate.code(field, args[field]);
  if (Object.keys(area).length > 1) throw badInput(Object.keys(area)[1], 'give at most one of districtCode, streetCode and communityCode');
  const batches = await Promise.all(
    monthsBetween(from, to).map((submittedMonth) =>
      models.Request.find({ submittedMonth, ...area }, PROJECTION).batchSize(ONE_BATCH).lean<PeriodRequest[]>().exec(),
    ),
  );
  return buildPeriodStats(batches.flat(), { period: args.period, from, to, by: args.by });
}

export interface CommunityOrderStatsValue {
  issued: number;
  reported: number;
  reportedOnTime: number;
  overdue: number;
  onTimeRate: number;
}

const ORDER_SCOPES = ['communityCode', 'streetCode', 'districtCode', 'departmentId'] as const;

/**
 * Community orders of exactly one scope: one pushed-down equality on the scope's field (orders
 * are few per community or department: a handful a month), folded here.
 */
export async function communityOrderStats(ctx: Pick<RequestsService, 'models' | 'clock'>, args: Partial<Record<(typeof ORDER_SCOPES)[number], string | null>>): Promise<CommunityOrderStatsValue> {
  const { models } = ctx;
  const now = ctx.clock();
  const given = ORDER_SCOPES.filter((f) => args[f] != null);
  if (given.length !== 1) throw badInput(given[1] ?? 'communityCode', 'give exactly one of communityCode, streetCode, districtCode and departmentId');
  const field = given[0];
  const filter = { [field]: validate.code(field, args[field]) };
  const orders = await models.CommunityOrder.find(filter, { status: 1, onTime: 1, reportBy: 1 }).batchSize(ONE_BATCH).lean<CommunityOrderDoc[]>().exec();
  let reported = 0;
  let reportedOnTime = 0;
  let overdue = 0;
  for (const o of orders) {
    if (o.status === 'REPORTED') {
      reported += 1;
      if (o.onTime) reportedOnTime += 1;
    } else if (o.reportBy < now) overdue += 1;
  }
  const known = reported + overdue;
  return { issued: orders.length, reported, reportedOnTime, overdue, onTimeRate: known > 0 ? reportedOnTime / known : 0 };
}
