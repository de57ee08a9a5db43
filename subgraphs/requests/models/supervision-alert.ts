import { Schema, type Connection, type Model } from 'mongoose';
import type { AlertStage, DeadlineKind } from '../domain/deadlines';

/**
 * One alert of the supervision of a passed limit. `_id` is the claim
 * `<requestId>:<kind>:<dueAt ISO>:<stage>` (`<orderId>:ORDER_REPORT:…` for a community order):
 * inserting it is what raises the alert, so however many replicas sweep at once, each (request or
 * order, deadline kind, due time, stage) is raised once.
 * No personal data: places, the department and the request or order id only.
 */
export interface SupervisionAlertDoc {
  _id: string;
  /** The request whose limit passed; null for a community order's report (then `orderId` is set). */
  requestId?: string | null;
  /** The community order not reported by its `reportBy` (ORDER_REPORT); null for a request's limits. */
  orderId?: string | null;
  deadline: DeadlineKind;
  stage: AlertStage;
  /** When the limit passed. */
  dueAt: Date;
  /** When this stage became due (the urge: dueAt or the day after; escalations later). */
  stageDueAt: Date;
  raisedAt: Date;
  /** The unit that owes the step (the street office for review and dispatch). */
  departmentId?: string | null;
  communityCode: string;
  streetCode: string;
  districtCode: string;
  /** False until the alert is on the request's timeline and published; a later sweep finishes it. */
  recorded: boolean;
}

const alertSchema = new Schema<SupervisionAlertDoc>(
  {
    _id: String,
    requestId: { type: String, index: true },
    orderId: { type: String, index: true },
    deadline: { type: String, required: true },
    stage: { type: String, required: true },
    dueAt: { type: Date, required: true },
    stageDueAt: { type: Date, required: true },
    raisedAt: { type: Date, required: true },
    departmentId: String,
    communityCode: { type: String, required: true },
    streetCode: { type: String, required: true },
    districtCode: { type: String, required: true },
    recorded: { type: Boolean, required: true },
  },
  { versionKey: false },
);
// Boards list alerts newest first per department, street and district; the sweep finishes unrecorded ones.
alertSchema.index({ departmentId: 1, raisedAt: -1 });
alertSchema.index({ streetCode: 1, raisedAt: -1 });
alertSchema.index({ districtCode: 1, raisedAt: -1 });
alertSchema.index({ raisedAt: -1 });
alertSchema.index({ recorded: 1 });

export function supervisionAlertModel(conn: Connection): Model<SupervisionAlertDoc> {
  return (conn.models.SupervisionAlert as Model<SupervisionAlertDoc>) ?? conn.model<SupervisionAlertDoc>('SupervisionAlert', alertSchema, 'supervision_alerts');
}
