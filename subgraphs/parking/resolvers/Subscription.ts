import * as validate from '../../../shared/subgraph/validate';
import type { Context } from '../context';
import { availabilityTopic } from '../events';
import type { SubscriptionResolvers } from '../generated/graphql';
import { createLoaders } from '../loaders';
import type { LotRecord } from '../models';

export const Subscription: SubscriptionResolvers = {
  parkingAvailabilityChanged: {
    subscribe: (_, { lotId }, ctx) => ctx.pubsub.subscribe(availabilityTopic(validate.code('lotId', lotId))) as never,
    // A subscription keeps one context for its lifetime; fresh loaders per event keep
    // freeSpacesNow from being served from the previous event's cache.
    resolve: (payload: LotRecord, _args: unknown, ctx: Context) => {
      ctx.loaders = createLoaders(ctx.models, ctx.clock);
      return payload;
    },
  },
};
