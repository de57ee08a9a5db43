import { forbidden, unauthenticated } from '../../../shared/errors';
import { maskPhone } from '../../../shared/mask';
import type { ResidentResolvers } from '../generated/graphql';
import { openFilterOf } from '../loaders';
import { canReadResident, canSeeFullPhone } from '../domain/permissions';
import type { Context } from '../context';
import type { ResidentDoc } from '../models';

function requireReader(resident: ResidentDoc, ctx: Context): void {
  if (ctx.viewer.role === 'anonymous') throw unauthenticated();
  if (!canReadResident(ctx.viewer, resident)) throw forbidden("A resident can only read their own records");
}

export const Resident: ResidentResolvers = {
  __resolveReference: (ref, ctx) => ctx.loaders.resident.load((ref as unknown as { id: string }).id),
  id: (r) => r._id,
  phone: (r, _, ctx) => (canSeeFullPhone(ctx.viewer, r._id) ? (r.phone ?? null) : maskPhone(r.phone)),
  homeCommunity: (r, _, ctx) => (r.homeCommunityCode ? ctx.loaders.community.load(r.homeCommunityCode) : null),
  requests: (r, { open }, ctx) => {
    requireReader(r, ctx);
    return ctx.loaders.requestsByResident.load(`${r._id}|${openFilterOf(open)}`);
  },
  policyPushes: (r, _, ctx) => {
    requireReader(r, ctx);
    return ctx.loaders.pushesByResident.load(r._id);
  },
};
