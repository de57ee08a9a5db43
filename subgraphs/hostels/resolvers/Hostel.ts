import { refKey } from '../../../shared/subgraph';
import { forbidden, unauthenticated } from '../../../shared/platform/errors';
import type { HostelResolvers } from '../generated/graphql';

export const Hostel: HostelResolvers = {
  __resolveReference: (ref, ctx) => ctx.loaders.hostel.load(refKey(ref)),
  id: (h) => h._id,
  community: (h) => ({ code: h.communityCode }),
  operator: (h) => (h.operatorId ? { id: h.operatorId } : null),
  closed: (h) => !!h.closedAt,
  closedAt: (h) => h.closedAt ?? null,
  async freeBeds(h, _, ctx) {
    if (h.freeBedsAtEvent !== undefined) return h.freeBedsAtEvent;
    return Math.max(0, h.totalBeds - (await ctx.loaders.occupiedTonight.load(h._id)));
  },
  beds(h, _, ctx) {
    const { viewer } = ctx;
    if (viewer.role === 'anonymous') throw unauthenticated();
    const ownDesk = viewer.role === 'staff' && !!h.operatorId && viewer.departmentId === h.operatorId;
    if (viewer.role !== 'admin' && !ownDesk) throw forbidden('Only the hostel operator\'s staff or an admin can see its beds');
    return ctx.loaders.bedsByHostel.load(h._id);
  },
};
