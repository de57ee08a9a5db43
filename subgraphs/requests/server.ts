import type { WorkingCalendar } from '../../shared/subgraph/calendar';
import type { SubgraphDeps, SubgraphFactory } from '../../shared/subgraph/subgraph-deps';
import { calendarSyncFor } from './calendar-sync';
import { createCitySubgraph } from '../../shared/subgraph/subgraph-server';
import { serviceContext } from '../../shared/subgraph/service';
import { createContext } from './context';
import { createModels } from './models';
import { resolvers } from './resolvers';
import { autoCloseResolved } from './services/auto-close';
import { ensureStatsCounters } from './services/stats-counters';
import { seedCalendarFromNotices } from './services/calendar';
import { superviseDeadlines } from './services/deadline-alerts';
import { superviseOrderReports } from './services/order-alerts';

export const createSubgraph: SubgraphFactory = (deps) => createRequestsSubgraph(deps);

/**
 * The requests subgraph. `calendar` is the working calendar this replica loads and follows: the
 * process-wide one by default; a test starting a second replica in the same process gives it its
 * own, to see that replicas reload each other's edits.
 */
export async function createRequestsSubgraph(deps: SubgraphDeps, { calendar }: { calendar?: WorkingCalendar } = {}) {
  const server = await createCitySubgraph(deps, {
    name: 'requests',
    resolvers,
    createModels,
    createContext,
    // Before it serves: counters built when they never were (or their layout changed), and the
    // working calendar's notices stored (once per year), so it counts with them from the first request.
    prepare: async (models) => {
      await ensureStatsCounters({ models });
      await seedCalendarFromNotices({ models, clock: deps.clock });
    },
    // Time-driven rules; each claims its items with unique inserts, so replicas never double-process.
    jobs: (models) => [
      // Every limit (review, dispatch, acceptance, hourly update, handling, re-dispatch): urge, street, district.
      // Community orders' reports (ORDER_REPORT) in the same job: one sweep raises every kind of alert.
      {
        name: 'requests.supervise-overdue',
        everyMs: 60_000,
        run: async (now) => {
          const ctx = serviceContext({ models, pubsub: deps.pubsub, clock: () => now });
          return (await superviseDeadlines(ctx)) + (await superviseOrderReports(ctx));
        },
      },
      { name: 'requests.auto-close', everyMs: 300_000, run: (now) => autoCloseResolved(serviceContext({ models, pubsub: deps.pubsub, clock: () => now })) },
    ],
  });
  // The stored calendar loaded, and edits from any replica followed until the server stops.
  const calendarSync = calendarSyncFor(deps, calendar);
  await calendarSync.start();
  // Stopping the server stops following (its pub/sub subscription and timer) first.
  const stop = server.stop.bind(server);
  server.stop = async () => {
    await calendarSync.stop();
    await stop();
  };
  return server;
}
