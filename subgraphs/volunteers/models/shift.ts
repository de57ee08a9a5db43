import { Schema, type Connection, type Model, type Types } from 'mongoose';

export interface ShiftDoc {
  _id: Types.ObjectId;
  activityId: Types.ObjectId;
  /** Position among the activity's shifts (natural key with activityId). */
  index: number;
  startsAt: Date;
  endsAt: Date;
  /** Places; the taken ones are documents in `volunteer_places` (see PlaceDoc). */
  capacity: number;
}

const schema = new Schema<ShiftDoc>(
  {
    activityId: { type: Schema.Types.ObjectId, required: true },
    index: { type: Number, required: true },
    startsAt: { type: Date, required: true },
    endsAt: { type: Date, required: true },
    capacity: { type: Number, required: true },
  },
  { collection: 'volunteer_shifts', versionKey: false },
);
schema.index({ activityId: 1, index: 1 }, { unique: true });

export type ShiftModel = Model<ShiftDoc>;

export function shiftModel(conn: Connection): ShiftModel {
  return (conn.models.VolunteerShift as ShiftModel) ?? conn.model<ShiftDoc>('VolunteerShift', schema);
}
