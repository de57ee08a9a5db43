import { perEvent } from '../../../shared/subgraph';
import * as validate from '../../../shared/subgraph/validate';
import { visibleActor } from '../../../shared/subgraph/privacy';
import { addMicroProjectStats, consultationPasses, EMPTY_MICRO_PROJECT_STATS, microProjectStats } from '../domain/microprojects';
import type {
  CommunityResolvers,
  DistrictResolvers,
  MicroProjectEventResolvers,
  MicroProjectResolvers,
  MicroProjectVotesResolvers,
  MutationResolvers,
  QueryResolvers,
  Resolvers,
  StreetResolvers,
  SubscriptionResolvers,
} from '../generated/graphql';
import { microProjectTopic } from '../events';
import type { MicroProjectDoc } from '../models';
import type { Context } from '../context';
import type { MicroProjectVotesParent } from '../domain/microprojects';
import * as micro from '../services/microprojects';

/** Caps a community's micro-project list. */
const MAX_LIST = 200;

export const MicroProject: MicroProjectResolvers = {
  id: (p) => String(p._id),
  community: async (p, _, ctx) => (await ctx.loaders.community.load(p.communityCode))!,
  street: async (p, _, ctx) => (await ctx.loaders.street.load(p.streetCode))!,
  district: async (p, _, ctx) => (await ctx.loaders.district.load(p.districtCode))!,
  proposedByMe: (p, _, ctx) => ctx.viewer.role === 'resident' && !!p.proposerId && ctx.viewer.residentId === p.proposerId,
  spent: (p) => p.spent ?? 0,
  acceptedBy: (p) => p.acceptedBy ?? [],
  votes: (p) => ({ projectId: String(p._id), communityCode: p.communityCode, tally: p.tally ?? null }),
  // Actors are resolved here, where the proposer is known (the kit's one rule).
  timeline: (p, _, ctx) => p.timeline.map((e) => ({ ...e, actor: visibleActor(ctx.viewer, e, p.proposerId) })),
};

export const MicroProjectEvent: MicroProjectEventResolvers = {};

/** The recorded result once the consultation closed, else the votes counted now. */
async function tallyOf(v: MicroProjectVotesParent, ctx: Context): Promise<{ support: number; oppose: number }> {
  if (v.tally) return v.tally;
  const votes = await ctx.loaders.microProjectVotes.load(v.projectId);
  const support = votes.filter((x) => x.support).length;
  return { support, oppose: votes.length - support };
}

export const MicroProjectVotes: MicroProjectVotesResolvers = {
  support: async (v, _, ctx) => (await tallyOf(v, ctx)).support,
  oppose: async (v, _, ctx) => (await tallyOf(v, ctx)).oppose,
  cast: async (v, _, ctx) => {
    const t = await tallyOf(v, ctx);
    return t.support + t.oppose;
  },
  eligible: (v, _, ctx) => ctx.loaders.registeredResidents.load(v.communityCode),
  passes: async (v, _, ctx) => {
    const t = await tallyOf(v, ctx);
    return consultationPasses(t.support, t.oppose);
  },
  mine: async (v, _, ctx) => {
    if (ctx.viewer.role !== 'resident' || !ctx.viewer.residentId) return null;
    const own = (await ctx.loaders.microProjectVotes.load(v.projectId)).find((x) => x.residentId === ctx.viewer.residentId);
    return own ? own.support : null;
  },
};

export const microProjectCommunityFields: CommunityResolvers = {
  microProjects: async (c, { status, limit }, ctx) => {
    const n = validate.intInRange('limit', limit ?? 20, 1, MAX_LIST);
    const list = await ctx.loaders.microProjectsByCommunity.load(c._id);
    return (status ? list.filter((p) => p.status === status) : list).slice(0, n);
  },
  microProjectStats: (c, _, ctx) => ctx.loaders.microProjectStatsByCommunity.load(c._id),
};

export const microProjectStreetFields: StreetResolvers = {
  microProjectStats: (s, _, ctx) => ctx.loaders.microProjectStatsByStreet.load(s._id),
};

export const microProjectDistrictFields: DistrictResolvers = {
  microProjectStats: (d, _, ctx) => ctx.loaders.microProjectStatsByDistrict.load(d._id),
};

export const microProjectQueryFields: QueryResolvers = {
  microProject: (_, { id }, ctx) => {
    validate.objectId('id', id);
    return ctx.models.MicroProject.findById(id).lean().exec();
  },
  microProjectStats: async (_, { districtCode, streetCode, communityCode }, ctx) => {
    if (communityCode != null) return ctx.loaders.microProjectStatsByCommunity.load(validate.code('communityCode', communityCode));
    if (streetCode != null) return ctx.loaders.microProjectStatsByStreet.load(validate.code('streetCode', streetCode));
    if (districtCode != null) return ctx.loaders.microProjectStatsByDistrict.load(validate.code('districtCode', districtCode));
    // The city's are its districts' summed, one equality each: a loader would batch the ten
    // districts into one `$in`, which FerretDB does not push down (a read of every project).
    const districts = await ctx.models.District.find({}, { _id: 1 }).lean().exec();
    const each = await Promise.all(districts.map((d) => ctx.models.MicroProject.find({ districtCode: d._id }, { status: 1, approvedBudget: 1, spent: 1 }).lean().exec()));
    return each.map(microProjectStats).reduce(addMicroProjectStats, EMPTY_MICRO_PROJECT_STATS);
  },
};

export const microProjectMutationFields: MutationResolvers = {
  proposeMicroProject: (_, { input }, ctx) => micro.proposeMicroProject(ctx, input),
  openMicroProjectConsultation: (_, args, ctx) => micro.openConsultation(ctx, args),
  voteOnMicroProject: (_, args, ctx) => micro.voteOnMicroProject(ctx, args),
  closeMicroProjectConsultation: (_, args, ctx) => micro.closeConsultation(ctx, args),
  approveMicroProject: (_, args, ctx) => micro.approveMicroProject(ctx, args),
  rejectMicroProject: (_, args, ctx) => micro.rejectMicroProject(ctx, args),
  reportMicroProjectProgress: (_, args, ctx) => micro.reportProgress(ctx, args),
  acceptMicroProject: (_, args, ctx) => micro.acceptMicroProject(ctx, args),
};

export const microProjectSubscriptionFields: SubscriptionResolvers = {
  microProjectUpdated: {
    subscribe: (_, { communityCode }, ctx) => ctx.pubsub.subscribe<MicroProjectDoc>(microProjectTopic(validate.code('communityCode', communityCode))),
    resolve: perEvent<MicroProjectDoc>(),
  },
};
