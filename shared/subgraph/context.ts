import type { Connection } from 'mongoose';
import type { Viewer } from '../platform/auth';
import type { Database } from '../platform/db';
import type { PubSub } from '../platform/pubsub';
import type { SubgraphDeps } from './subgraph-deps';

/** The context every subgraph's resolvers get; each subgraph names its own models and loaders. */
export interface SubgraphContext<TModels, TLoaders> {
  viewer: Viewer;
  models: TModels;
  /** Fresh per operation, so nothing is cached across viewers (and per subscription event). */
  loaders: TLoaders;
  pubsub: PubSub;
  clock: () => Date;
  db: Database;
}

/** Builds one operation's context: the subgraph's models on its connection and a fresh set of loaders. */
export function subgraphContext<TModels, TLoaders>(
  deps: SubgraphDeps,
  viewer: Viewer,
  createModels: (conn: Connection) => TModels,
  createLoaders: (models: TModels) => TLoaders,
): SubgraphContext<TModels, TLoaders> {
  const models = createModels(deps.db.conn);
  return { viewer, models, loaders: createLoaders(models), pubsub: deps.pubsub, clock: deps.clock, db: deps.db };
}
