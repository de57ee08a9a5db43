import { perEvent } from '../../../shared/subgraph';
import * as validate from '../../../shared/subgraph/validate';
import { availabilityTopic } from '../events';
import type { SubscriptionResolvers } from '../generated/graphql';
import type { LotRecord } from '../models';

export const Subscription: SubscriptionResolvers = {
  parkingAvailabilityChanged: {
    subscribe: (_, { lotId }, ctx) => ctx.pubsub.subscribe(availabilityTopic(validate.code('lotId', lotId))) as never,
    // Fresh loaders per event keep freeSpacesNow from being served from the previous event's cache.
    resolve: perEvent<LotRecord>(),
  },
};
