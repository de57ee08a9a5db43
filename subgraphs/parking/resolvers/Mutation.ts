import { registeredViewer } from '../../../shared/subgraph/residents';
import { requireResident } from '../../../shared/platform/auth';
import type { MutationResolvers } from '../generated/graphql';
import { recordEntry, recordExit } from '../services/gate';
import { createLot, setSharingWindows } from '../services/lots';
import { cancelReservation, reserveParking } from '../services/reservations';
import { registerVehicle } from '../services/vehicles';

export const Mutation: MutationResolvers = {
  reserveParking: async (_, args, ctx) => reserveParking(ctx, { ...args, residentId: await registeredViewer(ctx) }),
  cancelParkingReservation: (_, { id }, ctx) => cancelReservation(ctx, { id }),
  registerParkingVehicle: async (_, { plate }, ctx) => registerVehicle(ctx, { residentId: await registeredViewer(ctx), plate }),
  recordParkingEntry: (_, args, ctx) => recordEntry(ctx, args),
  recordParkingExit: (_, args, ctx) => recordExit(ctx, args),
  createParkingLot: (_, { input }, ctx) => createLot(ctx, input),
  setParkingSharingWindows: (_, { lotId, windows }, ctx) => setSharingWindows(ctx, { lotId, windows }),
};
