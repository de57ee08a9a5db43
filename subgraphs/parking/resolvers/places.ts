import type { CommunityResolvers, DepartmentResolvers, StreetResolvers } from '../generated/graphql';
import { stubReference } from '../../../shared/subgraph/entity';

// Places are owned by the requests subgraph; here only their keys are needed.

export const Community: CommunityResolvers = {
  __resolveReference: stubReference('code'),
  parkingLots: (community, _, ctx) => ctx.loaders.lotsByCommunity.load(community.code),
};

export const Street: StreetResolvers = {
  __resolveReference: stubReference('code'),
  parkingLots: (street, _, ctx) => ctx.loaders.lotsByStreet.load(street.code),
};

export const Department: DepartmentResolvers = {
  __resolveReference: stubReference('id'),
  parkingLots: (department, _, ctx) => ctx.loaders.lotsByDepartment.load(department.id),
};
