import { forbidden, unauthenticated } from '../../../shared/platform/errors';
import type { PersonalDataAccessResolvers, ResidentResolvers } from '../generated/graphql';
import { openFilterOf } from '../loaders';
import { canReadResident } from '../domain/permissions';
import { refKey } from '../../../shared/subgraph/entity';
import { seesPeople } from '../../../shared/subgraph/privacy';
import { personalField } from '../services/personal-data';
import type { Context } from '../context';
import type { ResidentDoc } from '../models';

function requireReader(resident: ResidentDoc, ctx: Context): void {
  if (ctx.viewer.role === 'anonymous') throw unauthenticated();
  if (!canReadResident(ctx.viewer, resident)) throw forbidden("A resident can only read their own records");
}

export const Resident: ResidentResolvers = {
  // An id the registry does not know resolves to null, so a dangling reference reads as a null
  // field instead of breaking the answer (and reference checks read "not registered").
  __resolveReference: async (ref, ctx) => (await ctx.loaders.resident.load(refKey(ref))) ?? null,
  id: (r) => r._id,
  registered: (r) => !r.unregistered,
  realNameVerified: (r) => r.realNameVerified === true,
  phone: (r, _, ctx) => personalField(ctx, { resident: r, field: 'phone' }),
  idNumber: (r, _, ctx) => personalField(ctx, { resident: r, field: 'idNumber' }),
  homeCommunity: (r, _, ctx) => (r.homeCommunityCode && seesPeople(ctx.viewer) ? ctx.loaders.community.load(r.homeCommunityCode) : null),
  requests: (r, { open }, ctx) => {
    requireReader(r, ctx);
    return ctx.loaders.requestsByResident.load(`${r._id}|${openFilterOf(open)}`);
  },
  policyPushes: (r, _, ctx) => {
    requireReader(r, ctx);
    return ctx.loaders.pushesByResident.load(r._id);
  },
};

export const PersonalDataAccess: PersonalDataAccessResolvers = {
  viewer: (a) => a.viewerSubject,
  role: (a) => a.viewerRole,
  department: (a, _, ctx) => (a.departmentId ? ctx.loaders.department.load(a.departmentId) : null),
  resident: async (a, _, ctx) => (await ctx.loaders.resident.load(a.residentId))!,
};
