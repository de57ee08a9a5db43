import type { Connection } from 'mongoose';
import type { Viewer } from '../platform/auth';
import type { Database } from '../platform/db';
import type { PubSub } from '../platform/pubsub';
import { referencesFor, type References } from './references';
import type { SubgraphDeps } from './subgraph-deps';

/** The context every subgraph's resolvers get; each subgraph names its own models and loaders. */
export interface SubgraphContext<TModels, TLoaders> {
  viewer: Viewer;
  models: TModels;
  /** Fresh per operation, so nothing is cached across viewers (and per subscription event). */
  loaders: TLoaders;
  /** Replaces `loaders` with a fresh set: a subscription keeps one context, and each event needs new ones (`perEvent`). */
  renewLoaders: () => void;
  pubsub: PubSub;
  clock: () => Date;
  db: Database;
  /** Asks other subgraphs whether entities this one references exist (one cache per process). */
  references: References;
}

/** Builds one operation's context: the subgraph's models on its connection and a fresh set of loaders. */
export function subgraphContext<TModels, TLoaders>(
  deps: SubgraphDeps,
  viewer: Viewer,
  createModels: (conn: Connection) => TModels,
  createLoaders: (models: TModels) => TLoaders,
): SubgraphContext<TModels, TLoaders> {
  const models = createModels(deps.db.conn);
  const ctx: SubgraphContext<TModels, TLoaders> = {
    viewer,
    models,
    loaders: createLoaders(models),
    renewLoaders: () => {
      ctx.loaders = createLoaders(models);
    },
    pubsub: deps.pubsub,
    clock: deps.clock,
    db: deps.db,
    references: referencesFor(deps.config),
  };
  return ctx;
}

/**
 * A subscription's `resolve`, run with fresh loaders for each event: a subscription keeps one
 * context for its life, so without this an event's fields would be read from the cache of the
 * first event. Every subgraph's Subscription resolvers go through this; none renews loaders itself.
 */
export function perEvent<TPayload, TResult = TPayload, TArgs = unknown>(
  resolve: (payload: TPayload, args: TArgs, ctx: { renewLoaders: () => void }) => TResult = (p) => p as unknown as TResult,
) {
  return (payload: TPayload, args: TArgs, ctx: { renewLoaders: () => void }): TResult => {
    ctx.renewLoaders();
    return resolve(payload, args, ctx);
  };
}
