import { ALERT_STAGES, type AlertStage } from './deadlines';

/** What the report supervision reads of a community order. */
export interface OrderReportFields {
  issuedAt: Date;
  reportBy: Date;
}

/**
 * When each stage of an unreported community order is raised: the urge to the ordered department
 * at `reportBy`; the street office after as long again as the order's own window (issuedAt →
 * reportBy); the district after twice that. An order given a day is escalated a day late, then
 * two; one given a week, after a week, then two. The window is at most 30 days (MAX_ORDER_DAYS).
 */
export function orderReportStageDueAt(order: OrderReportFields, stage: AlertStage): Date {
  const reportBy = new Date(order.reportBy).getTime();
  const window = Math.max(0, reportBy - new Date(order.issuedAt).getTime());
  return new Date(reportBy + ALERT_STAGES.indexOf(stage) * window);
}
