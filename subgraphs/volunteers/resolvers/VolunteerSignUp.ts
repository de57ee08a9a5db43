import type { Context } from '../context';
import type { VolunteerSignUpResolvers } from '../generated/graphql';

export const VolunteerSignUp: VolunteerSignUpResolvers<Context> = {
  id: (s) => String(s._id),
  shift: async (s, _args, ctx) => (await ctx.loaders.shift.load(String(s.shiftId)))!,
  activity: async (s, _args, ctx) => (await ctx.loaders.activity.load(String(s.activityId)))!,
  resident: (s) => ({ id: s.residentId }),
  // Positions close up as people ahead are promoted or cancel; tickets only give the order.
  waitlistPosition: async (s, _args, ctx) => {
    if (s.status !== 'WAITLISTED') return null;
    const waiting = (await ctx.loaders.waitlistByActivity.load(String(s.activityId))).filter((w) => w.shiftId.equals(s.shiftId));
    return waiting.findIndex((w) => w._id.equals(s._id)) + 1 || null;
  },
};
