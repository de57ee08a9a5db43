import type { Resolvers } from '../generated/graphql';
import { DateTime } from './DateTime';
import { Mutation } from './Mutation';
import { ParkingLot } from './ParkingLot';
import { ParkingReservation } from './ParkingReservation';
import { ParkingVehicle } from './ParkingVehicle';
import { Community, Department, Street } from './places';
import { Query } from './Query';
import { Resident } from './Resident';
import { Subscription } from './Subscription';
import { ListAuditEntry } from './ListAuditEntry';

export const resolvers: Resolvers = {
  DateTime,
  Query,
  Mutation,
  Subscription,
  ParkingLot,
  ParkingReservation,
  ParkingVehicle,
  Community,
  Street,
  Department,
  Resident,
  ListAuditEntry,
};
