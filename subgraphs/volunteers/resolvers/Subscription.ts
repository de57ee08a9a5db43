import * as v from '../../../shared/subgraph/validate';
import { refreshLoaders, type Context } from '../context';
import { activityChangedTopic } from '../events';
import type { SubscriptionResolvers } from '../generated/graphql';
import type { ActivityDoc } from '../models';

export const Subscription: SubscriptionResolvers<Context> = {
  volunteerActivityChanged: {
    subscribe: (_root, { activityId }, ctx) =>
      ctx.pubsub.subscribe<ActivityDoc>(activityChangedTopic(String(v.objectId('activityId', activityId)))),
    resolve: (payload: ActivityDoc, _args: unknown, ctx: Context) => {
      refreshLoaders(ctx);
      return payload;
    },
  },
};
