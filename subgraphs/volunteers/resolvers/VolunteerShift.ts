import type { Context } from '../context';
import type { VolunteerShiftResolvers } from '../generated/graphql';

export const VolunteerShift: VolunteerShiftResolvers<Context> = {
  id: (s) => String(s._id),
  activity: async (s, _args, ctx) => (await ctx.loaders.activity.load(String(s.activityId)))!,
  taken: async (s, _args, ctx) =>
    (await ctx.loaders.placesByActivity.load(String(s.activityId))).filter((p) => p.shiftId.equals(s._id)).length,
  waitlistCount: async (s, _args, ctx) =>
    (await ctx.loaders.waitlistByActivity.load(String(s.activityId))).filter((w) => w.shiftId.equals(s._id)).length,
};
