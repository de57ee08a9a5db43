import { perEvent } from '../../../shared/subgraph';
import * as validate from '../../../shared/subgraph/validate';
import type { SubscriptionResolvers } from '../generated/graphql';
import type { RequestStatsValue } from '../domain/stats';
import { topics } from '../events';
import type { RequestDoc, StreetDoc } from '../models';
import type { DepartmentBoardParent } from '../types';
import type { Context } from '../context';
import { requireBoardViewer } from '../domain/boards';

export const Subscription: SubscriptionResolvers = {
  requestUpdated: {
    subscribe: (_, { communityCode }, ctx) => ctx.pubsub.subscribe<RequestDoc>(topics.requestUpdated(validate.code('communityCode', communityCode))),
    resolve: perEvent<RequestDoc>(),
  },
  requestStatsChanged: {
    subscribe: (_, { communityCode }, ctx) => ctx.pubsub.subscribe<RequestStatsValue>(topics.requestStatsChanged(validate.code('communityCode', communityCode))),
    resolve: perEvent<RequestStatsValue>(),
  },
  departmentBoardChanged: {
    subscribe: (_, { departmentId }, ctx) => {
      const id = validate.code('departmentId', departmentId);
      requireBoardViewer(ctx.viewer, id);
      return ctx.pubsub.subscribe<DepartmentBoardParent>(topics.departmentBoardChanged(id));
    },
    resolve: perEvent<DepartmentBoardParent>(),
  },
  overviewChanged: {
    subscribe: (_, { districtCode }, ctx) => ctx.pubsub.subscribe<{ streetCode: string }>(topics.overviewChanged(districtCode == null ? null : validate.code('districtCode', districtCode))),
    resolve: perEvent<{ streetCode: string }, Promise<StreetDoc>, unknown>(async (p, _, ctx) => (await (ctx as unknown as Context).loaders.street.load(p.streetCode))!),
  },
};
