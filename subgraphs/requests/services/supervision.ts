import type { PubSub } from '../../../shared/platform/pubsub';
import { addDays, startOfLocalDay } from '../../../shared/subgraph/time';
import { escalateDueAt, urgeDueAt } from '../domain/deadlines';
import { applyStep } from './steps';
import { HANDLING_STATUSES } from '../domain/lifecycle';
import { publishRequestChange } from '../events';
import type { Models, RequestDoc, RequestEventDoc } from '../models';

type Step = 'URGE' | 'ESCALATE';

const NOTES: Record<Step, string> = { URGE: '超期督办：期限次日催办', ESCALATE: '超期5个工作日：升级督办' };

/**
 * Applies one supervision step through the request's version claim, re-checking on the fresh
 * state that it is still due (so two replicas, or a department acting at the same moment, never
 * make it happen twice). Null when it is no longer due.
 */
async function superviseStep(models: Models, candidate: RequestDoc, step: Step, now: Date): Promise<RequestDoc | null> {
  let departmentId: string | null = null;
  const applied = await applyStep(
    models,
    candidate,
    (d) => {
      if (!HANDLING_STATUSES.includes(d.status)) return null;
      const due = step === 'URGE' ? !d.urgedAt && urgeDueAt(new Date(d.dueAt)) <= now : !d.escalatedAt && escalateDueAt(new Date(d.dueAt)) <= now;
      if (!due) return null;
      departmentId = d.departmentId ?? null;
      const event: RequestEventDoc = {
        at: now,
        action: step === 'URGE' ? 'URGED' : 'ESCALATED',
        actor: 'system',
        role: 'system',
        status: d.status,
        note: NOTES[step],
        fromDepartmentId: null,
        toDepartmentId: d.departmentId ?? null,
      };
      return step === 'URGE'
        ? { set: { urgedAt: now }, inc: { urgeCount: 1 }, events: [event] }
        : { set: { escalatedAt: now, escalated: true }, events: [event] };
    },
    now,
  ).catch((err) => {
    // Still contended after the retries: the next run picks it up.
    if ((err as { extensions?: { code?: string } }).extensions?.code === 'CONFLICT') return null;
    throw err;
  });
  if (!applied) return null;
  await models.Supervision.create({ requestId: String(candidate._id), departmentId, action: step, at: now, actor: 'system', automatic: true, note: null });
  return applied;
}

/**
 * Automatic supervision of requests a department holds past their handling deadline: an urge
 * notice from the day after the deadline, an escalation once 5 working days late. Every step is
 * an atomic claim, so however many replicas run this at once each request is urged once and
 * escalated once per handling round. Returns how many steps this call applied.
 */
export async function superviseOverdue(models: Models, pubsub: PubSub, now: Date): Promise<number> {
  const changed = new Map<string, RequestDoc>();
  
  // dueAt before today's local midnight ⇔ the day after the deadline has begun.
  const toUrge = await models.Request.find({ status: { $in: HANDLING_STATUSES }, urgedAt: null, dueAt: { $lt: startOfLocalDay(now) } }).lean<RequestDoc[]>();
  for (const candidate of toUrge) {
    const r = await superviseStep(models, candidate, 'URGE', now);
    if (r) changed.set(`${r._id}:URGE`, r);
  }

  // 5 working days are at least 5 calendar days: narrow by that, then apply the exact rule.
  const late = await models.Request.find({ status: { $in: HANDLING_STATUSES }, escalatedAt: null, dueAt: { $lt: addDays(now, -5) } }).lean<RequestDoc[]>();
  for (const candidate of late) {
    if (escalateDueAt(candidate.dueAt) > now) continue;
    const r = await superviseStep(models, candidate, 'ESCALATE', now);
    if (r) changed.set(`${r._id}:ESCALATE`, r);
  }

  for (const r of changed.values()) await publishRequestChange(models, pubsub, r, now);
  return changed.size;
}
