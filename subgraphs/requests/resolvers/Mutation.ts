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
  registerResident: (_, { input }, ctx) => registerResident(ctx, input),
  verifyResidentRealName: (_, args, ctx) => verifyResidentRealName(ctx, args),
  submitRequest: async (_, { input }, ctx) => {
    const { request, read } = await submitAndPublish(ctx, input);
    if (read) {
      ctx.loaders.community.prime(read.community._id, read.community);
      ctx.loaders.item.prime(read.item._id, read.item);
      if (read.department) ctx.loaders.department.prime(read.department._id, read.department);
    }
    return request;
  },
  dispatchRequest: (_, args, ctx) => step(ctx, lifecycle.dispatchRequest, args),
  acceptRequest: (_, args, ctx) => step(ctx, lifecycle.acceptRequest, args),
  returnRequest: (_, args, ctx) => step(ctx, lifecycle.returnRequest, args),
  addRequestProgress: (_, args, ctx) => step(ctx, lifecycle.addProgress, args),
  extendRequestDeadline: (_, args, ctx) => step(ctx, lifecycle.extendDeadline, args),
  resolveRequest: (_, args, ctx) => step(ctx, lifecycle.resolveRequest, args),
  evaluateRequest: (_, args, ctx) => step(ctx, lifecycle.evaluateRequest, args),
  markRequestDuplicate: (_, args, ctx) => step(ctx, lifecycle.markDuplicate, args),
  superviseRequest: (_, args, ctx) => step(ctx, lifecycle.supervise, args),
  issueCommunityOrder: (_, args, ctx) => issueCommunityOrder(ctx, args),
  reportCommunityOrder: (_, args, ctx) => reportCommunityOrder(ctx, args),
  pushWelfarePolicy: (_, args, ctx) => pushWelfarePolicy(ctx, args),
  respondToPolicyPush: (_, args, ctx) => respondToPolicyPush(ctx, args),
  ...listsMutation,
  recordCannotDo: (_, args, ctx) => recordCannotDo(ctx, args),
};
