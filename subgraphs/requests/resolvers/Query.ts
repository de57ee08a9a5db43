import { requireRole } from '../../../shared/platform/auth';
import { forbidden, unauthenticated } from '../../../shared/platform/errors';
import * as validate from '../../../shared/subgraph/validate';
import type { AccessLogDoc } from '../models';
import type { QueryResolvers } from '../generated/graphql';
import { canReadResident } from '../domain/permissions';
import type { RequestDoc } from '../models';
import { filterConditions, statsMatch, viewerScope } from '../services/scope';
import { statsFor } from '../services/stats';
import { newestRequests } from '../services/newest';
import { listsQuery } from './lists';
import { cannotDoStats } from '../services/cannot-do';
import { communityOrderStats, requestStatsByPeriod } from '../services/period-stats';

const escapeRegex = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

export const Query: QueryResolvers = {
  districts: (_, __, ctx) => ctx.models.District.find().sort({ order: 1, _id: 1 }).lean().exec(),
  district: (_, { code }, ctx) => ctx.loaders.district.load(validate.code('code', code)),
  street: (_, { code }, ctx) => ctx.loaders.street.load(validate.code('code', code)),
  communities: (_, { streetCode, districtCode }, ctx) => {
    const filter: Record<string, string> = {};
    if (streetCode != null) filter.streetCode = validate.code('streetCode', streetCode);
    if (districtCode != null) filter.districtCode = validate.code('districtCode', districtCode);
    return ctx.models.Community.find(filter).sort({ _id: 1 }).lean().exec();
  },
  community: (_, { code }, ctx) => ctx.loaders.community.load(validate.code('code', code)),
  departments: (_, { districtCode, kind }, ctx) => {
    const filter: Record<string, string> = {};
    if (districtCode != null) filter.districtCode = validate.code('districtCode', districtCode);
    if (kind != null) filter.kind = kind;
    return ctx.models.Department.find(filter).sort({ _id: 1 }).lean().exec();
  },
  department: (_, { id }, ctx) => ctx.loaders.department.load(validate.code('id', id)),
  categories: (_, __, ctx) => ctx.models.Category.find().sort({ order: 1 }).lean().exec(),
  responsibilityItems: (_, { categoryCode, search, limit }, ctx) => {
    const filter: Record<string, unknown> = {};
    if (categoryCode != null) filter.categoryCode = validate.code('categoryCode', categoryCode);
    if (search != null) {
      const term = validate.text('search', search, { max: 50 });
      filter.$or = [{ name: { $regex: escapeRegex(term) } }, { keywords: term }];
    }
    const max = validate.intInRange('limit', limit ?? 100, 1, 500);
    return ctx.models.Item.find(filter).sort({ _id: 1 }).limit(max).lean().exec();
  },
  me: (_, __, ctx) => {
    if (ctx.viewer.role === 'anonymous') throw unauthenticated();
    if (ctx.viewer.role !== 'resident' || !ctx.viewer.residentId) return null;
    const id = ctx.viewer.residentId;
    // Signed in but not in the registry yet: a stand-in, so the app can offer registerResident.
    return ctx.loaders.resident.load(id).then((r) => r ?? { _id: id, name: '', unregistered: true as const });
  },
  personalDataAccessLog: async (_, { residentId, limit }, ctx) => {
    requireRole(ctx.viewer, 'admin');
    const max = validate.intInRange('limit', limit ?? 50, 1, 500);
    const filter = residentId ? { residentId: validate.code('residentId', residentId) } : {};
    return ctx.models.AccessLog.find(filter).sort({ at: -1 }).limit(max).lean<AccessLogDoc[]>().exec();
  },
  resident: async (_, { id }, ctx) => {
    if (ctx.viewer.role === 'anonymous') throw unauthenticated();
    const resident = await ctx.loaders.resident.load(validate.code('id', id));
    if (resident && !canReadResident(ctx.viewer, resident)) throw forbidden('A resident can only read their own records');
    return resident;
  },
  request: (_, { id }, ctx) => {
    validate.objectId('id', id);
    return ctx.loaders.request.load(id);
  },
  requests: async (_, { filter, limit, offset }, ctx) => {
    const max = validate.intInRange('limit', limit ?? 50, 1, 200);
    const skip = validate.intInRange('offset', offset ?? 0, 0, 100000);
    const conds = filterConditions(filter, ctx.clock());
    const scope = await viewerScope(ctx);
    const query = conds.length ? { $and: [scope, ...conds] } : scope;
    if (Object.keys(query).length === 0) return newestRequests(ctx, { skip, limit: max });
    return ctx.models.Request.find(query).sort({ submittedAt: -1, _id: -1 }).skip(skip).limit(max).lean<RequestDoc[]>().exec();
  },
  requestStats: (_, args, ctx) => statsFor(ctx, { match: statsMatch(args) }),
  communityOrders: (_, { communityCode, departmentId, status }, ctx) => {
    const filter: Record<string, string> = {};
    if (communityCode != null) filter.communityCode = validate.code('communityCode', communityCode);
    if (departmentId != null) filter.departmentId = validate.code('departmentId', departmentId);
    if (status != null) filter.status = status;
    return ctx.models.CommunityOrder.find(filter).sort({ issuedAt: -1 }).limit(500).lean().exec();
  },
  welfarePolicies: (_, __, ctx) => ctx.models.WelfarePolicy.find().sort({ _id: 1 }).lean().exec(),
  welfarePolicy: (_, { id }, ctx) => ctx.loaders.policy.load(validate.code('id', id)),
  ...listsQuery,
  requestStatsByPeriod: (_, args, ctx) => requestStatsByPeriod(ctx, args),
  communityOrderStats: (_, args, ctx) => communityOrderStats(ctx, args),
  cannotDoStats: (_, args, ctx) => cannotDoStats(ctx, args),
};
