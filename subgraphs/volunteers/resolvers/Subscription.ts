import * as v from '../../../shared/subgraph/validate';
import { perEvent } from '../../../shared/subgraph';
import type { Context } from '../context';
import { activityChangedTopic } from '../events';
import type { SubscriptionResolvers } from '../generated/graphql';
import type { ActivityDoc } from '../models';

export const Subscription: SubscriptionResolvers<Context> = {
  volunteerActivityChanged: {
    subscribe: (_root, { activityId }, ctx) =>
      ctx.pubsub.subscribe<ActivityDoc>(activityChangedTopic(String(v.objectId('activityId', activityId)))),
    // Fresh loaders (and a fresh `now`) per event: counts as they are after the change.
    resolve: perEvent<ActivityDoc>(),
  },
};
