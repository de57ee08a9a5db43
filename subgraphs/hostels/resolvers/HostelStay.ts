import { localDateString } from '../../../shared/subgraph/time';
import { nightsLeft } from '../domain/stay';
import type { HostelStayResolvers } from '../generated/graphql';

export const HostelStay: HostelStayResolvers = {
  id: (s) => s._id.toHexString(),
  async hostel(s, _, ctx) {
    const hostel = await ctx.loaders.hostel.load(s.hostelId);
    if (!hostel) throw new Error(`Stay ${s._id.toHexString()} refers to a missing hostel ${s.hostelId}`);
    return hostel;
  },
  bed: (s, _, ctx) => ctx.loaders.bed.load(s.bedId),
  nightsLeft: (s, _, ctx) => nightsLeft(s, localDateString(ctx.clock())),
  resident: (s) => ({ id: s.residentId }),
  hongKongMacaoYouth: (s) => s.hongKongMacaoYouth ?? false,
  checkedInAt: (s) => s.checkedInAt ?? null,
  checkedOutAt: (s) => s.checkedOutAt ?? null,
  cancelledAt: (s) => s.cancelledAt ?? null,
};
