import { refKey } from '../../../shared/subgraph';
import type { Open311ServiceRequest, RequestEventResolvers, RequestResolvers } from '../generated/graphql';
import { levelColor } from '../domain/grading';
import { isOpen } from '../domain/lifecycle';
import { canSeeSubmitter } from '../domain/permissions';
import { visibleActor } from '../../../shared/subgraph/privacy';
import { versionId } from '../models/list-versions';

/** Events that crossed a Redis pub/sub arrive as JSON, with dates as strings. */
const toDate = (value: Date | string | null | undefined): Date | null => (value == null ? null : value instanceof Date ? value : new Date(value));

export const Request: RequestResolvers = {
  __resolveReference: (ref, ctx) => ctx.loaders.request.load(refKey(ref)),
  id: (r) => String(r._id),
  levelColor: (r) => levelColor(r.level),
  urgent: (r) => r.urgent ?? false,
  category: (r, _, ctx) => ctx.loaders.category.load(r.categoryCode),
  item: (r, _, ctx) => ctx.loaders.item.load(r.itemCode),
  itemVersion: (r, _, ctx) => ctx.loaders.itemVersion.load(versionId(r.itemCode, r.itemVersion ?? 1)),
  department: (r, _, ctx) => (r.departmentId ? ctx.loaders.department.load(r.departmentId) : null),
  community: async (r, _, ctx) => (await ctx.loaders.community.load(r.communityCode))!,
  parkingLot: (r) => (r.parkingLotId ? { id: r.parkingLotId } : null),
  parent: (r, _, ctx) => (r.parentId ? ctx.loaders.request.load(r.parentId) : null),
  duplicates: (r, _, ctx) => ctx.loaders.duplicatesByParent.load(String(r._id)),
  submitter: (r, _, ctx) => (r.residentId && canSeeSubmitter(ctx.viewer, r) ? ctx.loaders.resident.load(r.residentId) : null),
  extended: (r) => r.extended ?? false,
  overdue: (r, _, ctx) => {
    const deadline = toDate(r.currentDeadline);
    return isOpen(r.status) && deadline !== null && deadline < ctx.clock();
  },
  timeLeftSeconds: (r, _, ctx) => {
    const deadline = toDate(r.currentDeadline);
    if (!isOpen(r.status) || !deadline) return null;
    return Math.round((deadline.getTime() - ctx.clock().getTime()) / 1000);
  },
  resolvedOnTime: (r) => r.resolvedOnTime ?? null,
  // The actor is resolved here, where the request's owner is known; subscription events resolve
  // through this same field, so they follow the subscriber's viewer too.
  timeline: (r, _, ctx) => (r.timeline ?? []).map((e) => ({ ...e, actor: visibleActor(ctx.viewer, e, r.residentId) })),
  evaluation: (r) => (r.evaluation?.rating ? r.evaluation : null),
  urgeCount: (r) => r.urgeCount ?? 0,
  escalated: (r) => r.escalated ?? false,
  open311: async (r, _, ctx) => {
    const [item, department] = await Promise.all([
      ctx.loaders.item.load(r.itemCode),
      r.departmentId ? ctx.loaders.department.load(r.departmentId) : null,
    ]);
    const last = r.timeline?.at(-1);
    const result: Open311ServiceRequest = {
      service_request_id: r.number,
      service_code: r.itemCode,
      service_name: item?.name ?? null,
      status: isOpen(r.status) ? 'open' : 'closed',
      status_notes: last?.note ?? null,
      agency_responsible: department?.name ?? null,
      description: r.description,
      lat: r.lat ?? null,
      long: r.lng ?? null,
      address: r.address ?? null,
      requested_datetime: r.submittedAt,
      updated_datetime: last?.at ?? null,
      expected_datetime: r.dueAt,
    };
    return result;
  },
  cannotDo: (r, _, ctx) => (r.channel === 'WALK_IN' ? ctx.loaders.cannotDoCase.load(String(r._id)) : null),
};

export const RequestEvent: RequestEventResolvers = {
  note: (e) => e.note ?? null,
  fromDepartment: (e, _, ctx) => (e.fromDepartmentId ? ctx.loaders.department.load(e.fromDepartmentId) : null),
  toDepartment: (e, _, ctx) => (e.toDepartmentId ? ctx.loaders.department.load(e.toDepartmentId) : null),
};

