import type { WelfarePolicyPushResolvers, WelfarePolicyResolvers } from '../generated/graphql';

export const WelfarePolicy: WelfarePolicyResolvers = {
  id: (p) => p._id,
  district: (p, _, ctx) => (p.districtCode ? ctx.loaders.district.load(p.districtCode) : null),
  target: (p) => p.target ?? 'RESIDENT',
  community: (p, _, ctx) => (p.communityCode ? ctx.loaders.community.load(p.communityCode) : null),
  pushed: async (p, _, ctx) => (await ctx.loaders.pushCountsByPolicy.load(p._id)).pushed,
  accepted: async (p, _, ctx) => (await ctx.loaders.pushCountsByPolicy.load(p._id)).accepted,
  declined: async (p, _, ctx) => (await ctx.loaders.pushCountsByPolicy.load(p._id)).declined,
  uptakeRate: async (p, _, ctx) => {
    const counts = await ctx.loaders.pushCountsByPolicy.load(p._id);
    return counts.pushed > 0 ? counts.accepted / counts.pushed : 0;
  },
};

export const WelfarePolicyPush: WelfarePolicyPushResolvers = {
  id: (p) => String(p._id),
  policy: async (p, _, ctx) => (await ctx.loaders.policy.load(p.policyId))!,
  resident: async (p, _, ctx) => (await ctx.loaders.resident.load(p.residentId))!,
};
