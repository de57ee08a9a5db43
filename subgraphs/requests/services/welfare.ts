import type { Viewer } from '../../../shared/platform/auth';
import { requireResident, requireRole } from '../../../shared/platform/auth';
import { conflict, forbidden, notFound } from '../../../shared/platform/errors';
import * as validate from '../../../shared/subgraph/validate';
import { isEligible } from '../domain/eligibility';
import type { Models, PolicyPushDoc, WelfarePolicyDoc } from '../models';
import { claimOnce } from './claims';

/**
 * Reverse service (反向办): matches a policy to every resident eligible now and records a push
 * for those not pushed before. The unique (policy, resident) index keeps concurrent pushes single.
 */
export async function pushWelfarePolicy(models: Models, viewer: Viewer, policyId: string, now: Date): Promise<{ policy: WelfarePolicyDoc; eligible: number; newlyPushed: number }> {
  const id = validate.code('policyId', policyId);
  requireRole(viewer, 'admin');
  const policy = await models.WelfarePolicy.findById(id).lean();
  if (!policy) throw notFound('WelfarePolicy', id);
  const [residents, communities] = await Promise.all([
    models.Resident.find({}, { idNumber: 1, homeCommunityCode: 1 }).lean(),
    models.Community.find({}, { districtCode: 1 }).lean(),
  ]);
  const districtOf = new Map(communities.map((c) => [c._id, c.districtCode]));
  const eligible = residents.filter((r) => isEligible(policy, { idNumber: r.idNumber, districtCode: districtOf.get(r.homeCommunityCode ?? '') }, now));
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
    const e = err as { code?: number; result?: { upsertedCount?: number } };
    if (e.code !== 11000) throw err;
    newlyPushed = e.result?.upsertedCount ?? 0;
  }
  return { policy, eligible: eligible.length, newlyPushed };
}

export async function respondToPolicyPush(models: Models, viewer: Viewer, id: string, accept: boolean, now: Date): Promise<PolicyPushDoc> {
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
