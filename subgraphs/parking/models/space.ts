import { Schema, type Connection, type Model } from 'mongoose';

/**
 * One taken space of one occurrence of one sharing window: slot n of the occurrence's released
 * spaces. Its `_id` (`<occurrence key>#<n>`) is the guard: the database refuses a second document
 * with the same id however many requests race, so an occurrence never has more holders than
 * spaces. Giving a space back deletes the document, which is harmless to repeat.
 *
 * Why not a counter decremented with `findOneAndUpdate({ free: { $gt: 0 } })`: FerretDB 1.24 on
 * SQLite does not apply conditional updates atomically across connections (measured: 10 of 60
 * concurrent decrements "succeeded" on a counter of 5), while its unique indexes hold exactly.
 */
export interface SpaceRecord {
  _id: string;
  /** `<lotId>|<windowId>|<occurrence start ISO>`. */
  occurrenceKey: string;
  lotId: string;
  windowId: string;
  slot: number;
  startsAt: Date;
  endsAt: Date;
  createdAt: Date;
}

const spaceSchema = new Schema<SpaceRecord>(
  {
    _id: { type: String, required: true },
    occurrenceKey: { type: String, required: true },
    lotId: { type: String, required: true },
    windowId: { type: String, required: true },
    slot: { type: Number, required: true },
    startsAt: { type: Date, required: true },
    endsAt: { type: Date, required: true },
    createdAt: { type: Date, required: true },
  },
  { collection: 'parking_spaces', versionKey: false },
);
spaceSchema.index({ occurrenceKey: 1, slot: 1 }, { unique: true });
spaceSchema.index({ lotId: 1, windowId: 1 });
spaceSchema.index({ endsAt: 1 });

export type SpaceModel = Model<SpaceRecord>;

export function spaceModel(conn: Connection): SpaceModel {
  return (conn.models.ParkingSpace as SpaceModel | undefined) ?? conn.model<SpaceRecord>('ParkingSpace', spaceSchema);
}
