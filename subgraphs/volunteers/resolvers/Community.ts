import type { Context } from '../context';
import type { CommunityResolvers } from '../generated/graphql';
import type { CommunityRef } from '../parents';
import type { ReferenceResolver } from './refs';

export const Community: CommunityResolvers<Context> = {
  __resolveReference: ((ref) => ({ code: ref.code })) satisfies ReferenceResolver<'code', CommunityRef>,
  volunteerStations: (c, _args, ctx) => ctx.loaders.stationsByCommunity.load(c.code),
  volunteerHoursThisMonth: (c, _args, ctx) => ctx.loaders.hoursThisMonthByCommunity.load(c.code),
  volunteerActivities: (c, { upcoming }, ctx) =>
    ctx.loaders.activitiesByCommunity.load(`${c.code}|${upcoming === false ? 'all' : 'upcoming'}`),
  volunteerTeams: (c, _args, ctx) => ctx.loaders.teamsByCommunity.load(c.code),
};
