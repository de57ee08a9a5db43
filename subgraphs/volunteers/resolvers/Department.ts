import type { Context } from '../context';
import type { DepartmentResolvers } from '../generated/graphql';
import { stubReference } from '../../../shared/subgraph/entity';

export const Department: DepartmentResolvers<Context> = {
  __resolveReference: stubReference('id'),
  organisedVolunteerActivities: (d, { upcoming }, ctx) =>
    ctx.loaders.activitiesByOrganiser.load(`${d.id}|${upcoming === false ? 'all' : 'upcoming'}`),
};
