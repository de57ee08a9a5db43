import type { Viewer } from '../../../shared/platform/auth';
import { requireResident, requireRole } from '../../../shared/platform/auth';
import { badInput, conflict, forbidden, notFound, unauthenticated } from '../../../shared/platform/errors';
import * as validate from '../../../shared/subgraph/validate';
import { addMinutes, addWorkingDays } from '../../../shared/subgraph/time';
import { EMERGENCY_DISPATCH_MINUTES, HANDLING_DAYS, NORMAL_DISPATCH_MINUTES } from '../domain/catalog';
import { dispatchDeadlines, extendedDueAt, nextUpdateAfter, returnWindowEnds } from '../domain/deadlines';
import { assertTransition, statusAfterEvaluation, type EventAction, type LifecycleAction, type Rating, type RequestStatus } from '../domain/lifecycle';
import { canDispatch, canMarkDuplicate, isStaffOf } from '../domain/permissions';
import type { Models, RequestDoc, RequestEventDoc } from '../models';
import type { RequestsService } from './deps';
import { applyStep, type StepPlan } from './steps';

/** Who acts and when: the viewer, and the time read once for the whole step. */
export interface Actor {
  viewer: Viewer;
  now: Date;
}

/** A step reads the clock once: every event and deadline of the step carries that one time. */
export function actorOf(ctx: RequestsService): Actor {
  return { viewer: ctx.viewer, now: ctx.clock() };
}

function event(actor: Actor, action: EventAction, status: RequestStatus, extra: Partial<RequestEventDoc> = {}): RequestEventDoc {
  const { viewer, now } = actor;
  return { at: now, action, actor: viewer.subject ?? viewer.role, role: viewer.role, status, note: null, fromDepartmentId: null, toDepartmentId: null, ...extra };
}

async function loadRequest(models: Models, id: string): Promise<RequestDoc> {
  const _id = validate.objectId('id', id);
  const doc = await models.Request.findById(_id).lean<RequestDoc>();
  if (!doc) throw notFound('Request', id);
  return doc;
}

/** Runs a step whose plan always applies or throws (lifecycle steps never "skip"). */
async function run(models: Models, actor: Actor, doc: RequestDoc, plan: (doc: RequestDoc) => StepPlan): Promise<RequestDoc> {
  return (await applyStep(models, doc, plan, actor.now))!;
}

/**
 * Department actions: staff only, then the state (CONFLICT naming the status, which is public
 * anyway), then the department the request is assigned to now.
 */
function requireDepartmentStaff(viewer: Viewer, doc: RequestDoc, action: LifecycleAction): void {
  requireRole(viewer, 'staff');
  assertTransition(action, doc.status);
  if (!isStaffOf(viewer, doc.departmentId)) throw forbidden('Only the staff of the department the request is assigned to can do this');
}

const lastReturner = (doc: RequestDoc) => (doc.status === 'RETURNED' ? doc.timeline.filter((e) => e.action === 'RETURNED').at(-1)?.fromDepartmentId ?? null : null);

/** Admins or the street office (re-)dispatch a submitted or returned request; a return to another department is upheld. */
export async function dispatchRequest(ctx: RequestsService, input: { id: string; departmentId: string; note?: string | null }): Promise<RequestDoc> {
  const { id, departmentId: departmentIdRaw, note: noteRaw } = input;
  const { models } = ctx;
  const actor = actorOf(ctx);
  const departmentId = validate.code('departmentId', departmentIdRaw);
  const note = validate.optionalText('note', noteRaw, { max: 500, multiline: true }) ?? null;
  if (actor.viewer.role === 'anonymous') throw unauthenticated();
  const doc = await loadRequest(models, id);
  const department = await models.Department.findById(departmentId).lean();
  if (!department) throw badInput('departmentId', 'is not a known department');
  if (!canDispatch(actor.viewer, doc)) throw forbidden('Only admins and the street office of the request can dispatch it');
  let returnedBy: string | null = null;
  const updated = await run(models, actor, doc, (d) => {
    assertTransition('dispatch', d.status);
    returnedBy = lastReturner(d);
    return {
      set: { status: 'DISPATCHED', departmentId, dispatchedAt: actor.now, acceptedAt: null, extended: false, urgedAt: null, escalatedAt: null, ...dispatchDeadlines(actor.now, d.level) },
      events: [event(actor, 'DISPATCHED', 'DISPATCHED', { note, fromDepartmentId: returnedBy, toDepartmentId: departmentId })],
    };
  });
  if (returnedBy) await models.Return.updateMany({ requestId: String(doc._id), upheld: null }, { $set: { upheld: returnedBy !== departmentId } });
  return updated;
}

