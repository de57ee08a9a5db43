import { unauthenticated } from '../../../shared/platform/errors';
import * as validate from '../../../shared/subgraph/validate';
import { assertCanAccessStay } from '../domain/access';
import type { QueryResolvers } from '../generated/graphql';
import type { HostelDoc } from '../models/types';
import { hostelAuditLog } from '../services/admin';

export const Query: QueryResolvers = {
  async hostels(_, args, ctx) {
    const communityCode = args.communityCode == null ? undefined : validate.code('communityCode', args.communityCode);
    const districtCode = args.districtCode == null ? undefined : validate.code('districtCode', args.districtCode);
    let hostels: HostelDoc[];
    if (communityCode) {
      hostels = await ctx.loaders.hostelsByCommunity.load(communityCode);
      if (districtCode) hostels = hostels.filter((h) => h.districtCode === districtCode);
    } else if (districtCode) {
      hostels = await ctx.loaders.hostelsByDistrict.load(districtCode);
    } else {
      hostels = await ctx.models.Hostel.find().sort({ _id: 1 }).lean();
    }
    if (!args.includeClosed) hostels = hostels.filter((h) => !h.closedAt);
    if (!args.onlyAvailable) return hostels;
    const occupied = await ctx.loaders.occupiedTonight.loadMany(hostels.map((h) => h._id));
    return hostels.filter((h, i) => h.totalBeds - (occupied[i] as number) > 0);
  },

  hostel(_, args, ctx) {
    return ctx.loaders.hostel.load(validate.code('id', args.id));
  },

  async hostelStay(_, args, ctx) {
    if (ctx.viewer.role === 'anonymous') throw unauthenticated();
    const id = validate.objectId('id', args.id);
    const stay = await ctx.loaders.stay.load(id.toHexString());
    if (!stay) return null;
    const hostel = await ctx.loaders.hostel.load(stay.hostelId);
    assertCanAccessStay(ctx.viewer, stay, hostel?.operatorId);
    return stay;
  },

  hostelAuditLog: (_, args, ctx) => hostelAuditLog(ctx, args),
};
