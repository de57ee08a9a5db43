import { Schema, type Connection, type Model, type Types } from 'mongoose';
import { Double } from './double';

/**
 * An organiser's request to credit a sign-up other hours than its checked-in time allows, with
 * the reason. It changes nothing until a second organiser (another account) approves it; the
 * approval writes a CORRECTION line into the hours ledger, which is what counts.
 */
export interface HoursCorrectionDoc {
  _id: Types.ObjectId;
  signUpId: Types.ObjectId;
  residentId: string;
  activityId: Types.ObjectId;
  /** The sign-up's credited total the correction asks for. */
  hours: number;
  reason: string;
  requestedBy: string;
  requestedAt: Date;
  status: 'PENDING' | 'APPROVED';
  approvedBy: string | null;
  approvedAt: Date | null;
}

const schema = new Schema<HoursCorrectionDoc>(
  {
    signUpId: { type: Schema.Types.ObjectId, required: true },
    residentId: { type: String, required: true },
    activityId: { type: Schema.Types.ObjectId, required: true },
    hours: { type: Double, required: true },
    reason: { type: String, required: true },
    requestedBy: { type: String, required: true },
    requestedAt: { type: Date, required: true },
    status: { type: String, required: true, enum: ['PENDING', 'APPROVED'] },
    approvedBy: { type: String, default: null },
    approvedAt: { type: Date, default: null },
  },
  { collection: 'volunteer_hours_corrections', versionKey: false },
);
schema.index({ signUpId: 1 });

export type HoursCorrectionModel = Model<HoursCorrectionDoc>;

export function hoursCorrectionModel(conn: Connection): HoursCorrectionModel {
  return (conn.models.VolunteerHoursCorrection as HoursCorrectionModel) ?? conn.model<HoursCorrectionDoc>('VolunteerHoursCorrection', schema);
}
