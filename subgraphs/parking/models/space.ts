import { Schema, type Connection, type Model } from 'mongoose';
import { SLOT_INDEXES } from '../../../shared/subgraph';

/**
 * One taken space of one occurrence of one sharing window: a slot of the kit's `takeSlot`
 * (scope = the occurrence key, slot 0..spaces-1, holder = the booking's space id). The unique
 * `(scope, slot)` index is the guard: however many requests race, an occurrence never has more
 * holders than spaces. Giving a space back deletes the document, which is harmless to repeat.
 *
 * Why not a counter decremented with `findOneAndUpdate({ free: { $gt: 0 } })`: FerretDB 1.24 on
 * SQLite does not apply conditional updates atomically across connections (measured: 10 of 60
 * concurrent decrements "succeeded" on a counter of 5), while its unique indexes hold exactly.
 */
export interface SpaceRecord {
  /** `<lotId>|<windowId>|<occurrence start ISO>`: the occurrence the space is counted in. */
  scope: string;
  slot: number;
  /** The space id the booking stores (`spaceId`), to give it back with. */
  holder: string;
  lotId: string;
  /**
   * The lot's community: a lot's free spaces are counted from its community's taken spaces, one
   * equality query per community (pushed down on FerretDB), however many lots a page shows.
   * Absent on spaces taken before it was added, until the start-up backfill (`backfillSpaceCommunities`).
   */
  communityCode?: string;
  windowId: string;
  startsAt: Date;
  endsAt: Date;
  createdAt: Date;
}

const spaceSchema = new Schema<SpaceRecord>(
  {
    scope: { type: String, required: true },
    slot: { type: Number, required: true },
    holder: { type: String, required: true },
    lotId: { type: String, required: true },
    communityCode: { type: String },
    windowId: { type: String, required: true },
    startsAt: { type: Date, required: true },
    endsAt: { type: Date, required: true },
    createdAt: { type: Date, required: true },
  },
  { collection: 'parking_spaces', versionKey: false },
);
for (const [fields, options] of SLOT_INDEXES) spaceSchema.index(fields, options);
spaceSchema.index({ holder: 1 });
spaceSchema.index({ lotId: 1, windowId: 1 });
spaceSchema.index({ communityCode: 1 });
spaceSchema.index({ endsAt: 1 });

export type SpaceModel = Model<SpaceRecord>;

export function spaceModel(conn: Connection): SpaceModel {
  return (conn.models.ParkingSpace as SpaceModel | undefined) ?? conn.model<SpaceRecord>('ParkingSpace', spaceSchema);
}
