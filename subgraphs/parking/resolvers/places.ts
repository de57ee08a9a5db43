import type { CommunityResolvers, DepartmentResolvers, StreetResolvers } from '../generated/graphql';
import type { CommunityRef, DepartmentRef, ReferenceResolver, StreetRef } from '../refs';

// Places are owned by the requests subgraph; here only their keys are needed.
const byCode: ReferenceResolver<{ code: string }, CommunityRef & StreetRef> = (ref) => ({ code: ref.code });
const byId: ReferenceResolver<DepartmentRef, DepartmentRef> = (ref) => ({ id: ref.id });

export const Community: CommunityResolvers = {
  __resolveReference: byCode,
  parkingLots: (community, _, ctx) => ctx.loaders.lotsByCommunity.load(community.code),
};

export const Street: StreetResolvers = {
  __resolveReference: byCode,
  parkingLots: (street, _, ctx) => ctx.loaders.lotsByStreet.load(street.code),
};

export const Department: DepartmentResolvers = {
  __resolveReference: byId,
  parkingLots: (department, _, ctx) => ctx.loaders.lotsByDepartment.load(department.id),
};
