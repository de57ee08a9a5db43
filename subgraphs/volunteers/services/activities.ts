import { Types } from 'mongoose';
import { badInput } from '../../../shared/platform/errors';
import type { ActivityPlan } from '../domain/activity-plan';
import type { ActivityDoc } from '../models';
import { isDuplicateKey } from '../../../shared/subgraph';
import type { VolunteersService } from './deps';

/**
 * Creates an activity and its shifts from a checked plan. There are no transactions, so the
 * shifts are written first and the activity last: until the activity exists nothing refers to
 * the shifts, and if it cannot be written they are removed. A repeated idempotency key from the
 * same account returns the first activity.
 */
export async function createActivity(ctx: VolunteersService, plan: ActivityPlan): Promise<ActivityDoc> {
  const { models } = ctx;
  const createdBy = ctx.viewer.subject ?? ctx.viewer.role;
  if (plan.idempotencyKey) {
    const first = await models.Activity.findOne({ createdBy, idempotencyKey: plan.idempotencyKey }).lean<ActivityDoc>();
    if (first) return first;
  }
  if (plan.teamId && !(await models.Team.exists({ _id: plan.teamId }))) throw badInput('input.teamId', 'is not a known team');
  if (plan.stationId) {
    const station = await models.Station.findById(plan.stationId, { communityCode: 1 }).lean();
    if (!station) throw badInput('input.stationId', 'is not a known U-station');
    if (station.communityCode !== plan.communityCode) throw badInput('input.stationId', 'is in another community');
  }

  const _id = new Types.ObjectId();
  await models.Shift.insertMany(
    plan.shifts.map((s, index) => ({ activityId: _id, index, startsAt: s.startsAt, endsAt: s.endsAt, capacity: s.capacity })),
  );
  try {
    const doc = await models.Activity.create({
      _id,
      title: plan.title,
      description: plan.description,
      communityCode: plan.communityCode,
      teamId: plan.teamId,
      stationId: plan.stationId,
      organiserId: plan.organiserId,
      startsAt: new Date(Math.min(...plan.shifts.map((s) => s.startsAt.getTime()))),
      endsAt: new Date(Math.max(...plan.shifts.map((s) => s.endsAt.getTime()))),
      createdBy,
      idempotencyKey: plan.idempotencyKey ?? `auto:${_id}`,
    });
    return doc.toObject() as ActivityDoc;
  } catch (err) {
    await models.Shift.deleteMany({ activityId: _id });
    if (isDuplicateKey(err) && plan.idempotencyKey) {
      const first = await models.Activity.findOne({ createdBy, idempotencyKey: plan.idempotencyKey }).lean<ActivityDoc>();
      if (first) return first;
    }
    throw err;
  }
}
