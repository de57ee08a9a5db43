import { createLogger } from '../../../shared/platform/logger';
import type { PubSub } from '../../../shared/platform/pubsub';
import { claimOnce, publishAfterCommit } from '../../../shared/subgraph';
import { ALERT_STAGES, type AlertStage } from '../domain/deadlines';
import { orderReportStageDueAt } from '../domain/order-alerts';
import type { CommunityOrderDoc, Models, SupervisionAlertDoc } from '../models';
import { ALERT_TOPIC, staleAlertsBy } from './deadline-alerts';
import type { RequestsService } from './deps';

const log = createLogger('requests');

export function orderAlertId(orderId: string, reportBy: Date, stage: AlertStage): string {
  return `${orderId}:ORDER_REPORT:${new Date(reportBy).toISOString()}:${stage}`;
}

/** Every alert due for the order at `now` (raised or not); none once it is reported. */
export function dueOrderAlerts(o: CommunityOrderDoc, now: Date): SupervisionAlertDoc[] {
  if (o.status !== 'ISSUED') return [];
  const orderId = String(o._id);
  const dueAt = new Date(o.reportBy);
  const out: SupervisionAlertDoc[] = [];
  for (const stage of ALERT_STAGES) {
    const stageDueAt = orderReportStageDueAt(o, stage);
    if (stageDueAt > now) break;
    out.push({
      _id: orderAlertId(orderId, dueAt, stage),
      requestId: null,
      orderId,
      deadline: 'ORDER_REPORT',
      stage,
      dueAt,
      stageDueAt,
      raisedAt: now,
      // The department owes the report at every stage; the street and district see it by place.
      departmentId: o.departmentId,
      communityCode: o.communityCode,
      streetCode: o.streetCode,
      districtCode: o.districtCode,
      recorded: false,
    });
  }
  return out;
}

/**
 * Records and publishes claimed alerts of one order, after re-reading it: an order the department
 * reported between the sweep's read and its claim has its claims withdrawn instead.
 */
async function recordOrderAlerts(models: Models, pubsub: PubSub, orderId: string, claimed: SupervisionAlertDoc[]): Promise<number> {
  const fresh = await models.CommunityOrder.findById(orderId).lean<CommunityOrderDoc>();
  if (!fresh || fresh.status !== 'ISSUED') {
    await models.SupervisionAlert.deleteMany({ _id: { $in: claimed.map((a) => a._id) } });
    return 0;
  }
  await models.SupervisionAlert.updateMany({ _id: { $in: claimed.map((a) => a._id) } }, { $set: { recorded: true } });
  for (const a of claimed) await publishAfterCommit(pubsub, ALERT_TOPIC, { ...a, recorded: true }, log);
  return claimed.length;
}

/** Order alerts a replica claimed but did not record (it stopped in between): finished here. */
async function recoverUnrecorded(models: Models, pubsub: PubSub, now: Date): Promise<number> {
  const byOrder = await staleAlertsBy(models, now, 'orderId');
  let recorded = 0;
  for (const [orderId, alerts] of byOrder) recorded += await recordOrderAlerts(models, pubsub, orderId, alerts);
  return recorded;
}

/**
 * Supervision of community-order reports (社区发令、部门报到), the ORDER_REPORT limit: an order
 * still ISSUED past `reportBy` raises the urge to the ordered department, then the street office's
 * and the district's escalations (`orderReportStageDueAt`). Like the requests' limits, each alert
 * is claimed once by inserting its id (`claimOnce`), and due stages are selected by "due at or
 * before now", so a sweep after downtime raises each stage once; reporting stops the chain.
 * Returns how many alerts this call recorded.
 */
export async function superviseOrderReports(ctx: RequestsService): Promise<number> {
  const { models, pubsub } = ctx;
  const now = ctx.clock();
  let recorded = await recoverUnrecorded(models, pubsub, now);
  const overdue = await models.CommunityOrder.find({ status: 'ISSUED', reportBy: { $lte: now } }).lean<CommunityOrderDoc[]>().exec();
  for (const order of overdue) {
    const due = dueOrderAlerts(order, now);
    // Stages already raised are skipped without an insert (an unreported order stays a candidate);
    // one equality per order, since FerretDB pushes no `$in` down.
    const raised = new Set((await models.SupervisionAlert.find({ orderId: String(order._id) }, { _id: 1 }).lean<Array<{ _id: string }>>().exec()).map((a) => a._id));
    const claimed: SupervisionAlertDoc[] = [];
    for (const a of due) if (!raised.has(a._id) && (await claimOnce(models.SupervisionAlert, { ...a }))) claimed.push(a);
    if (claimed.length) recorded += await recordOrderAlerts(models, pubsub, String(order._id), claimed);
  }
  return recorded;
}