export async function acceptRequest(ctx: RequestsService, input: { id: string }): Promise<RequestDoc> {
  const { id } = input;
  const { models } = ctx;
  const actor = actorOf(ctx);
  if (actor.viewer.role === 'anonymous') throw unauthenticated();
  const doc = await loadRequest(models, id);
  return run(models, actor, doc, (d) => {
    requireDepartmentStaff(actor.viewer, d, 'accept');
    return {
      set: { status: 'ACCEPTED', acceptedAt: actor.now, nextUpdateDueAt: nextUpdateAfter(actor.now, d.level) },
      events: [event(actor, 'ACCEPTED', 'ACCEPTED', { toDepartmentId: d.departmentId })],
    };
  });
}

/** Within 2 working days of dispatch, with a reason; the request goes back to the street office to re-dispatch. */
export async function returnRequest(ctx: RequestsService, input: { id: string; reason: string }): Promise<RequestDoc> {
  const { id, reason: reasonRaw } = input;
  const { models } = ctx;
  const actor = actorOf(ctx);
  const reason = validate.text('reason', reasonRaw, { max: 500, multiline: true });
  if (actor.viewer.role === 'anonymous') throw unauthenticated();
  const doc = await loadRequest(models, id);
  let returningDepartment = '';
  const updated = await run(models, actor, doc, (d) => {
    requireDepartmentStaff(actor.viewer, d, 'return');
    const deadline = returnWindowEnds(d.dispatchedAt ?? d.submittedAt);
    if (actor.now > deadline) {
      throw conflict(`A request can only be returned within 2 working days of dispatch (until ${deadline.toISOString()})`, { status: d.status, action: 'return' });
    }
    returningDepartment = d.departmentId!;
    const redispatchWithin = d.level === 1 ? EMERGENCY_DISPATCH_MINUTES : NORMAL_DISPATCH_MINUTES;
    return {
      set: { status: 'RETURNED', departmentId: null, acceptDueAt: null, nextUpdateDueAt: null, dispatchDueAt: addMinutes(actor.now, redispatchWithin) },
      events: [event(actor, 'RETURNED', 'RETURNED', { note: reason, fromDepartmentId: d.departmentId })],
    };
  });
  await models.Return.create({ requestId: String(doc._id), departmentId: returningDepartment, reason, at: actor.now, upheld: null });
  return updated;
}

export async function addProgress(ctx: RequestsService, input: { id: string; note: string }): Promise<RequestDoc> {
  const { id, note: noteRaw } = input;
  const { models } = ctx;
  const actor = actorOf(ctx);
  const note = validate.text('note', noteRaw, { max: 1000, multiline: true });
  if (actor.viewer.role === 'anonymous') throw unauthenticated();
  const doc = await loadRequest(models, id);
  return run(models, actor, doc, (d) => {
    requireDepartmentStaff(actor.viewer, d, 'progress');
    return { set: { status: 'IN_PROGRESS', nextUpdateDueAt: nextUpdateAfter(actor.now, d.level) }, events: [event(actor, 'PROGRESS', 'IN_PROGRESS', { note })] };
  });
}

/** Once per handling round: 5 → 10 working days from the same dispatch. */
export async function extendDeadline(ctx: RequestsService, input: { id: string; reason: string }): Promise<RequestDoc> {
  const { id, reason: reasonRaw } = input;
  const { models } = ctx;
  const actor = actorOf(ctx);
  const reason = validate.text('reason', reasonRaw, { max: 500, multiline: true });
  if (actor.viewer.role === 'anonymous') throw unauthenticated();
  const doc = await loadRequest(models, id);
  return run(models, actor, doc, (d) => {
    requireDepartmentStaff(actor.viewer, d, 'extend');
    if (d.extended) throw conflict('The deadline has already been extended once', { status: d.status, action: 'extend' });
    return { set: { extended: true, handlingDays: 10, dueAt: extendedDueAt(d.dispatchedAt ?? d.submittedAt) }, events: [event(actor, 'EXTENDED', d.status, { note: reason })] };
  });
}

export async function resolveRequest(ctx: RequestsService, input: { id: string; note: string }): Promise<RequestDoc> {
  const { id, note: noteRaw } = input;
  const { models } = ctx;
  const actor = actorOf(ctx);
  const note = validate.text('note', noteRaw, { max: 1000, multiline: true });
  if (actor.viewer.role === 'anonymous') throw unauthenticated();
  const doc = await loadRequest(models, id);
  return run(models, actor, doc, (d) => {
    requireDepartmentStaff(actor.viewer, d, 'resolve');
    return {
      set: { status: 'RESOLVED', resolvedAt: actor.now, resolvedOnTime: actor.now <= new Date(d.dueAt), nextUpdateDueAt: null },
      events: [event(actor, 'RESOLVED', 'RESOLVED', { note })],
    };
  });
}

