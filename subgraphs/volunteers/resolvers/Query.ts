import { stationsNear, volunteerAuditLog } from '../services/lists-admin';
import * as v from '../../../shared/subgraph/validate';
import type { Context } from '../context';
import type { QueryResolvers } from '../generated/graphql';
import type { ActivityDoc } from '../models';

export const Query: QueryResolvers<Context> = {
  volunteerTeams: async (_root, { kind, communityCode }, ctx) => {
    const filter: Record<string, string> = {};
    if (kind) filter.kind = kind;
    if (communityCode != null) filter.communityCode = v.code('communityCode', communityCode);
    const teams = await ctx.models.Team.find(filter).sort({ name: 1 }).lean();
    for (const t of teams) ctx.loaders.team.prime(t._id, t);
    return teams;
  },
  volunteerTeam: (_root, { id }, ctx) => ctx.loaders.team.load(v.code('id', id)),
  volunteerStations: async (_root, { communityCode, kind, includeClosed }, ctx) => {
    const filter: Record<string, unknown> = communityCode != null ? { communityCode: v.code('communityCode', communityCode) } : {};
    // Stations stored before 歇脚屋 have no kind: they are U-stations.
    if (kind) filter.kind = kind === 'REST_HOUSE' ? 'REST_HOUSE' : { $ne: 'REST_HOUSE' };
    const stations = (await ctx.models.Station.find(filter).sort({ name: 1 }).lean()).filter((s) => includeClosed || !s.closedAt);
    for (const s of stations) ctx.loaders.station.prime(s._id, s);
    return stations;
  },
  volunteerStation: (_root, { id }, ctx) => ctx.loaders.station.load(v.code('id', id)),
  volunteerStationsNear: (_root, args, ctx) => stationsNear(ctx, args),
  volunteerAuditLog: (_root, args, ctx) => volunteerAuditLog(ctx, args),
  volunteerActivities: async (_root, { communityCode, teamId, upcoming, limit }, ctx) => {
    const filter: Record<string, unknown> = {};
    if (communityCode != null) filter.communityCode = v.code('communityCode', communityCode);
    if (teamId != null) filter.teamId = v.code('teamId', teamId);
    if (upcoming !== false) filter.endsAt = { $gt: ctx.clock() };
    const n = v.intInRange('limit', limit ?? 50, 1, 200);
    const activities = await ctx.models.Activity.find(filter).sort({ startsAt: 1 }).limit(n).lean<ActivityDoc[]>();
    for (const a of activities) ctx.loaders.activity.prime(String(a._id), a);
    return activities;
  },
  volunteerActivity: (_root, { id }, ctx) => ctx.loaders.activity.load(String(v.objectId('id', id))),
};
