import { stubReference } from '../../../shared/subgraph';
import type { ParkingLotResolvers } from '../generated/graphql';

export const ParkingLot: ParkingLotResolvers = {
  // The parking subgraph owns lots; here a lot is its id and the complaints filed about it.
  __resolveReference: stubReference('id'),
  openRequests: (lot, _, ctx) => ctx.loaders.openRequestsByLot.load(lot.id),
};
