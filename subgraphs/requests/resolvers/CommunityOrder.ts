import type { CommunityOrderResolvers } from '../generated/graphql';

export const CommunityOrder: CommunityOrderResolvers = {
  id: (o) => String(o._id),
  community: async (o, _, ctx) => (await ctx.loaders.community.load(o.communityCode))!,
  department: async (o, _, ctx) => (await ctx.loaders.department.load(o.departmentId))!,
  onTime: (o) => o.onTime ?? null,
  overdue: (o, _, ctx) => o.status === 'ISSUED' && new Date(o.reportBy) < ctx.clock(),
};
