import { requireResident, requireRole } from '../../../shared/platform/auth';
import { conflict, forbidden, notFound } from '../../../shared/platform/errors';
import * as validate from '../../../shared/subgraph/validate';
import { eligibleResidents } from './welfare-policies';
import { recordListChange } from './list-audit';
import type { PolicyPushDoc, WelfarePolicyDoc } from '../models';
import type { RequestsService } from './deps';
import { isDuplicateKey } from '../../../shared/subgraph';
import { claimOnce } from './claims';

/**
 * Reverse service (反向办): matches a policy to every resident eligible now and records a push
 * for those not pushed before. The unique (policy, resident) index keeps concurrent pushes single.
 */
export async function pushWelfarePolicy(ctx: RequestsService, input: { policyId: string }): Promise<{ policy: WelfarePolicyDoc; eligible: number; newlyPushed: number }> {
  const { policyId } = input;
  const { models, viewer } = ctx;
  const now = ctx.clock();
  const id = validate.code('policyId', policyId);
  requireRole(viewer, 'admin');
  const policy = await models.WelfarePolicy.findById(id).lean();
  if (!policy) throw notFound('WelfarePolicy', id);
  if ((policy.target ?? 'RESIDENT') !== 'RESIDENT') throw conflict(`Policy ${id} is for ${policy.target}s, and only residents can be pushed to`);
  const eligible = await eligibleResidents(models, policy, now);
  if (eligible.length === 0) return { policy, eligible: 0, newlyPushed: 0 };
  let newlyPushed = 0;
  try {
    const result = await models.PolicyPush.bulkWrite(
      eligible.map((r) => ({
        updateOne: {
          filter: { policyId: id, residentId: r._id },
          update: { $setOnInsert: { policyId: id, residentId: r._id, status: 'PUSHED', pushedAt: now } },
          upsert: true,
        },
      })),
      { ordered: false },
    );
    newlyPushed = result.upsertedCount;
  } catch (err) {
    // A concurrent push inserted some of the same pairs first: the index refused the twins.
    const e = err as { result?: { upsertedCount?: number } };
    if (!isDuplicateKey(err)) throw err;
    newlyPushed = e.result?.upsertedCount ?? 0;
  }
  await recordListChange({ viewer, models, clock: () => now }, {
    entity: 'WELFARE_POLICY', entityId: id, action: 'PUSH', before: null, after: { eligible: eligible.length, newlyPushed }, summary: `推送 ${newlyPushed} 人（符合条件 ${eligible.length} 人）`,
  });
  return { policy, eligible: eligible.length, newlyPushed };
}

export async function respondToPolicyPush(ctx: RequestsService, input: { id: string; accept: boolean }): Promise<PolicyPushDoc> {
  const { id, accept } = input;
  const { models, viewer } = ctx;
  const now = ctx.clock();
  const _id = validate.objectId('id', id);
  const residentId = requireResident(viewer);
  const push = await models.PolicyPush.findById(_id).lean();
  if (!push) throw notFound('WelfarePolicyPush', id);
  if (push.residentId !== residentId) throw forbidden('This push was sent to another resident');
  if (push.status !== 'PUSHED' || !(await claimOnce(models, `push:${push._id}:answer`, now))) {
    throw conflict('The push has already been answered', { status: push.status });
  }
  const updated = await models.PolicyPush.findOneAndUpdate(
    { _id },
    { $set: { status: accept ? 'ACCEPTED' : 'DECLINED', respondedAt: now } },
    { returnDocument: 'after' },
  ).lean();
  if (!updated) throw notFound('WelfarePolicyPush', id);
  return updated;
}
