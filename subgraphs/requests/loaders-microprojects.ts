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
      if (keys.length === 1) return new Map([[keys[0], await models.Resident.countDocuments({ homeCommunityCode: keys[0] })]]);
      // A long list (every community of a district or the city): one read of the ids, counted here.
      const rows = await models.Resident.find({ homeCommunityCode: idFilter(keys) }, { homeCommunityCode: 1 }).batchSize(ONE_BATCH).lean().exec();
      const counts = new Map<string, number>();
      for (const r of rows) if (r.homeCommunityCode) counts.set(r.homeCommunityCode, (counts.get(r.homeCommunityCode) ?? 0) + 1);
      return counts;
    }, 0),
  };
}
