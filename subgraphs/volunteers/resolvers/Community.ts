import type { Context } from '../context';
import type { CommunityResolvers } from '../generated/graphql';
import { stubReference } from '../../../shared/subgraph/entity';

export const Community: CommunityResolvers<Context> = {
  __resolveReference: stubReference('code'),
  volunteerStations: (c, _args, ctx) => ctx.loaders.stationsByCommunity.load(c.code),
  volunteerHoursThisMonth: (c, _args, ctx) => ctx.loaders.hoursThisMonthByCommunity.load(c.code),
  volunteerActivities: (c, { upcoming }, ctx) =>
    ctx.loaders.activitiesByCommunity.load(`${c.code}|${upcoming === false ? 'all' : 'upcoming'}`),
  volunteerTeams: (c, _args, ctx) => ctx.loaders.teamsByCommunity.load(c.code),
};
