import type { SubgraphFactory } from '../../shared/subgraph/subgraph-deps';
import { createCitySubgraph } from '../../shared/subgraph/subgraph-server';
import { serviceContext } from '../../shared/subgraph/service';
import { createContext } from './context';
import { createModels } from './models';
import { resolvers } from './resolvers';
import { markHostelNoShows } from './services/no-shows';

export const createSubgraph: SubgraphFactory = (deps) =>
  createCitySubgraph(deps, {
    name: 'hostels',
    resolvers,
    createModels,
    createContext,
    // Time-driven rules; each claims its items with unique inserts, so replicas never double-process.
    jobs: (models) => [{ name: 'hostels.no-shows', everyMs: 60_000, run: (now) => markHostelNoShows(serviceContext({ models, pubsub: deps.pubsub, clock: () => now })) }],
  });
