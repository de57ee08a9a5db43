import { aggregateLoader, groupLoader, idFilter } from '../../shared/subgraph/loaders';
import { EMPTY_MICRO_PROJECT_STATS, microProjectStats, type MicroProjectStatsValue } from './domain/microprojects';
import type { Models } from './models';
import type { MicroProjectDoc, MicroProjectVoteDoc } from './models/micro-project';

/** Enough for every project of a batch's communities in one reply. */
const ONE_BATCH = 100_000;

type ScopeField = 'communityCode' | 'streetCode' | 'districtCode';

/**
 * A scope's figures from its projects' status, budget and spend: one indexed equality per key
 * (pushed down on FerretDB), summed in the application (FerretDB pushes no `$group` down).
 */
function statsLoader(models: Models, field: ScopeField) {
  return aggregateLoader<string, MicroProjectStatsValue>(async (keys) => {
    const rows = await models.MicroProject.find({ [field]: idFilter(keys) }, { status: 1, approvedBudget: 1, spent: 1, [field]: 1 })
      .batchSize(ONE_BATCH)
      .lean<Array<Pick<MicroProjectDoc, 'status' | 'approvedBudget' | 'spent' | ScopeField>>>()
      .exec();
    const byKey = new Map<string, typeof rows>();
    for (const row of rows) {
      const k = row[field];
      byKey.set(k, [...(byKey.get(k) ?? []), row]);
    }
    return new Map([...byKey].map(([k, list]) => [k, microProjectStats(list)]));
  }, EMPTY_MICRO_PROJECT_STATS);
}

/** The micro-project loaders, one fresh set per operation (spread into the subgraph's loaders). */
export function microProjectLoaders(models: Models) {
  return {
    microProjectStatsByCommunity: statsLoader(models, 'communityCode'),
    microProjectStatsByStreet: statsLoader(models, 'streetCode'),
    microProjectStatsByDistrict: statsLoader(models, 'districtCode'),
    /** A community's projects, newest first (the community list filters and slices). */
    microProjectsByCommunity: groupLoader(
      (keys: readonly string[]) => models.MicroProject.find({ communityCode: idFilter(keys) }).sort({ proposedAt: -1, _id: -1 }).batchSize(ONE_BATCH).lean<MicroProjectDoc[]>().exec(),
      (p) => p.communityCode,
    ),
    /** A project's votes (projected: who and which way), for its tally and the viewer's own vote. */
    microProjectVotes: groupLoader(
      (keys: readonly string[]) => models.MicroProjectVote.find({ projectId: idFilter(keys) }, { projectId: 1, residentId: 1, support: 1 }).batchSize(ONE_BATCH).lean<MicroProjectVoteDoc[]>().exec(),
      (v) => v.projectId,
    ),
    /** Registered residents per community: who may vote. */
    registeredResidents: aggregateLoader<string, number>(async (keys) => {
      const counts = await Promise.all(keys.map(async (k) => [k, await models.Resident.countDocuments({ homeCommunityCode: k })] as const));
      return new Map(counts);
    }, 0),
  };
}
