import { Schema, type Connection, type Model } from 'mongoose';
import { SLOT_INDEXES } from '../../../shared/subgraph';

/**
 * One unit of a per-resident limit held by one thing (kit `takeSlot`): `scope` names the limit and
 * its resident (`vehicles:<residentId>`), `slot` is 0..limit-1, `holder` what holds it (a plate).
 * The unique `(scope, slot)` index is what keeps the limit when many requests race; a count
 * followed by an insert does not (twenty concurrent registrations made six vehicles of three).
 */
export interface LimitSlotRecord {
  scope: string;
  slot: number;
  holder: string;
  createdAt: Date;
}

const limitSlotSchema = new Schema<LimitSlotRecord>(
  {
    scope: { type: String, required: true },
    slot: { type: Number, required: true },
    holder: { type: String, required: true },
    createdAt: { type: Date, required: true },
  },
  { collection: 'parking_limit_slots', versionKey: false },
);
for (const [fields, options] of SLOT_INDEXES) limitSlotSchema.index(fields, options);

export type LimitSlotModel = Model<LimitSlotRecord>;

export function limitSlotModel(conn: Connection): LimitSlotModel {
  return (conn.models.ParkingLimitSlot as LimitSlotModel | undefined) ?? conn.model<LimitSlotRecord>('ParkingLimitSlot', limitSlotSchema);
}
