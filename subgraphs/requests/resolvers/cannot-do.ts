import type { CannotDoMatterResolvers, CannotDoRecordResolvers, CannotDoStatsResolvers } from '../generated/graphql';

export const CannotDoRecord: CannotDoRecordResolvers = {
  note: (c) => c.note ?? null,
};

export const CannotDoStats: CannotDoStatsResolvers = {
  street: (s, _, ctx) => ctx.loaders.street.load(s.streetCode),
};

export const CannotDoMatter: CannotDoMatterResolvers = {
  item: (m, _, ctx) => ctx.loaders.item.load(m.itemCode),
};
