import * as validate from '../../../shared/subgraph/validate';
import { MAX_TREND_DAYS } from '../services/trend';
import type { CommunityResolvers, DistrictResolvers, StreetResolvers } from '../generated/graphql';
import { openFilterOf } from '../loaders';

type CodeRef = { code: string };
const codeOf = (ref: unknown) => (ref as CodeRef).code;

/** Caps a community's request list (the loader fetches the batch; the list shows the newest). */
const MAX_LIST = 200;

export const District: DistrictResolvers = {
  __resolveReference: (ref, ctx) => ctx.loaders.district.load(codeOf(ref)),
  code: (d) => d._id,
  streets: (d, _, ctx) => ctx.loaders.streetsByDistrict.load(d._id),
  communities: (d, _, ctx) => ctx.loaders.communitiesByDistrict.load(d._id),
  requestStats: (d, _, ctx) => ctx.loaders.statsByDistrict.load(d._id),
};

export const Street: StreetResolvers = {
  __resolveReference: (ref, ctx) => ctx.loaders.street.load(codeOf(ref)),
  code: (s) => s._id,
  district: async (s, _, ctx) => (await ctx.loaders.district.load(s.districtCode))!,
  communities: (s, _, ctx) => ctx.loaders.communitiesByStreet.load(s._id),
  office: (s, _, ctx) => ctx.loaders.streetOffice.load(s._id),
  requestStats: (s, _, ctx) => ctx.loaders.statsByStreet.load(s._id),
};

export const Community: CommunityResolvers = {
  __resolveReference: (ref, ctx) => ctx.loaders.community.load(codeOf(ref)),
  code: (c) => c._id,
  street: async (c, _, ctx) => (await ctx.loaders.street.load(c.streetCode))!,
  district: async (c, _, ctx) => (await ctx.loaders.district.load(c.districtCode))!,
  requestStats: (c, _, ctx) => ctx.loaders.statsByCommunity.load(c._id),
  requests: async (c, { open, limit }, ctx) => {
    const list = await ctx.loaders.requestsByCommunity.load(`${c._id}|${openFilterOf(open)}`);
    return list.slice(0, Math.max(0, Math.min(limit ?? 20, MAX_LIST)));
  },
  communityOrders: (c, _, ctx) => ctx.loaders.ordersByCommunity.load(c._id),
  requestTrend: (c, { days }, ctx) => {
    const n = validate.intInRange('days', days ?? 14, 1, MAX_TREND_DAYS);
    return ctx.loaders.trendByCommunity.load(`${c._id}|${n}`);
  },
  overdueRequests: async (c, { limit }, ctx) => {
    const n = validate.intInRange('limit', limit ?? 20, 1, 100);
    return (await ctx.loaders.overdueByCommunity.load(c._id)).slice(0, n);
  },
};
