import type { ParkingVehicleResolvers } from '../generated/graphql';

export const ParkingVehicle: ParkingVehicleResolvers = {
  id: (v) => String(v._id),
  registeredAt: (v) => v.createdAt,
};
