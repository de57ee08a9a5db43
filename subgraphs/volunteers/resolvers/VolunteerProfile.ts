import type { Context } from '../context';
import { starStanding, sumHours } from '../domain/stars';
import type { VolunteerProfileResolvers } from '../generated/graphql';
import type { ProfileDoc, TeamDoc } from '../models';

/** Imported hours plus the hours ledger's lines, and hours still awaiting verification. */
async function hoursOf(profile: ProfileDoc, ctx: Context) {
  const [signUps, ledger] = await Promise.all([ctx.loaders.signUpsByResident.load(profile._id), ctx.loaders.hoursByResident.load(profile._id)]);
  return {
    // Summed from the hours ledger (credits and approved corrections), never from a stored total.
    verified: sumHours([profile.importedHours, ...ledger.map((e) => e.hours)]),
    pending: sumHours(signUps.filter((s) => s.status === 'CHECKED_OUT').map((s) => s.hours)),
  };
}

export const VolunteerProfile: VolunteerProfileResolvers<Context> = {
  resident: (p) => ({ id: p._id }),
  verifiedHours: async (p, _args, ctx) => (await hoursOf(p, ctx)).verified,
  pendingHours: async (p, _args, ctx) => (await hoursOf(p, ctx)).pending,
  starLevel: async (p, _args, ctx) => starStanding((await hoursOf(p, ctx)).verified).starLevel,
  nextStarLevel: async (p, _args, ctx) => starStanding((await hoursOf(p, ctx)).verified).nextStarLevel,
  hoursToNextStar: async (p, _args, ctx) => starStanding((await hoursOf(p, ctx)).verified).hoursToNextStar,
  teams: async (p, _args, ctx) => {
    const memberships = await ctx.loaders.membershipsByResident.load(p._id);
    const teams = await Promise.all(memberships.map((m) => ctx.loaders.team.load(m.teamId)));
    return teams.filter((t): t is TeamDoc => t !== null);
  },
};
