import { Schema, type Connection, type Model, type Types } from 'mongoose';
import { Double } from './double';
import type { VolunteerSignUpStatus } from '../generated/graphql';

export interface SignUpDoc {
  _id: Types.ObjectId;
  shiftId: Types.ObjectId;
  activityId: Types.ObjectId;
  residentId: string;
  // Copied from the activity and shift so sums, access checks and no-show sweeps need no join.
  communityCode: string;
  organiserId: string;
  teamId: string | null;
  shiftStartsAt: Date;
  shiftEndsAt: Date;
  status: VolunteerSignUpStatus;
  /** Waitlist ticket, an ObjectId made on joining the waitlist: the waitlist's order. Null otherwise. */
  waitlistTicket: Types.ObjectId | null;
  /** Number of status changes so far; the next one claims `version + 1` (see TransitionDoc). */
  version: number;
  /** The client's key, or `auto:<id>` (FerretDB has no partial unique indexes). */
  idempotencyKey: string;
  signedUpAt: Date;
  cancelledAt?: Date | null;
  checkedInAt?: Date | null;
  checkedOutAt?: Date | null;
  hours?: number | null;
  verifiedHours?: number | null;
  verifiedAt?: Date | null;
  /**
   * `YYYY-MM` (Shenzhen) of `verifiedAt`: a community's hours this month are then an equality
   * FerretDB pushes down, reading that month's sign-ups only, not every one ever verified.
   */
  verifiedMonth?: string | null;
  verifiedBy?: string | null;
  noShowAt?: Date | null;
  promotedAt?: Date | null;
}

export const SIGN_UP_STATUSES: readonly VolunteerSignUpStatus[] = [
  'CONFIRMED', 'WAITLISTED', 'CANCELLED', 'CHECKED_IN', 'CHECKED_OUT', 'VERIFIED', 'NO_SHOW',
];

const schema = new Schema<SignUpDoc>(
  {
    shiftId: { type: Schema.Types.ObjectId, required: true },
    activityId: { type: Schema.Types.ObjectId, required: true },
    residentId: { type: String, required: true },
    communityCode: { type: String, required: true },
    organiserId: { type: String, required: true },
    teamId: { type: String, default: null },
    shiftStartsAt: { type: Date, required: true },
    shiftEndsAt: { type: Date, required: true },
    status: { type: String, required: true, enum: SIGN_UP_STATUSES },
    waitlistTicket: { type: Schema.Types.ObjectId, default: null },
    version: { type: Number, required: true, default: 0 },
    idempotencyKey: { type: String, required: true },
    signedUpAt: { type: Date, required: true },
    cancelledAt: Date,
    checkedInAt: Date,
    checkedOutAt: Date,
    hours: Double,
    verifiedHours: Double,
    verifiedAt: Date,
    verifiedMonth: String,
    verifiedBy: String,
    noShowAt: Date,
    promotedAt: Date,
  },
  { collection: 'volunteer_sign_ups', versionKey: false },
);
// One sign-up per resident per shift.
schema.index({ shiftId: 1, residentId: 1 }, { unique: true });
schema.index({ residentId: 1, idempotencyKey: 1 }, { unique: true });
schema.index({ activityId: 1, status: 1 });
schema.index({ shiftId: 1, status: 1, waitlistTicket: 1 });
schema.index({ status: 1, shiftEndsAt: 1 });
schema.index({ communityCode: 1, verifiedMonth: 1, status: 1 });
schema.index({ teamId: 1, status: 1 });

export type SignUpModel = Model<SignUpDoc>;

export function signUpModel(conn: Connection): SignUpModel {
  return (conn.models.VolunteerSignUp as SignUpModel) ?? conn.model<SignUpDoc>('VolunteerSignUp', schema);
}
