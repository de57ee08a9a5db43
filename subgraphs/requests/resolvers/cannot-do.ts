import { isStaffOrAdmin } from '../../../shared/subgraph';
import type { CannotDoMatterResolvers, CannotDoRecordResolvers, CannotDoStatsResolvers } from '../generated/graphql';

export const CannotDoRecord: CannotDoRecordResolvers = {
  // A clerk's note may name the resident's circumstances: for staff and admins only.
  note: (c, _, ctx) => (isStaffOrAdmin(ctx.viewer) ? (c.note ?? null) : null),
};

export const CannotDoStats: CannotDoStatsResolvers = {
  street: (s, _, ctx) => ctx.loaders.street.load(s.streetCode),
};

export const CannotDoMatter: CannotDoMatterResolvers = {
  item: (m, _, ctx) => ctx.loaders.item.load(m.itemCode),
};
