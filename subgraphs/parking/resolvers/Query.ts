import { unauthenticated } from '../../../shared/platform/errors';
import * as validate from '../../../shared/subgraph/validate';
import type { QueryResolvers } from '../generated/graphql';
import type { LotRecord, ReservationRecord } from '../models';
import { requireCanSeeReservation } from '../services/access';
import { ownedLots, lotAuditLog } from '../services/lot-owners';
import { findLotsNear } from '../services/search';

export const Query: QueryResolvers = {
  parkingLots: async (_, { communityCode, streetCode }, ctx) => {
    if (communityCode != null) return ctx.loaders.lotsByCommunity.load(validate.code('communityCode', communityCode)).then((lots) =>
      streetCode != null ? lots.filter((l) => l.streetCode === validate.code('streetCode', streetCode)) : lots,
    );
    if (streetCode != null) return ctx.loaders.lotsByStreet.load(validate.code('streetCode', streetCode));
    return ctx.models.Lot.find().sort({ _id: 1 }).lean<LotRecord[]>();
  },
  parkingLot: (_, { id }, ctx) => ctx.loaders.lotById.load(validate.code('id', id)),
  parkingLotsNear: (_, args, ctx) => findLotsNear(ctx.models, ctx.loaders, args, ctx.clock()),
  parkingReservation: async (_, { id }, ctx) => {
    if (ctx.viewer.role === 'anonymous') throw unauthenticated();
    const reservation = await ctx.models.Reservation.findById(validate.objectId('id', id)).lean<ReservationRecord>();
    if (!reservation) return null;
    requireCanSeeReservation(ctx.viewer, reservation);
    return reservation;
  },
  ownedParkingLots: (_, __, ctx) => ownedLots(ctx, ctx.viewer),
  parkingAuditLog: (_, args, ctx) => lotAuditLog(ctx, ctx.viewer, args, ctx.clock()),
};
