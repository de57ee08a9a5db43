import { createLogger } from '../../../shared/platform/logger';
import type { PubSub } from '../../../shared/platform/pubsub';
import { claimOnce, publishAfterCommit } from '../../../shared/subgraph';
import { localParts, startOfLocalDay } from '../../../shared/subgraph/time';
import { ALERT_STAGES, alertStageDueAt, supervisedDeadlines, type AlertStage, type DeadlineKind } from '../domain/deadlines';
import { streetOfficeId } from '../domain/permissions';
import { publishRequestChange } from '../events';
import type { Models, RequestDoc, RequestEventDoc, SupervisionAlertDoc } from '../models';
import type { RequestsService } from './deps';
import { applyStep } from './steps';

const log = createLogger('requests');

/** The one topic of raised alerts; each subscription filters it by its scope. */
export const ALERT_TOPIC = 'requests.supervisionAlertRaised';

export const ALL_DEADLINE_KINDS: DeadlineKind[] = ['REVIEW', 'DISPATCH', 'ACCEPTANCE', 'UPDATE', 'HANDLING', 'RETURN'];

/** An alert left unrecorded this long (its replica died between claim and timeline) is finished by the next sweep. */
const RECOVER_AFTER_MS = 60_000;

const KIND_NAMES: Record<DeadlineKind, string> = {
  REVIEW: '一级事件审核',
  DISPATCH: '派单',
  RETURN: '退回后重新派单',
  ACCEPTANCE: '签收受理',
  UPDATE: '一级事件每小时进展报告',
  HANDLING: '办理',
  ORDER_REPORT: '社区发令报到',
};
const STAGE_NOTES: Record<AlertStage, string> = { URGE: '催办', STREET: '升级至街道督办', DISTRICT: '升级至区督办' };

const pad = (n: number) => String(n).padStart(2, '0');
function localStamp(d: Date): string {
  const p = localParts(d);
  return `${p.year}-${pad(p.month)}-${pad(p.day)} ${pad(Math.floor(p.minutes / 60))}:${pad(p.minutes % 60)}`;
}

/** The alert's text for timelines and boards (Chinese; no personal data). */
export function alertMessage(a: Pick<SupervisionAlertDoc, 'deadline' | 'stage' | 'dueAt'>): string {
  return `${KIND_NAMES[a.deadline]}超时（时限 ${localStamp(new Date(a.dueAt))}）：${STAGE_NOTES[a.stage]}`;
}

export function alertId(requestId: string, kind: DeadlineKind, dueAt: Date, stage: AlertStage): string {
  return `${requestId}:${kind}:${dueAt.toISOString()}:${stage}`;
}

/** Review, dispatch and re-dispatch are owed by the street office; the rest by the department holding the case. */
function owedBy(r: RequestDoc, kind: DeadlineKind): string | null {
  if (kind === 'REVIEW' || kind === 'DISPATCH' || kind === 'RETURN') return streetOfficeId(r.streetCode);
  return r.departmentId ?? null;
}

/** Every alert due for the request at `now` in its current state (raised or not). */
export function dueAlerts(r: RequestDoc, now: Date, kinds: readonly DeadlineKind[] = ALL_DEADLINE_KINDS): SupervisionAlertDoc[] {
  const out: SupervisionAlertDoc[] = [];
  const requestId = String(r._id);
  for (const { kind, dueAt } of supervisedDeadlines(r)) {
    if (!kinds.includes(kind)) continue;
    for (const stage of ALERT_STAGES) {
      const stageDueAt = alertStageDueAt(kind, dueAt, r.level, stage);
      if (stageDueAt > now) break;
      out.push({
        _id: alertId(requestId, kind, dueAt, stage),
        requestId,
        deadline: kind,
        stage,
        dueAt,
        stageDueAt,
        raisedAt: now,
        departmentId: owedBy(r, kind),
        communityCode: r.communityCode,
        streetCode: r.streetCode,
        districtCode: r.districtCode,
        recorded: false,
      });
    }
  }
  return out;
}

