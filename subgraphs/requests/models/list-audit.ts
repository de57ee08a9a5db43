import { Schema, Types, type Connection, type Model } from 'mongoose';

export type ListAuditEntity = 'CATEGORY' | 'RESPONSIBILITY_ITEM' | 'WELFARE_POLICY' | 'RESIDENT_CARE' | 'DEPARTMENT';

/** One change to a list: who, when, what, and the record before and after. Only ever inserted. */
export interface ListAuditDoc {
  _id: Types.ObjectId;
  at: Date;
  /** `YYYY-MM` (Shenzhen) of `at`: the unfiltered list is read month by month with a pushed-down equality. */
  month: string;
  actor: string;
  role: string;
  entity: ListAuditEntity;
  entityId: string;
  action: 'CREATE' | 'UPDATE' | 'PUSH';
  summary: string;
  /** JSON of the record before (null on CREATE) and after. */
  before?: string | null;
  after?: string | null;
}

const listAuditSchema = new Schema<ListAuditDoc>(
  {
    at: { type: Date, required: true },
    month: { type: String, required: true },
    actor: { type: String, required: true },
    role: { type: String, required: true },
    entity: { type: String, required: true },
    entityId: { type: String, required: true },
    action: { type: String, required: true },
    summary: { type: String, required: true },
    before: String,
    after: String,
  },
  { versionKey: false },
);
// Read per record and per kind of record (equalities), newest first.
listAuditSchema.index({ entity: 1, entityId: 1, at: -1 });
listAuditSchema.index({ month: 1, at: -1 });

export function listAuditModel(conn: Connection): Model<ListAuditDoc> {
  return (conn.models.ListAudit as Model<ListAuditDoc>) ?? conn.model<ListAuditDoc>('ListAudit', listAuditSchema, 'list_audit');
}
