import { Schema, Types, type Connection, type Model } from 'mongoose';

/**
 * The claim on moving a booking out of a status: `_id` is `<reservationId>@<from status>`, so of
 * two racing actions (entry and cancel, two no-show runs) exactly one inserts it and goes on.
 * A unique insert is the one write FerretDB 1.24 applies atomically under concurrency.
 */
export interface TransitionRecord {
  _id: string;
  reservationId: Types.ObjectId;
  action: string;
  at: Date;
}

const transitionSchema = new Schema<TransitionRecord>(
  {
    _id: { type: String, required: true },
    reservationId: { type: Schema.Types.ObjectId, required: true },
    action: { type: String, required: true },
    at: { type: Date, required: true },
  },
  { collection: 'parking_transitions', versionKey: false },
);
transitionSchema.index({ reservationId: 1 });

export type TransitionModel = Model<TransitionRecord>;

export function transitionModel(conn: Connection): TransitionModel {
  return (conn.models.ParkingTransition as TransitionModel | undefined) ?? conn.model<TransitionRecord>('ParkingTransition', transitionSchema);
}
