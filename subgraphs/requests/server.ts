import { syncIndexes } from '../../shared/db';
import { loadSubgraphSdl } from '../../shared/schema';
import type { SubgraphFactory } from '../../shared/subgraph-deps';
import { createSubgraphServer } from '../../shared/subgraph-server';
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper';
import { createContext, type Context } from './context';
import { createModels } from './models';
import { resolvers } from './resolvers';
import { autoCloseResolved } from './services/auto-close';
import { superviseOverdue } from './services/supervision';

export const createSubgraph: SubgraphFactory = async (deps) => {
  const models = createModels(deps.db.conn);
  await syncIndexes(deps.db.conn);
  return createSubgraphServer<Context>({
    name: 'requests',
    typeDefs: loadSubgraphSdl('requests'),
    resolvers: resolvers as unknown as GraphQLResolverMap<Context>,
    context: (viewer) => createContext(deps, viewer),
    internalSecret: deps.config.internalSecret,
    db: deps.db,
    production: deps.config.env === 'production',
    requireGatewaySignature: deps.config.requireGatewaySignature,
    // SLA supervision and auto-close; each claims its items with unique inserts, so replicas never double-process.
    jobs: [
      { name: 'requests.supervise-overdue', everyMs: 60_000, run: (now) => superviseOverdue(models, deps.pubsub, now) },
      { name: 'requests.auto-close', everyMs: 300_000, run: (now) => autoCloseResolved(models, deps.pubsub, now) },
    ],
    schedule: deps.schedule,
    clock: deps.clock,
  });
};
