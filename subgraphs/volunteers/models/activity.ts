import { Schema, type Connection, type Model, type Types } from 'mongoose';

export interface ActivityDoc {
  _id: Types.ObjectId;
  title: string;
  description: string;
  communityCode: string;
  teamId: string | null;
  stationId: string | null;
  organiserId: string;
  /** First shift's start and last shift's end, kept for range queries. */
  startsAt: Date;
  endsAt: Date;
  createdBy: string;
  /** The client's key, or `auto:<id>` (FerretDB has no partial unique indexes). */
  idempotencyKey: string;
}

const schema = new Schema<ActivityDoc>(
  {
    title: { type: String, required: true },
    description: { type: String, required: true },
    communityCode: { type: String, required: true },
    teamId: { type: String, default: null },
    stationId: { type: String, default: null },
    organiserId: { type: String, required: true },
    startsAt: { type: Date, required: true },
    endsAt: { type: Date, required: true },
    createdBy: { type: String, required: true },
    idempotencyKey: { type: String, required: true },
  },
  { collection: 'volunteer_activities', versionKey: false },
);
schema.index({ communityCode: 1, endsAt: 1 });
schema.index({ teamId: 1, endsAt: 1 });
schema.index({ organiserId: 1, endsAt: 1 });
// A station with activities not yet ended is not closed (services/lists-admin.ts).
schema.index({ stationId: 1, endsAt: 1 });
schema.index({ startsAt: 1 });
schema.index({ createdBy: 1, idempotencyKey: 1 }, { unique: true });

export type ActivityModel = Model<ActivityDoc>;

export function activityModel(conn: Connection): ActivityModel {
  return (conn.models.VolunteerActivity as ActivityModel) ?? conn.model<ActivityDoc>('VolunteerActivity', schema);
}
