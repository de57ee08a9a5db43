import type { Context } from '../context';
import type { VolunteerHoursCorrectionResolvers } from '../generated/graphql';

export const VolunteerHoursCorrection: VolunteerHoursCorrectionResolvers<Context> = {
  id: (c) => String(c._id),
  signUp: async (c, _args, ctx) => (await ctx.loaders.signUp.load(String(c.signUpId)))!,
};
