import type { PubSub } from '../../../shared/platform/pubsub';
import type { Models } from '../models';

/** What the services write through: the models and the pub/sub their events go to. */
export interface ServiceDeps {
  models: Models;
  pubsub: PubSub;
}

/** MongoDB's duplicate-key error: a unique index refused a second copy. */
export function isDuplicateKey(err: unknown): boolean {
  return (err as { code?: number } | null)?.code === 11000;
}
