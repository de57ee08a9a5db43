import type { Logger } from 'pino';
import type { Viewer } from '../platform/auth';
import type { PubSub } from '../platform/pubsub';

/**
 * The one service signature: `fn(ctx, input)`, where `ctx` is the operation's context (the
 * resolvers pass theirs whole; sweeps and seeds build one with `serviceContext`). A service never
 * takes loose dependencies, so adding one (the log, the clock) changes no call site.
 */
export interface ServiceContext<TModels = unknown> {
  viewer: Viewer;
  models: TModels;
  clock: () => Date;
  pubsub: PubSub;
  /** Where the service logs what it cannot answer with (a failed publish). */
  log?: Logger;
}

/** A context for work no request started (sweeps, seeds): acts as the system, with admin rights. */
export function serviceContext<TModels>(parts: Omit<ServiceContext<TModels>, 'viewer'> & { viewer?: Viewer }): ServiceContext<TModels> {
  return { viewer: parts.viewer ?? { role: 'admin', subject: 'system' }, ...parts };
}
