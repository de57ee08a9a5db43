import { registeredViewer } from '../../../shared/subgraph/residents';
import { requireResident } from '../../../shared/platform/auth';
import type { MutationResolvers } from '../generated/graphql';
import { recordEntry, recordExit } from '../services/gate';
import { createLot, setSharingWindows } from '../services/lots';
import { cancelReservation, reserveParking } from '../services/reservations';
import { registerVehicle } from '../services/vehicles';

export const Mutation: MutationResolvers = {
  reserveParking: async (_, args, ctx) => reserveParking(ctx, await registeredViewer(ctx), args, ctx.clock()),
  cancelParkingReservation: (_, { id }, ctx) => cancelReservation(ctx, ctx.viewer, id, ctx.clock()),
  registerParkingVehicle: async (_, { plate }, ctx) => registerVehicle(ctx.models, await registeredViewer(ctx), plate, ctx.clock()),
  recordParkingEntry: (_, args, ctx) => recordEntry(ctx, ctx.viewer, args, ctx.clock()),
  recordParkingExit: (_, args, ctx) => recordExit(ctx, ctx.viewer, args, ctx.clock()),
  createParkingLot: (_, { input }, ctx) => createLot(ctx, ctx.viewer, input, ctx.clock()),
  setParkingSharingWindows: (_, { lotId, windows }, ctx) => setSharingWindows(ctx, ctx.viewer, lotId, windows, ctx.clock()),
};
