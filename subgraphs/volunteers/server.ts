import type { SubgraphFactory } from '../../shared/subgraph/subgraph-deps';
import { serviceContext } from '../../shared/subgraph/service';
import { createCitySubgraph } from '../../shared/subgraph/subgraph-server';
import { createContext } from './context';
import { createModels } from './models';
import { resolvers } from './resolvers';
import { backfillEntryMonths } from './services/hours';
import { markVolunteerNoShows } from './services/no-shows';

export const createSubgraph: SubgraphFactory = (deps) =>
  createCitySubgraph(deps, {
    name: 'volunteers',
    resolvers,
    createModels,
    createContext,
    prepare: async (models) => void (await backfillEntryMonths(models)),
    // Time-driven rules; each claims its items with unique inserts, so replicas never double-process.
    jobs: (models) => [{ name: 'volunteers.no-shows', everyMs: 60_000, run: (now) => markVolunteerNoShows(serviceContext({ models, pubsub: deps.pubsub, clock: () => now })) }],
  });
