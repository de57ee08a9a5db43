import type { Context } from '../context';
import type { DepartmentResolvers } from '../generated/graphql';
import type { DepartmentRef } from '../parents';
import type { ReferenceResolver } from './refs';

export const Department: DepartmentResolvers<Context> = {
  __resolveReference: ((ref) => ({ id: ref.id })) satisfies ReferenceResolver<'id', DepartmentRef>,
  organisedVolunteerActivities: (d, { upcoming }, ctx) =>
    ctx.loaders.activitiesByOrganiser.load(`${d.id}|${upcoming === false ? 'all' : 'upcoming'}`),
};
