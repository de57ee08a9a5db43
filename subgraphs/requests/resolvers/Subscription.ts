import { perEvent } from '../../../shared/subgraph';
import * as validate from '../../../shared/subgraph/validate';
import type { SubscriptionResolvers } from '../generated/graphql';
import type { RequestStatsValue } from '../domain/stats';
import { topics } from '../events';
import type { RequestDoc } from '../models';

export const Subscription: SubscriptionResolvers = {
  requestUpdated: {
    subscribe: (_, { communityCode }, ctx) => ctx.pubsub.subscribe<RequestDoc>(topics.requestUpdated(validate.code('communityCode', communityCode))),
    resolve: perEvent<RequestDoc>(),
  },
  requestStatsChanged: {
    subscribe: (_, { communityCode }, ctx) => ctx.pubsub.subscribe<RequestStatsValue>(topics.requestStatsChanged(validate.code('communityCode', communityCode))),
    resolve: perEvent<RequestStatsValue>(),
  },
};
