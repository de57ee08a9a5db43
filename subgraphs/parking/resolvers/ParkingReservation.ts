import { notFound } from '../../../shared/platform/errors';
import { maskPlate } from '../../../shared/subgraph/mask';
import type { ParkingReservationResolvers } from '../generated/graphql';
import { seesFullPlate } from '../services/access';

export const ParkingReservation: ParkingReservationResolvers = {
  id: (r) => String(r._id),
  plate: (r, _, ctx) => (seesFullPlate(ctx.viewer, r) ? r.plate : maskPlate(r.plate)!),
  walkIn: (r) => !!r.walkIn,
  lot: async (r, _, ctx) => {
    const lot = await ctx.loaders.lotById.load(r.lotId);
    if (!lot) throw notFound('ParkingLot', r.lotId);
    return lot;
  },
  resident: (r) => (r.residentId ? { id: r.residentId } : null),
  lateCancellation: (r) => !!r.lateCancellation,
  fee: (r) => r.fee ?? null,
};
