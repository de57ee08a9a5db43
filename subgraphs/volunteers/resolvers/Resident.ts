import { unauthenticated, forbidden } from '../../../shared/platform/errors';
import { canReadVolunteer, isOrganiser } from '../domain/access';
import type { Context } from '../context';
import type { ResidentResolvers } from '../generated/graphql';
import type { SignUpDoc } from '../models';
import { stubReference } from '../../../shared/subgraph/entity';

/** The resident's sign-ups, once the viewer has been allowed to read their volunteer records. */
async function readableSignUps(ctx: Context, residentId: string): Promise<SignUpDoc[]> {
  if (ctx.viewer.role === 'anonymous') throw unauthenticated();
  const signUps = await ctx.loaders.signUpsByResident.load(residentId);
  if (!canReadVolunteer(ctx.viewer, residentId, signUps)) {
    throw forbidden("Only the resident, an admin or an organiser of their activities can see a volunteer's records");
  }
  return signUps;
}

export const Resident: ResidentResolvers<Context> = {
  __resolveReference: stubReference('id'),
  volunteerProfile: async (resident, _args, ctx) => {
    await readableSignUps(ctx, resident.id);
    return ctx.loaders.profile.load(resident.id);
  },
  volunteerSignUps: async (resident, { status, upcoming }, ctx) => {
    const signUps = await readableSignUps(ctx, resident.id);
    const now = ctx.clock();
    const ownOrAdmin = ctx.viewer.role === 'admin' || ctx.viewer.residentId === resident.id;
    return signUps.filter(
      (s) =>
        (ownOrAdmin || isOrganiser(ctx.viewer, s)) &&
        (!status || s.status === status) &&
        (upcoming == null || (s.shiftEndsAt > now) === upcoming),
    );
  },
};
