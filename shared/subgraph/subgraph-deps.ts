import type { CityConfig } from '../platform/config';
import type { Database } from '../platform/db';
import type { PubSub } from '../platform/pubsub';
import type { SubgraphServer } from './subgraph-server';

export const SUBGRAPH_NAMES = ['requests', 'parking', 'hostels', 'volunteers'] as const;
export type SubgraphName = (typeof SUBGRAPH_NAMES)[number];

/** What a subgraph is built from; tests pass their own database, pub/sub and clock. */
export interface SubgraphDeps {
  db: Database;
  config: CityConfig;
  pubsub: PubSub;
  /** The current time; tests fix it to exercise time rules (windows, deadlines, no-shows). */
  clock: () => Date;
  /** Run the subgraph's scheduled rules on timers (true when run as a process; tests call them directly). */
  schedule?: boolean;
}

/** Each subgraph's `server.ts` exports one of these as `createSubgraph`. */
export type SubgraphFactory = (deps: SubgraphDeps) => Promise<SubgraphServer>;
