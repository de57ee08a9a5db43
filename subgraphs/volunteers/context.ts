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

export function createContext(deps: SubgraphDeps, viewer: Viewer): Context {
  const models = createModels(deps.db.conn);
  return { viewer, models, loaders: createLoaders(models, deps.clock()), pubsub: deps.pubsub, clock: deps.clock, db: deps.db };
}

/**
 * A subscription keeps one context for its whole life; each event gets fresh loaders (and a fresh
 * `now`) so counts are read as they are after the change, not as they were at the first event.
 */
export function refreshLoaders(ctx: Context): void {
  ctx.loaders = createLoaders(ctx.models, ctx.clock());
}
