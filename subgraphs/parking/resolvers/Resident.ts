import { bookingStatus } from '../domain/booking-rules';
import { isUpcoming } from '../domain/reservation-status';
import type { ResidentResolvers } from '../generated/graphql';
import { stubReference } from '../../../shared/subgraph/entity';
import { requireSelfOrAdmin } from '../services/access';

export const Resident: ResidentResolvers = {
  __resolveReference: stubReference('id'),
  parkingReservations: async (resident, { upcoming }, ctx) => {
    requireSelfOrAdmin(ctx.viewer, resident.id);
    const all = await ctx.loaders.reservationsByResident.load(resident.id);
    if (!upcoming) return all;
    const now = ctx.clock();
    // Soonest first: the next thing the resident has to do.
    return all
      .filter((r) => isUpcoming(r, now))
      .sort((a, b) => (a.arriveAt ?? a.createdAt).getTime() - (b.arriveAt ?? b.createdAt).getTime());
  },
  vehicles: (resident, _, ctx) => {
    requireSelfOrAdmin(ctx.viewer, resident.id);
    return ctx.loaders.vehiclesByResident.load(resident.id);
  },
  parkingBookingStatus: async (resident, _, ctx) => {
    requireSelfOrAdmin(ctx.viewer, resident.id);
    return bookingStatus(await ctx.loaders.bookingHistoryByResident.load(resident.id), ctx.clock());
  },
};
