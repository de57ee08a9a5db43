import { eventIterator } from '../../../shared/platform/pubsub';
import * as validate from '../../../shared/subgraph/validate';
import { alertScope, inAlertScope, type AlertScopeArgs } from '../domain/alert-access';
import type { MutationResolvers, QueryResolvers, SubscriptionResolvers, SupervisionAlertResolvers } from '../generated/graphql';
import type { SupervisionAlertDoc } from '../models';
import { ALERT_TOPIC, alertMessage } from '../services/deadline-alerts';
import { runStep } from '../services/publishing';
import { reviewRequest } from '../services/review';
import { perEvent } from '../../../shared/subgraph';

/** The scope arguments, checked as codes before the viewer's rights are. */
function scopeArgs(args: AlertScopeArgs): AlertScopeArgs {
  return {
    departmentId: args.departmentId == null ? null : validate.code('departmentId', args.departmentId),
    streetCode: args.streetCode == null ? null : validate.code('streetCode', args.streetCode),
    districtCode: args.districtCode == null ? null : validate.code('districtCode', args.districtCode),
  };
}

/** Only the events of `topic` inside the scope; ending the result ends the subscription upstream. */
function scopedAlerts(source: AsyncIterableIterator<SupervisionAlertDoc>, scope: Record<string, string>): AsyncIterableIterator<SupervisionAlertDoc> {
  return eventIterator<SupervisionAlertDoc>((push) => {
    let active = true;
    void (async () => {
      for await (const alert of source) {
        if (!active) break;
        if (inAlertScope(alert, scope)) push(alert);
      }
    })();
    return () => {
      active = false;
      void source.return?.();
    };
  });
}

export const SupervisionAlert: SupervisionAlertResolvers = {
  id: (a) => a._id,
  request: (a, _, ctx) => (a.requestId ? ctx.loaders.request.load(a.requestId) : null),
  department: (a, _, ctx) => (a.departmentId ? ctx.loaders.department.load(a.departmentId) : null),
  message: (a) => alertMessage(a),
  communityOrder: (a, _, ctx) => (a.orderId ? ctx.loaders.communityOrder.load(a.orderId) : null),
};

export const supervisionQuery: QueryResolvers = {
  supervisionAlerts: (_, args, ctx) => {
    const scope = alertScope(ctx.viewer, scopeArgs(args));
    const first = validate.intInRange('first', args.first ?? 50, 1, 200);
    const one = args.requestId == null ? {} : { requestId: String(validate.objectId('requestId', args.requestId)) };
    return ctx.models.SupervisionAlert.find({ ...scope, ...one, recorded: true }).sort({ raisedAt: -1, _id: -1 }).limit(first).lean<SupervisionAlertDoc[]>().exec();
  },
};

export const supervisionMutation: MutationResolvers = {
  reviewRequest: (_, args, ctx) => runStep(ctx, reviewRequest, args),
};

export const supervisionSubscription: SubscriptionResolvers = {
  supervisionAlertRaised: {
    subscribe: (_, args, ctx) => scopedAlerts(ctx.pubsub.subscribe<SupervisionAlertDoc>(ALERT_TOPIC), alertScope(ctx.viewer, scopeArgs(args))),
    resolve: perEvent<SupervisionAlertDoc>(),
  },
};
