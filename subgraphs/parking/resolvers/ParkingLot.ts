import { refKey } from '../../../shared/subgraph';
import { nextOccurrence, occurrenceAt } from '../domain/windows';
import type { ParkingLotResolvers } from '../generated/graphql';
import { freeSpacesAt } from '../services/availability';

export const ParkingLot: ParkingLotResolvers = {
  __resolveReference: (ref, ctx) => ctx.loaders.lotById.load(refKey(ref)),
  id: (lot) => lot._id,
  community: (lot) => ({ code: lot.communityCode }),
  street: (lot) => ({ code: lot.streetCode }),
  ownerDepartment: (lot) => (lot.ownerDepartmentId ? { id: lot.ownerDepartmentId } : null),
  totalSpotNumber: (lot) => lot.totalSpaces,
  freeFirstMinutes: (lot) => lot.freeFirstMinutes ?? 0,
  currentWindow: (lot, _, ctx) => occurrenceAt(lot.windows, ctx.clock()),
  nextWindow: (lot, _, ctx) => nextOccurrence(lot.windows, ctx.clock()),
  releasedSpacesNow: (lot, _, ctx) => occurrenceAt(lot.windows, ctx.clock())?.spaces ?? 0,
  freeSpacesNow: (lot, _, ctx) => freeSpacesAt(ctx.loaders, lot, ctx.clock()),
  availableSpotNumber: (lot, _, ctx) => freeSpacesAt(ctx.loaders, lot, ctx.clock()),
  distanceMeters: (lot) => lot.distanceMeters ?? null,
};
