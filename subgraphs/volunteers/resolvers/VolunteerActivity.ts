import { refKey } from '../../../shared/subgraph';
import { forbidden, unauthenticated } from '../../../shared/platform/errors';
import type { Context } from '../context';
import { isOrganiser } from '../domain/access';
import type { VolunteerActivityResolvers } from '../generated/graphql';
import type { ActivityDoc } from '../models';

/** Places over all shifts, and how many are taken. */
async function fillOf(a: ActivityDoc, ctx: Context) {
  const [shifts, taken] = await Promise.all([
    ctx.loaders.shiftsByActivity.load(String(a._id)),
    ctx.loaders.placesByActivity.load(String(a._id)),
  ]);
  return { capacity: shifts.reduce((n, s) => n + s.capacity, 0), signedUp: taken.length };
}

export const VolunteerActivity: VolunteerActivityResolvers<Context> = {
  __resolveReference: (ref, ctx) => ctx.loaders.activity.load(refKey(ref)),
  id: (a) => String(a._id),
  team: (a, _args, ctx) => (a.teamId ? ctx.loaders.team.load(a.teamId) : null),
  station: (a, _args, ctx) => (a.stationId ? ctx.loaders.station.load(a.stationId) : null),
  community: (a) => ({ code: a.communityCode }),
  organiser: (a) => ({ id: a.organiserId }),
  shifts: (a, _args, ctx) => ctx.loaders.shiftsByActivity.load(String(a._id)),
  capacity: async (a, _args, ctx) => (await fillOf(a, ctx)).capacity,
  signedUp: async (a, _args, ctx) => (await fillOf(a, ctx)).signedUp,
  fillRate: async (a, _args, ctx) => {
    const { capacity, signedUp } = await fillOf(a, ctx);
    return capacity > 0 ? signedUp / capacity : 0;
  },
  waitlisted: async (a, _args, ctx) => (await ctx.loaders.waitlistByActivity.load(String(a._id))).length,
  signUps: async (a, { status }, ctx) => {
    if (ctx.viewer.role === 'anonymous') throw unauthenticated();
    if (!isOrganiser(ctx.viewer, a)) throw forbidden("Only the activity's organisers can list its sign-ups");
    const all = await ctx.loaders.signUpsByActivity.load(String(a._id));
    return status ? all.filter((s) => s.status === status) : all;
  },
};
