import { Schema, type Connection, type Model, type Types } from 'mongoose';
import type { VolunteerSignUpStatus } from '../generated/graphql';

/**
 * The sign-up's history, one document per status change. `{ signUpId, version }` is unique, so of
 * two callers moving a sign-up on from the same version exactly one wins: the claim that makes
 * every transition (and so every hour credited) happen once, without relying on conditional
 * updates being atomic.
 */
export interface TransitionDoc {
  _id: Types.ObjectId;
  signUpId: Types.ObjectId;
  version: number;
  from: VolunteerSignUpStatus;
  to: VolunteerSignUpStatus;
  at: Date;
  by: string;
}

const schema = new Schema<TransitionDoc>(
  {
    signUpId: { type: Schema.Types.ObjectId, required: true },
    version: { type: Number, required: true },
    from: { type: String, required: true },
    to: { type: String, required: true },
    at: { type: Date, required: true },
    by: { type: String, required: true },
  },
  { collection: 'volunteer_sign_up_transitions', versionKey: false },
);
schema.index({ signUpId: 1, version: 1 }, { unique: true });

export type TransitionModel = Model<TransitionDoc>;

export function transitionModel(conn: Connection): TransitionModel {
  return (conn.models.VolunteerSignUpTransition as TransitionModel) ?? conn.model<TransitionDoc>('VolunteerSignUpTransition', schema);
}
