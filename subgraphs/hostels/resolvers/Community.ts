import type { CommunityResolvers } from '../generated/graphql';
import type { CommunityRef } from '../models/types';

// Owned by the requests subgraph: here only its key, plus the hostels in it.
export const Community: CommunityResolvers = {
  __resolveReference: (ref: CommunityRef): CommunityRef => ({ code: ref.code }),
  hostels: (c, _, ctx) => ctx.loaders.hostelsByCommunity.load(c.code),
};
