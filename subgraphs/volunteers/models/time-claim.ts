import { Schema, type Connection, type Model, type Types } from 'mongoose';

/**
 * One quarter hour of a volunteer's time held by one of their sign-ups. A sign-up claims every
 * quarter hour its shift touches (unique `{ residentId, slot }`), so a volunteer cannot hold two
 * overlapping shifts however many sign-ups race; cancelling gives the quarters back.
 */
export interface TimeClaimDoc {
  residentId: string;
  /** Start of the quarter hour. */
  slot: Date;
  signUpId: Types.ObjectId;
  shiftId: Types.ObjectId;
  /** The sign-up's idempotency key, so a retry that meets its own first attempt knows it. */
  idempotencyKey: string;
}

const schema = new Schema<TimeClaimDoc>(
  {
    residentId: { type: String, required: true },
    slot: { type: Date, required: true },
    signUpId: { type: Schema.Types.ObjectId, required: true },
    shiftId: { type: Schema.Types.ObjectId, required: true },
    idempotencyKey: { type: String, required: true },
  },
  { collection: 'volunteer_time_claims', versionKey: false },
);
schema.index({ residentId: 1, slot: 1 }, { unique: true });
schema.index({ signUpId: 1 });

export type TimeClaimModel = Model<TimeClaimDoc>;

export function timeClaimModel(conn: Connection): TimeClaimModel {
  return (conn.models.VolunteerTimeClaim as TimeClaimModel) ?? conn.model<TimeClaimDoc>('VolunteerTimeClaim', schema);
}
