import { Schema, type Connection, type Model, type Types } from 'mongoose';

/** A volunteer's membership of a team. */
export interface MembershipDoc {
  _id: Types.ObjectId;
  teamId: string;
  residentId: string;
  joinedAt: Date;
}

const schema = new Schema<MembershipDoc>(
  {
    teamId: { type: String, required: true },
    residentId: { type: String, required: true },
    joinedAt: { type: Date, required: true },
  },
  { collection: 'volunteer_memberships', versionKey: false },
);
// Joining twice never makes a second membership.
schema.index({ teamId: 1, residentId: 1 }, { unique: true });
schema.index({ residentId: 1 });

export type MembershipModel = Model<MembershipDoc>;

export function membershipModel(conn: Connection): MembershipModel {
  return (conn.models.VolunteerMembership as MembershipModel) ?? conn.model<MembershipDoc>('VolunteerMembership', schema);
}
