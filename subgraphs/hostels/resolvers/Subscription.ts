import { perEvent } from '../../../shared/subgraph';
import * as validate from '../../../shared/subgraph/validate';
import { availabilityTopic } from '../events';
import type { SubscriptionResolvers } from '../generated/graphql';
import type { HostelParent } from '../models/types';

export const Subscription: SubscriptionResolvers = {
  hostelAvailabilityChanged: {
    subscribe: (_, args, ctx) => ctx.pubsub.subscribe(availabilityTopic(validate.code('hostelId', args.hostelId))),
    resolve: perEvent<HostelParent>(),
  },
};
