import { createLogger } from '../../../shared/platform/logger';
import { badInput, conflict, forbidden, notFound, unauthenticated } from '../../../shared/platform/errors';
import { isDuplicateKey, publishAfterCommit, type ServiceContext } from '../../../shared/subgraph';
import { localMonthString } from '../../../shared/subgraph/time';
import * as validate from '../../../shared/subgraph/validate';
import {
  buildCannotDoStats,
  CANNOT_DO_CHANNEL,
  cannotDoGroupKey,
  OUTCOMES,
  ROOT_CAUSES,
  type CannotDoOutcome,
  type CannotDoRootCause,
  type CannotDoStatsValue,
} from '../domain/cannot-do';
import { isStaffOf, streetOfficeId } from '../domain/permissions';
import type { CannotDoCaseDoc, Models, RequestDoc } from '../models';
import { bump } from './stats-counters';
import { topics } from '../events';

const log = createLogger('requests');

/**
 * Counters of a street's 事办不成 cases live beside the request figures (request_stats_counters,
 * same claims): one for every month and one per month, so the hall's figures are one `_id` read
 * however many cases the street has had. A case never changes once recorded, so each is counted
 * once, when recorded.
 */
export function cannotDoCounterId(streetCode: string, month: string | null): string {
  return month ? `cannotDo:${streetCode}@${month}` : `cannotDo:${streetCode}`;
}

interface RecordInput {
  requestId: string;
  rootCause: CannotDoRootCause;
  outcome: CannotDoOutcome;
  note?: string | null;
}

/**
 * A clerk of the request's street office (the street's service hall) or an admin records why a
 * walk-in case could not be done and what the hall did. Once per request: the case's `_id` is the
 * request's, so of two racing recordings one stores and the other answers CONFLICT.
 */
export async function recordCannotDo(ctx: ServiceContext<Models>, input: RecordInput): Promise<RequestDoc> {
  const { models, viewer } = ctx;
  const requestId = validate.objectId('requestId', input.requestId);
  if (!ROOT_CAUSES.includes(input.rootCause)) throw badInput('rootCause', `must be one of ${ROOT_CAUSES.join(', ')}`);
  if (!OUTCOMES.includes(input.outcome)) throw badInput('outcome', `must be one of ${OUTCOMES.join(', ')}`);
  const note = validate.optionalText('note', input.note, { max: 500, multiline: true });
  const request = await models.Request.findById(requestId).lean<RequestDoc>();
  if (!request) throw notFound('Request', String(requestId));
  if (viewer.role === 'anonymous') throw unauthenticated();
  if (viewer.role !== 'admin' && !isStaffOf(viewer, streetOfficeId(request.streetCode))) {
    throw forbidden(`Only the service hall of street ${request.streetCode} (${streetOfficeId(request.streetCode)}) and admins record its 事办不成 cases`);
  }
  if (request.channel !== CANNOT_DO_CHANNEL) throw badInput('requestId', `is a ${request.channel} request: only walk-in (WALK_IN) requests are service-hall cases`);
  const now = ctx.clock();
  const doc: CannotDoCaseDoc = {
    _id: String(request._id),
    streetCode: request.streetCode,
    month: localMonthString(request.submittedAt),
    itemCode: request.itemCode,
    categoryCode: request.categoryCode,
    rootCause: input.rootCause,
    outcome: input.outcome,
    note: note ?? null,
    recordedAt: now,
    recordedBy: viewer.subject ?? viewer.role,
  };
  try {
    await models.CannotDoCase.create(doc);
  } catch (err) {
    if (!isDuplicateKey(err)) throw err;
    throw conflict(`The 事办不成 finding of request ${request.number} is recorded already`);
  }
  const delta = new Map([[cannotDoGroupKey(doc), 1]]);
  const ids = [cannotDoCounterId(doc.streetCode, null), cannotDoCounterId(doc.streetCode, doc.month)];
  // As with the request counters: the finding is stored, so a counter that cannot be written is
  // logged (and fixed by rebuildStatsCounters), never the mutation's error.
  const results = await Promise.allSettled(ids.map((id) => bump(models, id, delta, now)));
  for (const [i, r] of results.entries()) {
    if (r.status === 'rejected') log.error({ err: r.reason, counter: ids[i] }, '事办不成 counter not updated: figures are off until rebuildStatsCounters runs');
  }
  // The overview's hall panel reads the street's figures again when its street changes.
  await publishAfterCommit(ctx.pubsub, topics.overviewChanged(request.districtCode), { streetCode: request.streetCode }, ctx.log);
  return request;
}

/** The figures of a street's service hall, every month or one (`YYYY-MM`): one counter read. */
export async function cannotDoStats(ctx: Pick<ServiceContext<Models>, 'models'>, input: { streetCode: string; month?: string | null }): Promise<CannotDoStatsValue> {
  const { streetCode: streetCodeRaw, month: monthRaw } = input;
  const { models } = ctx;
  const streetCode = validate.code('streetCode', streetCodeRaw);
  let month: string | null = null;
  if (monthRaw != null) {
    if (!/^\d{4}-(0[1-9]|1[0-2])$/.test(monthRaw)) throw badInput('month', 'must be a month as YYYY-MM, e.g. 2026-11');
    month = monthRaw;
  }
  const counter = await models.StatsCounter.findById(cannotDoCounterId(streetCode, month)).lean();
  return buildCannotDoStats(streetCode, month, counter?.groups ?? {});
}

/** Every 事办不成 counter recomputed from the cases (for rebuildStatsCounters). */
export async function countCannotDoCases(models: Models): Promise<Map<string, Record<string, number>>> {
  const counts = new Map<string, Record<string, number>>();
  const cursor = models.CannotDoCase.find({}).lean<CannotDoCaseDoc[]>().batchSize(5000).cursor();
  for await (const c of cursor) {
    const key = cannotDoGroupKey(c);
    for (const id of [cannotDoCounterId(c.streetCode, null), cannotDoCounterId(c.streetCode, c.month)]) {
      const groups = counts.get(id) ?? {};
      groups[key] = (groups[key] ?? 0) + 1;
      counts.set(id, groups);
    }
  }
  return counts;
}
