import type { DepartmentResolvers } from '../generated/graphql';
import type { DepartmentRef } from '../models/types';

// Owned by the requests subgraph: here only its key, plus the hostels it runs.
export const Department: DepartmentResolvers = {
  __resolveReference: (ref: DepartmentRef): DepartmentRef => ({ id: ref.id }),
  hostels: (d, _, ctx) => ctx.loaders.hostelsByOperator.load(d.id),
};
