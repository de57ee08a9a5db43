import { requireResident } from '../../../shared/platform/auth';
import type { MutationResolvers } from '../generated/graphql';
import { recordEntry, recordExit } from '../services/gate';
import { createLot, setSharingWindows } from '../services/lots';
import { cancelReservation, reserveParking } from '../services/reservations';
import { registerVehicle } from '../services/vehicles';

export const Mutation: MutationResolvers = {
  reserveParking: (_, args, ctx) => reserveParking(ctx, requireResident(ctx.viewer), args, ctx.clock()),
  cancelParkingReservation: (_, { id }, ctx) => cancelReservation(ctx, ctx.viewer, id, ctx.clock()),
  registerParkingVehicle: (_, { plate }, ctx) => registerVehicle(ctx.models, requireResident(ctx.viewer), plate, ctx.clock()),
  recordParkingEntry: (_, args, ctx) => recordEntry(ctx, ctx.viewer, args, ctx.clock()),
  recordParkingExit: (_, args, ctx) => recordExit(ctx, ctx.viewer, args, ctx.clock()),
  createParkingLot: (_, { input }, ctx) => createLot(ctx, ctx.viewer, input),
  setParkingSharingWindows: (_, { lotId, windows }, ctx) => setSharingWindows(ctx, ctx.viewer, lotId, windows),
};