const onTimeline = (r: RequestDoc) => new Set(r.timeline.map((e) => e.alertId).filter((id): id is string => !!id));

/** Requests with a limit of `kinds` passed by `now`: equality on status / open + level, the due time a range. */
async function candidates(models: Models, kinds: readonly DeadlineKind[], now: Date): Promise<RequestDoc[]> {
  const lte = { $lte: now };
  const queries: Array<Record<string, unknown>> = [];
  if (kinds.includes('REVIEW')) queries.push({ open: true, level: 1, reviewDueAt: lte });
  if (kinds.includes('DISPATCH')) queries.push({ status: 'SUBMITTED', dispatchDueAt: lte });
  if (kinds.includes('RETURN')) queries.push({ status: 'RETURNED', dispatchDueAt: lte });
  if (kinds.includes('ACCEPTANCE')) queries.push({ status: 'DISPATCHED', acceptDueAt: lte });
  if (kinds.includes('UPDATE')) queries.push({ open: true, level: 1, nextUpdateDueAt: lte });
  if (kinds.includes('HANDLING')) {
    // The urge starts at the local midnight after the deadline's day.
    for (const status of ['DISPATCHED', 'ACCEPTED', 'IN_PROGRESS', 'REOPENED']) queries.push({ status, dueAt: { $lt: startOfLocalDay(now) } });
  }
  const found = await Promise.all(queries.map((q) => models.Request.find(q).lean<RequestDoc[]>().exec()));
  const byId = new Map<string, RequestDoc>();
  for (const r of found.flat()) byId.set(String(r._id), r);
  return [...byId.values()];
}

function alertEvent(d: RequestDoc, a: SupervisionAlertDoc, now: Date): RequestEventDoc {
  return {
    at: now,
    action: a.stage === 'URGE' ? 'URGED' : 'ESCALATED',
    actor: 'system',
    role: 'system',
    status: d.status,
    note: alertMessage(a),
    fromDepartmentId: null,
    toDepartmentId: a.departmentId ?? null,
    alertId: a._id,
  };
}

/**
 * Puts claimed alerts on the request's timeline (through its version claim, so never twice and
 * never interleaved with a department's step), re-checking on the fresh state that each is still
 * due: one the department beat by a moment is withdrawn. Then records them for the boards and
 * publishes them. Returns how many it recorded; a contended request is left for the next sweep.
 */
async function recordAlerts(models: Models, pubsub: PubSub, candidate: RequestDoc, claimed: SupervisionAlertDoc[], now: Date): Promise<number> {
  let kept: SupervisionAlertDoc[] = [];
  let written: SupervisionAlertDoc[] = [];
  let withdrawn: SupervisionAlertDoc[] = [];
  let updated: RequestDoc | null;
  try {
    updated = await applyStep(
      models,
      candidate,
      (d) => {
        const stillDue = new Set(dueAlerts(d, now, ALL_DEADLINE_KINDS).map((a) => a._id));
        const done = onTimeline(d);
        kept = claimed.filter((a) => stillDue.has(a._id) || done.has(a._id));
        withdrawn = claimed.filter((a) => !stillDue.has(a._id) && !done.has(a._id));
        written = kept.filter((a) => !done.has(a._id));
        if (!written.length) return null;
        const urges = written.filter((a) => a.stage === 'URGE');
        const set: Partial<RequestDoc> = {};
        if (written.some((a) => a.stage !== 'URGE')) set.escalated = true;
        // The handling round's markers, kept as the older supervision wrote them.
        if (written.some((a) => a.deadline === 'HANDLING' && a.stage === 'URGE')) set.urgedAt = now;
        if (written.some((a) => a.deadline === 'HANDLING' && a.stage === 'STREET')) set.escalatedAt = now;
        return { set, inc: urges.length ? { urgeCount: urges.length } : undefined, events: written.map((a) => alertEvent(d, a, now)) };
      },
      now,
    );
  } catch (err) {
    if ((err as { extensions?: { code?: string } }).extensions?.code === 'CONFLICT') return 0;
    throw err;
  }
  if (withdrawn.length) await models.SupervisionAlert.deleteMany({ _id: { $in: withdrawn.map((a) => a._id) } });
  if (!kept.length) return 0;
  if (written.length) {
    // The department board's urge and escalation counts.
    await models.Supervision.insertMany(
      written.map((a) => ({ requestId: a.requestId, departmentId: a.departmentId ?? null, action: a.stage === 'URGE' ? 'URGE' : 'ESCALATE', at: now, actor: 'system', automatic: true, note: alertMessage(a) })),
    );
  }
  await models.SupervisionAlert.updateMany({ _id: { $in: kept.map((a) => a._id) } }, { $set: { recorded: true } });
  for (const a of kept) await publishAfterCommit(pubsub, ALERT_TOPIC, { ...a, recorded: true }, log);
  if (updated) await publishRequestChange(models, pubsub, updated, now);
  return kept.length;
}

