import type { SubgraphFactory } from '../../shared/subgraph/subgraph-deps';
import { createCitySubgraph } from '../../shared/subgraph/subgraph-server';
import { createContext } from './context';
import { createModels } from './models';
import { resolvers } from './resolvers';
import { markVolunteerNoShows } from './services/no-shows';
import { localMonthString } from '../../shared/subgraph/time';

export const createSubgraph: SubgraphFactory = async (deps) => {
  const server = await createCitySubgraph(deps, {
    name: 'volunteers',
    resolvers,
    createModels,
    createContext,
    // Time-driven rules; each claims its items with unique inserts, so replicas never double-process.
    jobs: (models) => [{ name: 'volunteers.no-shows', everyMs: 60_000, run: (now) => markVolunteerNoShows(models, deps.pubsub, now) }],
  });
  await backfillVerifiedMonth(createModels(deps.db.conn));
  return server;
};

/** Sets `verifiedMonth` on sign-ups verified before the field existed (none after the first start). */
async function backfillVerifiedMonth(models: ReturnType<typeof createModels>): Promise<void> {
  const missing = await models.SignUp.find({ status: 'VERIFIED', verifiedMonth: null }, { verifiedAt: 1 }).lean();
  const ops = missing
    .filter((d) => d.verifiedAt)
    .map((d) => ({ updateOne: { filter: { _id: d._id }, update: { $set: { verifiedMonth: localMonthString(d.verifiedAt!) } } } }));
  // Small bulks: FerretDB holds a connection per statement until a bulk ends (see shared/dev/ferret.ts).
  for (let i = 0; i < ops.length; i += 25) await models.SignUp.bulkWrite(ops.slice(i, i + 25), { ordered: false });
}
