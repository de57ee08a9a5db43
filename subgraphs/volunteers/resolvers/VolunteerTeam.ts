import { refKey } from '../../../shared/subgraph';
import { peopleFor } from '../../../shared/subgraph/privacy';
import type { Context } from '../context';
import { roundHours } from '../domain/stars';
import type { VolunteerTeamResolvers } from '../generated/graphql';

export const VolunteerTeam: VolunteerTeamResolvers<Context> = {
  __resolveReference: (ref, ctx) => ctx.loaders.team.load(refKey(ref)),
  id: (t) => t._id,
  community: (t) => (t.communityCode ? { code: t.communityCode } : null),
  members: async (t, _args, ctx) => peopleFor(ctx.viewer, (await ctx.loaders.membershipsByTeam.load(t._id)).map((m) => ({ id: m.residentId }))),
  closed: (t) => !!t.closedAt,
  memberCount: async (t, _args, ctx) => (await ctx.loaders.membershipsByTeam.load(t._id)).length,
  registeredVolunteers: async (t, _args, ctx) => t.imported.roster + (await ctx.loaders.membershipsByTeam.load(t._id)).length,
  upcomingActivities: (t, _args, ctx) => ctx.loaders.upcomingActivitiesByTeam.load(t._id),
  hoursCredited: async (t, _args, ctx) => roundHours(t.imported.hours + (await ctx.loaders.teamEarned.load(t._id)).hours),
  // Each verified sign-up of a river-patrol team's activity is one patrol.
  patrols: async (t, _args, ctx) =>
    t.kind === 'RIVER_PATROL' ? t.imported.patrols + (await ctx.loaders.teamEarned.load(t._id)).services : null,
  servicesCount: async (t, _args, ctx) => t.imported.services + (await ctx.loaders.teamEarned.load(t._id)).services,
};
