import { refKey } from '../../../shared/subgraph';
import type { DepartmentBoardResolvers, DepartmentResolvers } from '../generated/graphql';
import { requireBoardViewer } from '../domain/boards';

export const Department: DepartmentResolvers = {
  __resolveReference: (ref, ctx) => ctx.loaders.department.load(refKey(ref)),
  id: (d) => d._id,
  kind: (d) => d.kind,
  district: (d, _, ctx) => (d.districtCode ? ctx.loaders.district.load(d.districtCode) : null),
  street: (d, _, ctx) => (d.streetCode ? ctx.loaders.street.load(d.streetCode) : null),
  requestStats: (d, _, ctx) => ctx.loaders.statsByDepartment.load(d._id),
  board: (d, _, ctx) => {
    requireBoardViewer(ctx.viewer, d._id);
    return { departmentId: d._id };
  },
};

export const DepartmentBoard: DepartmentBoardResolvers = {
  department: async (b, _, ctx) => (await ctx.loaders.department.load(b.departmentId))!,
  byStatus: async (b, _, ctx) => (await ctx.loaders.statsByDepartment.load(b.departmentId)).byStatus,
  returnsTotal: async (b, _, ctx) => (await ctx.loaders.returnsByDepartment.load(b.departmentId)).total,
  returnsUpheld: async (b, _, ctx) => (await ctx.loaders.returnsByDepartment.load(b.departmentId)).upheld,
  urges: async (b, _, ctx) => (await ctx.loaders.supervisionByDepartment.load(b.departmentId)).urges,
  escalations: async (b, _, ctx) => (await ctx.loaders.supervisionByDepartment.load(b.departmentId)).escalations,
  evaluated: async (b, _, ctx) => (await ctx.loaders.statsByDepartment.load(b.departmentId)).evaluated,
  satisfactionRate: async (b, _, ctx) => (await ctx.loaders.statsByDepartment.load(b.departmentId)).satisfactionRate,
  overdue: (b, _, ctx) => ctx.loaders.overdueByDepartment.load(b.departmentId),
  communityOrders: (b, _, ctx) => ctx.loaders.ordersByDepartment.load(b.departmentId),
};
