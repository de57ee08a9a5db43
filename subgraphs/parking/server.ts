import type { SubgraphFactory } from '../../shared/subgraph/subgraph-deps';
import { createCitySubgraph } from '../../shared/subgraph/subgraph-server';
import { serviceContext } from '../../shared/subgraph/service';
import { createContext } from './context';
import { createModels } from './models';
import { resolvers } from './resolvers';
import { backfillSpaceCommunities } from './services/capacity';
import { expireParkingReservations } from './services/expiry';

export const createSubgraph: SubgraphFactory = (deps) =>
  createCitySubgraph(deps, {
    name: 'parking',
    resolvers,
    createModels,
    createContext,
    // Time-driven rules; each claims its items with unique inserts, so replicas never double-process.
    prepare: async (models) => void (await backfillSpaceCommunities(models)),
    jobs: (models) => [{ name: 'parking.expire-reservations', everyMs: 30_000, run: (now) => expireParkingReservations(serviceContext({ models, pubsub: deps.pubsub, clock: () => now })) }],
  });