/** Alerts a replica claimed but did not record (it stopped in between): finished here. */
/**
 * Alerts a replica claimed over `RECOVER_AFTER_MS` ago but never recorded (it stopped in between),
 * grouped by what they are about: `requestId` for the requests' limits, `orderId` for community
 * orders (each sweep finishes its own kind).
 */
export async function staleAlertsBy(models: Models, now: Date, about: 'requestId' | 'orderId'): Promise<Map<string, SupervisionAlertDoc[]>> {
  const stale = (await models.SupervisionAlert.find({ recorded: false }).lean<SupervisionAlertDoc[]>().exec()).filter(
    (a) => !!a[about] && new Date(a.raisedAt).getTime() <= now.getTime() - RECOVER_AFTER_MS,
  );
  const grouped = new Map<string, SupervisionAlertDoc[]>();
  for (const a of stale) grouped.set(a[about]!, [...(grouped.get(a[about]!) ?? []), a]);
  return grouped;
}

async function recoverUnrecorded(models: Models, pubsub: PubSub, now: Date): Promise<number> {
  const byRequest = await staleAlertsBy(models, now, 'requestId');
  let recorded = 0;
  for (const [requestId, alerts] of byRequest) {
    const request = await models.Request.findById(requestId).lean<RequestDoc>();
    if (!request) {
      await models.SupervisionAlert.deleteMany({ requestId });
      continue;
    }
    recorded += await recordAlerts(models, pubsub, request, alerts, now);
  }
  return recorded;
}

/**
 * Supervision of every limit: for each request whose limit passed, raises the urge, then the
 * street office's and the district's escalations as their times come (`alertStageDueAt`). Each
 * alert is claimed once by inserting its id (`claimOnce`), so replicas sweeping together raise it
 * once; due items are selected by "due at or before now", so a sweep after downtime raises every
 * stage that came due meanwhile, each once. Returns how many alerts this call recorded.
 */
export async function superviseDeadlines(ctx: RequestsService, input: { kinds?: readonly DeadlineKind[] } = {}): Promise<number> {
  const { models, pubsub } = ctx;
  const now = ctx.clock();
  const kinds = input.kinds ?? ALL_DEADLINE_KINDS;
  let recorded = await recoverUnrecorded(models, pubsub, now);
  for (const candidate of await candidates(models, kinds, now)) {
    const done = onTimeline(candidate);
    const due = dueAlerts(candidate, now, kinds).filter((a) => !done.has(a._id));
    const claimed: SupervisionAlertDoc[] = [];
    for (const a of due) if (await claimOnce(models.SupervisionAlert, { ...a })) claimed.push(a);
    if (claimed.length) recorded += await recordAlerts(models, pubsub, candidate, claimed, now);
  }
  return recorded;
}
