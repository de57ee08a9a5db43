import { registeredViewer, requireRegistered } from '../../../shared/subgraph/residents';
import { requireResident } from '../../../shared/platform/auth';
import { unauthenticated } from '../../../shared/platform/errors';
import { localDateString } from '../../../shared/subgraph/time';
import * as validate from '../../../shared/subgraph/validate';
import type { Context } from '../context';
import { parseApplyInput } from '../domain/apply-input';
import type { MutationResolvers } from '../generated/graphql';
import { addBed, closeBed, closeHostel, createHostel, reopenBed, reopenHostel, updateBed, updateHostel } from '../services/admin';
import { applyForStay, cancelStay, checkInStay, checkOutStay } from '../services/stays';

function signedIn(ctx: Context): void {
  if (ctx.viewer.role === 'anonymous') throw unauthenticated();
}

export const Mutation: MutationResolvers = {
  async applyForHostel(_, { input }, ctx) {
    const residentId = await registeredViewer(ctx, { realName: true });
    const application = parseApplyInput(input as Record<string, unknown>, localDateString(ctx.clock()));
    return applyForStay(ctx, { ...application, residentId });
  },

  cancelHostelStay(_, args, ctx) {
    signedIn(ctx);
    return cancelStay(ctx, { id: validate.objectId('id', args.id) });
  },

  checkInHostelStay(_, args, ctx) {
    signedIn(ctx);
    return checkInStay(ctx, {
      id: validate.objectId('id', args.id),
      idVerified: args.idVerified,
      confirmResident: (residentId) => requireRegistered(ctx, residentId, { field: 'id', realName: true }),
    });
  },

  checkOutHostelStay(_, args, ctx) {
    signedIn(ctx);
    return checkOutStay(ctx, { id: validate.objectId('id', args.id) });
  },

  createHostel: (_, { input }, ctx) => createHostel(ctx, input as Record<string, unknown>),
  updateHostel: (_, { id, input }, ctx) => updateHostel(ctx, id, input as Record<string, unknown>),
  closeHostel: (_, { id }, ctx) => closeHostel(ctx, id),
  reopenHostel: (_, { id }, ctx) => reopenHostel(ctx, id),
  addHostelBed: (_, { hostelId, input }, ctx) => addBed(ctx, hostelId, input as Record<string, unknown>),
  updateHostelBed: (_, { id, input }, ctx) => updateBed(ctx, id, input as Record<string, unknown>),
  closeHostelBed: (_, { id }, ctx) => closeBed(ctx, id),
  reopenHostelBed: (_, { id }, ctx) => reopenBed(ctx, id),
};
