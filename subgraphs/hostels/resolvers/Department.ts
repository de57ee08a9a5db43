import type { DepartmentResolvers } from '../generated/graphql';
import { stubReference } from '../../../shared/subgraph/entity';

// Owned by the requests subgraph: here only its key, plus the hostels it runs.
export const Department: DepartmentResolvers = {
  __resolveReference: stubReference('id'),
  hostels: (d, _, ctx) => ctx.loaders.hostelsByOperator.load(d.id),
};
