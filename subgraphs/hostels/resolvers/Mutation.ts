import { registeredViewer, requireRegistered } from '../../../shared/subgraph/residents';
import { requireResident } from '../../../shared/platform/auth';
import { unauthenticated } from '../../../shared/platform/errors';
import { localDateString } from '../../../shared/subgraph/time';
import * as validate from '../../../shared/subgraph/validate';
import type { Context } from '../context';
import { parseApplyInput } from '../domain/apply-input';
import type { MutationResolvers } from '../generated/graphql';
import { applyForStay, cancelStay, checkInStay, checkOutStay, type StayDeps } from '../services/stays';

function deps(ctx: Context): StayDeps {
  return { models: ctx.models, pubsub: ctx.pubsub, now: ctx.clock() };
}

function signedIn(ctx: Context): void {
  if (ctx.viewer.role === 'anonymous') throw unauthenticated();
}

export const Mutation: MutationResolvers = {
  async applyForHostel(_, { input }, ctx) {
    const residentId = await registeredViewer(ctx, { realName: true });
    const d = deps(ctx);
    return applyForStay(d, residentId, parseApplyInput(input as Record<string, unknown>, localDateString(d.now)));
  },

  cancelHostelStay(_, args, ctx) {
    signedIn(ctx);
    return cancelStay(deps(ctx), ctx.viewer, validate.objectId('id', args.id));
  },

  checkInHostelStay(_, args, ctx) {
    signedIn(ctx);
    return checkInStay(deps(ctx), ctx.viewer, validate.objectId('id', args.id), args.idVerified, (residentId) =>
      requireRegistered(ctx, residentId, { field: 'id', realName: true }),
    );
  },

  checkOutHostelStay(_, args, ctx) {
    signedIn(ctx);
    return checkOutStay(deps(ctx), ctx.viewer, validate.objectId('id', args.id));
  },
};
