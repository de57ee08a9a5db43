import { Schema, type Connection, type Model, type Types } from 'mongoose';

/**
 * One taken place of a shift: place numbers run from 0 to capacity - 1 and are unique per shift,
 * so a shift can never hold more sign-ups than places, however many insert at once. A sign-up
 * holds at most one place. (FerretDB 1.24 applies concurrent conditional updates non-atomically,
 * so a guarded `free` counter over-books there; unique indexes hold.)
 */
export interface PlaceDoc {
  _id: Types.ObjectId;
  shiftId: Types.ObjectId;
  activityId: Types.ObjectId;
  place: number;
  signUpId: Types.ObjectId;
}

const schema = new Schema<PlaceDoc>(
  {
    shiftId: { type: Schema.Types.ObjectId, required: true },
    activityId: { type: Schema.Types.ObjectId, required: true },
    place: { type: Number, required: true },
    signUpId: { type: Schema.Types.ObjectId, required: true },
  },
  { collection: 'volunteer_places', versionKey: false },
);
schema.index({ shiftId: 1, place: 1 }, { unique: true });
schema.index({ signUpId: 1 }, { unique: true });
schema.index({ activityId: 1 });

export type PlaceModel = Model<PlaceDoc>;

export function placeModel(conn: Connection): PlaceModel {
  return (conn.models.VolunteerPlace as PlaceModel) ?? conn.model<PlaceDoc>('VolunteerPlace', schema);
}
