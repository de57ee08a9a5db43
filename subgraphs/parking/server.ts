import { syncIndexes } from '../../shared/db';
import { loadSubgraphSdl } from '../../shared/schema';
import type { SubgraphFactory } from '../../shared/subgraph-deps';
import { createSubgraphServer } from '../../shared/subgraph-server';
import { createContext, type Context } from './context';
import { createModels } from './models';
import { expireParkingReservations } from './services/expiry';
import { resolvers } from './resolvers';

export const createSubgraph: SubgraphFactory = async (deps) => {
  const models = createModels(deps.db.conn);
  // The unique indexes are the capacity and one-booking rules: they must exist before serving.
  await syncIndexes(deps.db.conn);
  return createSubgraphServer<Context>({
    name: 'parking',
    typeDefs: loadSubgraphSdl('parking'),
    resolvers: resolvers as never,
    context: (viewer) => createContext(deps, viewer),
    internalSecret: deps.config.internalSecret,
    db: deps.db,
    production: deps.config.env === 'production',
    requireGatewaySignature: deps.config.requireGatewaySignature,
    // Time-driven rules; each claims its items with unique inserts, so replicas never double-process.
    jobs: [{ name: 'parking.expire-reservations', everyMs: 30_000, run: (now) => expireParkingReservations(models, deps.pubsub, now) }],
    schedule: deps.schedule,
    clock: deps.clock,
  });
};
