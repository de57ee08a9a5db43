import type { Viewer } from '../../shared/auth';
import type { Database } from '../../shared/db';
import type { PubSub } from '../../shared/pubsub';
import type { SubgraphDeps } from '../../shared/subgraph-deps';
import { createLoaders, type Loaders } from './loaders';
import { createModels, type Models } from './models';

export interface Context {
  viewer: Viewer;
  models: Models;
  loaders: Loaders;
  pubsub: PubSub;
  clock: () => Date;
  db: Database;
}

/** One context per operation: a fresh set of loaders, so nothing is cached across viewers. */
export function createContext(deps: SubgraphDeps, viewer: Viewer): Context {
  const models = createModels(deps.db.conn);
  return { viewer, models, loaders: createLoaders(models, deps.clock), pubsub: deps.pubsub, clock: deps.clock, db: deps.db };
}
