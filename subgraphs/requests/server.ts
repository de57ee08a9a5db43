import type { SubgraphFactory } from '../../shared/subgraph/subgraph-deps';
import { createCitySubgraph } from '../../shared/subgraph/subgraph-server';
import { createContext } from './context';
import { createModels } from './models';
import { resolvers } from './resolvers';
import { autoCloseResolved } from './services/auto-close';
import { ensureStatsCounters } from './services/stats-counters';
import { superviseDeadlines } from './services/deadline-alerts';

export const createSubgraph: SubgraphFactory = async (deps) => {
  const server = await createCitySubgraph(deps, {
    name: 'requests',
    resolvers,
    createModels,
    createContext,
    // Time-driven rules; each claims its items with unique inserts, so replicas never double-process.
    jobs: (models) => [
      // Every limit (review, dispatch, acceptance, hourly update, handling, re-dispatch): urge, street, district.
      { name: 'requests.supervise-overdue', everyMs: 60_000, run: (now) => superviseDeadlines(models, deps.pubsub, now) },
      { name: 'requests.auto-close', everyMs: 300_000, run: (now) => autoCloseResolved(models, deps.pubsub, now) },
    ],
  });
  await ensureStatsCounters(createModels(deps.db.conn));
  return server;
};
