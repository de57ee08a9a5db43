import type { MutationResolvers } from '../generated/graphql';
import * as lifecycle from '../services/lifecycle';
import { issueCommunityOrder, reportCommunityOrder } from '../services/orders';
import { runStep, submitAndPublish } from '../services/publishing';
import { registerResident, verifyResidentRealName } from '../services/residents';
import { recordCannotDo } from '../services/cannot-do';
import { pushWelfarePolicy, respondToPolicyPush } from '../services/welfare';
import { listsMutation } from './lists';

const step = runStep;

export const Mutation: MutationResolvers = {
  registerResident: (_, { input }, ctx) => registerResident(ctx.models, ctx.viewer, input, ctx.clock()),
  verifyResidentRealName: (_, { id }, ctx) => verifyResidentRealName(ctx.models, ctx.viewer, id, ctx.clock()),
  submitRequest: async (_, { input }, ctx) => {
    const { request, read } = await submitAndPublish(ctx, input);
    if (read) {
      ctx.loaders.community.prime(read.community._id, read.community);
      ctx.loaders.item.prime(read.item._id, read.item);
      if (read.department) ctx.loaders.department.prime(read.department._id, read.department);
    }
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
  ...listsMutation,
  recordCannotDo: (_, args, ctx) => recordCannotDo(ctx, args),
};
