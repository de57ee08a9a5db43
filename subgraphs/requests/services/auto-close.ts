import { addDays } from '../../../shared/subgraph/time';
import { autoCloseDueAt } from '../domain/deadlines';
import { publishRequestChange } from '../events';
import type { RequestDoc } from '../models';
import type { RequestsService } from './deps';
import { applyStep } from './steps';

/**
 * Closes resolved requests the resident has not evaluated within the evaluation window, as the
 * hotline does ("逾期未评价视为办结"). Each close goes through the request's version claim, so
 * concurrent runs (or a late evaluation) never close one twice. Returns how many it closed.
 */
export async function autoCloseResolved(ctx: RequestsService): Promise<number> {
  const { models, pubsub } = ctx;
  const now = ctx.clock();
  // The window is 3 working days, at least 3 calendar days: narrow by that, then apply the exact rule.
  const candidates = await models.Request.find({ status: 'RESOLVED', resolvedAt: { $lt: addDays(now, -3) } }).lean<RequestDoc[]>();
  let closed = 0;
  for (const candidate of candidates) {
    const updated = await applyStep(
      models,
      candidate,
      (d) => {
        if (d.status !== 'RESOLVED' || !d.resolvedAt || autoCloseDueAt(new Date(d.resolvedAt)) > now) return null;
        return {
          set: { status: 'CLOSED', closedAt: now },
          events: [{ at: now, action: 'CLOSED', actor: 'system', role: 'system', status: 'CLOSED', note: '逾期未评价，自动办结', fromDepartmentId: null, toDepartmentId: null }],
        };
      },
      now,
    ).catch((err) => {
      if ((err as { extensions?: { code?: string } }).extensions?.code === 'CONFLICT') return null;
      throw err;
    });
    if (!updated) continue;
    closed += 1;
    await publishRequestChange(models, pubsub, updated, now);
  }
  return closed;
}
