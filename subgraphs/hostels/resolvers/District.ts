import type { DistrictResolvers } from '../generated/graphql';
import { stubReference } from '../../../shared/subgraph/entity';

// Owned by the requests subgraph: here only its key, plus the hostels in it.
export const District: DistrictResolvers = {
  __resolveReference: stubReference('code'),
  hostels: (d, _, ctx) => ctx.loaders.hostelsByDistrict.load(d.code),
};
