import type { MutationResolvers } from '../generated/graphql';
import type { Context } from '../context';
import { publishRequestChange } from '../events';
import type { RequestDoc } from '../models';
import * as lifecycle from '../services/lifecycle';
import { issueCommunityOrder, reportCommunityOrder } from '../services/orders';
import { registerResident, verifyResidentRealName } from '../services/residents';
import { submitRequest } from '../services/submit';
import { pushWelfarePolicy, respondToPolicyPush } from '../services/welfare';

/** Runs one lifecycle step with the operation's clock, then tells the community's subscribers. */
async function step(ctx: Context, run: (actor: lifecycle.Actor) => Promise<RequestDoc>): Promise<RequestDoc> {
  const now = ctx.clock();
  const request = await run({ viewer: ctx.viewer, now });
  await publishRequestChange(ctx.models, ctx.pubsub, request, now);
  return request;
}

export const Mutation: MutationResolvers = {
  registerResident: (_, { input }, ctx) => registerResident(ctx.models, ctx.viewer, input, ctx.clock()),
  verifyResidentRealName: (_, { id }, ctx) => verifyResidentRealName(ctx.models, ctx.viewer, id, ctx.clock()),
  submitRequest: async (_, { input }, ctx) => {
    const now = ctx.clock();
    const { request, created, read } = await submitRequest(ctx.models, ctx.viewer, input, now, ctx.references);
    if (read) {
      ctx.loaders.community.prime(read.community._id, read.community);
      ctx.loaders.item.prime(read.item._id, read.item);
      if (read.department) ctx.loaders.department.prime(read.department._id, read.department);
    }
    if (created) await publishRequestChange(ctx.models, ctx.pubsub, request, now);
    return request;
  },
  dispatchRequest: (_, { id, departmentId, note }, ctx) => step(ctx, (a) => lifecycle.dispatchRequest(ctx.models, a, id, departmentId, note)),
  acceptRequest: (_, { id }, ctx) => step(ctx, (a) => lifecycle.acceptRequest(ctx.models, a, id)),
  returnRequest: (_, { id, reason }, ctx) => step(ctx, (a) => lifecycle.returnRequest(ctx.models, a, id, reason)),
  addRequestProgress: (_, { id, note }, ctx) => step(ctx, (a) => lifecycle.addProgress(ctx.models, a, id, note)),
  extendRequestDeadline: (_, { id, reason }, ctx) => step(ctx, (a) => lifecycle.extendDeadline(ctx.models, a, id, reason)),
  resolveRequest: (_, { id, note }, ctx) => step(ctx, (a) => lifecycle.resolveRequest(ctx.models, a, id, note)),
  evaluateRequest: (_, { id, rating, comment }, ctx) => step(ctx, (a) => lifecycle.evaluateRequest(ctx.models, a, id, rating, comment)),
  markRequestDuplicate: (_, { id, parentId }, ctx) => step(ctx, (a) => lifecycle.markDuplicate(ctx.models, a, id, parentId)),
  superviseRequest: (_, { id, action, note }, ctx) => step(ctx, (a) => lifecycle.supervise(ctx.models, a, id, action, note)),
  issueCommunityOrder: (_, args, ctx) => issueCommunityOrder(ctx.models, ctx.viewer, args, ctx.clock()),
  reportCommunityOrder: (_, { id, note }, ctx) => reportCommunityOrder(ctx.models, ctx.viewer, id, note, ctx.clock()),
  pushWelfarePolicy: (_, { policyId }, ctx) => pushWelfarePolicy(ctx.models, ctx.viewer, policyId, ctx.clock()),
  respondToPolicyPush: (_, { id, accept }, ctx) => respondToPolicyPush(ctx.models, ctx.viewer, id, accept, ctx.clock()),
};
