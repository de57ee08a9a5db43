import type { Context } from '../context';
import { duplicateMessage, publicServiceRequest } from '../domain/open311';
import type { Open311AppResolvers, QueryResolvers, MutationResolvers, RequestDuplicateNoticeResolvers, RequestResolvers } from '../generated/graphql';
import type { RequestDoc } from '../models';
import { findPublic, issueApiKey, listApps, listPublic, revokeApiKey, submitOpen311 } from '../services/open311';

/** The public GeoReport view of a request, through the per-operation loaders. */
async function publicView(r: RequestDoc, ctx: Context) {
  const [item, department, community, parent] = await Promise.all([
    ctx.loaders.item.load(r.itemCode),
    r.departmentId ? ctx.loaders.department.load(r.departmentId) : null,
    ctx.loaders.community.load(r.communityCode),
    r.duplicateSimilarity != null && r.parentId ? ctx.loaders.request.load(r.parentId) : null,
  ]);
  return publicServiceRequest({
    number: r.number,
    status: r.status,
    title: r.title,
    itemCode: r.itemCode,
    itemName: item?.name ?? null,
    departmentName: department?.name ?? null,
    communityCode: r.communityCode,
    communityName: community?.name ?? null,
    lat: r.lat,
    lng: r.lng,
    submittedAt: r.submittedAt,
    updatedAt: r.timeline?.at(-1)?.at ?? null,
    dueAt: r.dueAt,
    duplicateOf: parent?.number ?? null,
  });
}

export const open311Query: Pick<QueryResolvers, 'open311Requests' | 'open311Request' | 'open311Apps'> = {
  open311Requests: async (_, args, ctx) => Promise.all((await listPublic(ctx, args)).map((r) => publicView(r, ctx))),
  open311Request: async (_, { id }, ctx) => {
    const r = await findPublic(ctx, { id });
    return r ? publicView(r, ctx) : null;
  },
  open311Apps: (_, __, ctx) => listApps(ctx),
};

export const open311Mutation: Pick<MutationResolvers, 'issueOpen311ApiKey' | 'revokeOpen311ApiKey' | 'submitOpen311Request'> = {
  issueOpen311ApiKey: (_, args, ctx) => issueApiKey(ctx, args),
  revokeOpen311ApiKey: (_, args, ctx) => revokeApiKey(ctx, args),
  submitOpen311Request: async (_, { input }, ctx) => publicView(await submitOpen311(ctx, input), ctx),
};

export const Open311App: Open311AppResolvers = {
  id: (a) => a._id,
  revokedAt: (a) => a.revokedAt ?? null,
  requestsFiled: (a, _, ctx) => ctx.models.Request.countDocuments({ submitterId: `open311:${a._id}` }),
};

/** Fields this feature adds to Request (merged into its resolvers in resolvers/index.ts). */
export const open311RequestFields: Pick<RequestResolvers, 'duplicateNotice' | 'filedByApp'> = {
  duplicateNotice: (r) => (r.duplicateSimilarity != null && r.parentId ? { parentId: r.parentId, similarity: r.duplicateSimilarity } : null),
  filedByApp: (r) => r.open311AppName ?? null,
};

export const RequestDuplicateNotice: RequestDuplicateNoticeResolvers = {
  original: async (n, _, ctx) => (await ctx.loaders.request.load(n.parentId))!,
  message: async (n, _, ctx) => duplicateMessage((await ctx.loaders.request.load(n.parentId))?.number ?? n.parentId),
};
