import { Schema, type Connection, type Model, type Types } from 'mongoose';

/** One service written in a U-station's ledger. */
export interface LedgerEntryDoc {
  _id: Types.ObjectId;
  stationId: string;
  recordedAt: Date;
  description: string;
  peopleServed: number;
  /** The on-duty volunteer who wrote it; null when staff did. */
  volunteerId: string | null;
  /** Who wrote it (resident id or staff subject), scoping idempotency keys. */
  recordedBy: string;
  /** The client's key, or `auto:<id>` so the unique index never sees two missing keys as equal. */
  idempotencyKey: string;
}

const schema = new Schema<LedgerEntryDoc>(
  {
    stationId: { type: String, required: true },
    recordedAt: { type: Date, required: true },
    description: { type: String, required: true },
    peopleServed: { type: Number, required: true },
    volunteerId: { type: String, default: null },
    recordedBy: { type: String, required: true },
    idempotencyKey: { type: String, required: true },
  },
  { collection: 'volunteer_ledger', versionKey: false },
);
schema.index({ stationId: 1, recordedAt: -1 });
// FerretDB has no partial indexes, so every entry carries a key (see idempotencyKey).
schema.index({ recordedBy: 1, idempotencyKey: 1 }, { unique: true });

export type LedgerEntryModel = Model<LedgerEntryDoc>;

export function ledgerEntryModel(conn: Connection): LedgerEntryModel {
  return (conn.models.VolunteerLedgerEntry as LedgerEntryModel) ?? conn.model<LedgerEntryDoc>('VolunteerLedgerEntry', schema);
}
