import type { PubSub } from '../../../shared/platform/pubsub';
import type { Models } from '../models';

/** What the services write through: the models and the pub/sub their events go to. */
export interface ServiceDeps {
  models: Models;
  pubsub: PubSub;
}
