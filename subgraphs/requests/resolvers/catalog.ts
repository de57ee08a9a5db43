import { categoryHistory, itemHistory } from '../services/responsibility-list';
import type { CategoryResolvers, ResponsibilityItemResolvers } from '../generated/graphql';

export const Category: CategoryResolvers = {
  code: (c) => c._id,
  items: (c, _, ctx) => ctx.loaders.itemsByCategory.load(c._id),
  version: (c) => c.version ?? 1,
  history: (c, _, ctx) => categoryHistory(ctx, { code: c._id }),
};

export const ResponsibilityItem: ResponsibilityItemResolvers = {
  code: (i) => i._id,
  category: async (i, _, ctx) => (await ctx.loaders.category.load(i.categoryCode))!,
  departmentKind: (i) => i.departmentKind,
  version: (i) => i.version ?? 1,
  history: (i, _, ctx) => itemHistory(ctx, { code: i._id }),
};
