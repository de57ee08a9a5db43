import type { CommunityResolvers } from '../generated/graphql';
import { stubReference } from '../../../shared/subgraph/entity';

// Owned by the requests subgraph: here only its key, plus the hostels in it.
export const Community: CommunityResolvers = {
  __resolveReference: stubReference('code'),
  hostels: (c, _, ctx) => ctx.loaders.hostelsByCommunity.load(c.code),
};
