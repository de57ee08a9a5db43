import type { DistrictResolvers } from '../generated/graphql';
import type { DistrictRef } from '../models/types';

// Owned by the requests subgraph: here only its key, plus the hostels in it.
export const District: DistrictResolvers = {
  __resolveReference: (ref: DistrictRef): DistrictRef => ({ code: ref.code }),
  hostels: (d, _, ctx) => ctx.loaders.hostelsByDistrict.load(d.code),
};