/**
 * The submitting resident evaluates a resolved request: satisfied or basically satisfied closes
 * it; unsatisfied reopens it to the same department with a fresh round of 5 working days.
 */
export async function evaluateRequest(ctx: RequestsService, input: { id: string; rating: Rating; comment?: string | null }): Promise<RequestDoc> {
  const { id, rating, comment: commentRaw } = input;
  const { models } = ctx;
  const actor = actorOf(ctx);
  const comment = validate.optionalText('comment', commentRaw, { max: 500, multiline: true }) ?? null;
  const residentId = requireResident(actor.viewer);
  const doc = await loadRequest(models, id);
  if (doc.residentId !== residentId) throw forbidden('Only the resident who filed the request can evaluate it');
  return run(models, actor, doc, (d) => {
    assertTransition('evaluate', d.status);
    const status = statusAfterEvaluation(rating);
    const evaluation = { rating, comment, at: actor.now };
    const evaluated = event(actor, 'EVALUATED', 'RESOLVED', { note: comment ? `${rating}: ${comment}` : rating });
    if (status === 'CLOSED') {
      return { set: { status, evaluation, rating, closedAt: actor.now }, events: [evaluated, event(actor, 'CLOSED', 'CLOSED')] };
    }
    return {
      set: {
        status,
        evaluation,
        rating,
        resolvedAt: null,
        resolvedOnTime: null,
        dispatchedAt: actor.now,
        dueAt: addWorkingDays(actor.now, HANDLING_DAYS),
        handlingDays: HANDLING_DAYS,
        extended: false,
        urgedAt: null,
        escalatedAt: null,
        nextUpdateDueAt: nextUpdateAfter(actor.now, d.level),
      },
      events: [evaluated, event(actor, 'REOPENED', 'REOPENED', { toDepartmentId: d.departmentId })],
    };
  });
}

/** Closes a request as a duplicate, linked to the root of the parent's duplicate chain. */
export async function markDuplicate(ctx: RequestsService, input: { id: string; parentId: string }): Promise<RequestDoc> {
  const { id, parentId: parentIdRaw } = input;
  const { models } = ctx;
  const actor = actorOf(ctx);
  validate.objectId('parentId', parentIdRaw);
  if (parentIdRaw === id) throw badInput('parentId', 'cannot be the request itself');
  if (actor.viewer.role === 'anonymous') throw unauthenticated();
  const doc = await loadRequest(models, id);
  const parent = await models.Request.findById(parentIdRaw).lean<RequestDoc>();
  if (!parent) throw notFound('Request', parentIdRaw);
  if (!canMarkDuplicate(actor.viewer, doc)) throw forbidden('Only admins, the assigned department and the street office can mark duplicates');
  const rootId = parent.status === 'DUPLICATE' && parent.parentId ? parent.parentId : String(parent._id);
  if (rootId === id) throw badInput('parentId', 'is itself a duplicate of this request');
  return run(models, actor, doc, (d) => {
    assertTransition('markDuplicate', d.status);
    return { set: { status: 'DUPLICATE', parentId: rootId, closedAt: actor.now, nextUpdateDueAt: null }, events: [event(actor, 'MARKED_DUPLICATE', 'DUPLICATE', { note: `parent ${rootId}` })] };
  });
}

/** Admin supervision: an urge notice or an escalation, recorded against the department responsible now. */
export async function supervise(ctx: RequestsService, input: { id: string; action: 'URGE' | 'ESCALATE'; note?: string | null }): Promise<RequestDoc> {
  const { id, action, note: noteRaw } = input;
  const { models } = ctx;
  const actor = actorOf(ctx);
  const note = validate.optionalText('note', noteRaw, { max: 500, multiline: true }) ?? null;
  requireRole(actor.viewer, 'admin');
  const doc = await loadRequest(models, id);
  let departmentId: string | null = null;
  const updated = await run(models, actor, doc, (d) => {
    assertTransition('supervise', d.status);
    departmentId = d.departmentId ?? null;
    return {
      set: action === 'ESCALATE' ? { escalated: true } : {},
      inc: action === 'URGE' ? { urgeCount: 1 } : undefined,
      events: [event(actor, action === 'URGE' ? 'URGED' : 'ESCALATED', d.status, { note, toDepartmentId: d.departmentId })],
    };
  });
  await models.Supervision.create({ requestId: String(doc._id), departmentId, action, at: actor.now, actor: actor.viewer.subject ?? 'admin', automatic: false, note });
  return updated;
}
