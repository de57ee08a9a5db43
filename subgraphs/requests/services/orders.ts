import { requireRole } from '../../../shared/platform/auth';
import { badInput, conflict, forbidden, notFound } from '../../../shared/platform/errors';
import { requireArea } from '../../../shared/subgraph/access';
import * as validate from '../../../shared/subgraph/validate';
import { addDays } from '../../../shared/subgraph/time';
import { isStaffOf } from '../domain/permissions';
import type { CommunityOrderDoc } from '../models';
import type { RequestsService } from './deps';
import { claimOnce } from './claims';

/** How far ahead a community may set the report deadline. */
export const MAX_ORDER_DAYS = 30;

/** A community worker of that community (or an admin) orders a department to come and report by a time. */
export async function issueCommunityOrder(
  ctx: RequestsService,
  args: { communityCode: string; departmentId: string; subject: string; reportBy: string | Date },
): Promise<CommunityOrderDoc> {
  const { models, viewer } = ctx;
  const now = ctx.clock();
  const communityCode = validate.code('communityCode', args.communityCode);
  const departmentId = validate.code('departmentId', args.departmentId);
  const subject = validate.text('subject', args.subject, { max: 200 });
  const reportBy = validate.dateTime('reportBy', args.reportBy);
  if (reportBy <= now) throw badInput('reportBy', 'must be in the future');
  if (reportBy > addDays(now, MAX_ORDER_DAYS)) throw badInput('reportBy', `must be within ${MAX_ORDER_DAYS} days`);
  requireRole(viewer, 'community_worker', 'admin');
  requireArea(viewer, { communityCode }, 'communityCode');
  const [community, department] = await Promise.all([models.Community.findById(communityCode).lean(), models.Department.findById(departmentId).lean()]);
  if (!community) throw badInput('communityCode', 'is not a known community');
  if (!department) throw badInput('departmentId', 'is not a known department');
  const order = await models.CommunityOrder.create({
    communityCode,
    streetCode: community.streetCode,
    districtCode: community.districtCode,
    departmentId,
    subject,
    issuedBy: viewer.subject ?? viewer.role,
    issuedAt: now,
    reportBy,
    status: 'ISSUED',
  });
  return order.toObject();
}

/** The ordered department reports once; on time when by `reportBy`. */
export async function reportCommunityOrder(ctx: RequestsService, input: { id: string; note: string }): Promise<CommunityOrderDoc> {
  const { id, note: noteRaw } = input;
  const { models, viewer } = ctx;
  const now = ctx.clock();
  const _id = validate.objectId('id', id);
  const note = validate.text('note', noteRaw, { max: 1000, multiline: true });
  requireRole(viewer, 'staff');
  const order = await models.CommunityOrder.findById(_id).lean();
  if (!order) throw notFound('CommunityOrder', id);
  if (!isStaffOf(viewer, order.departmentId)) throw forbidden('Only the ordered department can report');
  if (order.status !== 'ISSUED' || !(await claimOnce(models, `order:${order._id}:report`, now))) {
    throw conflict('The order has already been reported', { status: 'REPORTED' });
  }
  const updated = await models.CommunityOrder.findOneAndUpdate(
    { _id },
    { $set: { status: 'REPORTED', reportedAt: now, reportNote: note, onTime: now <= order.reportBy } },
    { returnDocument: 'after' },
  ).lean();
  if (!updated) throw notFound('CommunityOrder', id);
  return updated;
}
