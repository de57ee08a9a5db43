import { Schema, type Connection, type Model, type Types } from 'mongoose';
import type { Viewer } from '../platform/auth';
import { forbidden, unauthenticated } from '../platform/errors';
import { intInRange } from './validate';

/**
 * The audit trail of admin changes to a subgraph's lists (lots' windows, hostels, beds, stations,
 * teams…): who changed what, when, and how. One insert-only collection per subgraph
 * (`<subgraph>_audit`); the model refuses updates and deletes, so an entry, once written, stays as
 * it was. Read by admins only.
 */
export interface AuditEntryDoc {
  _id: Types.ObjectId;
  /** When the change was stored (the subgraph's clock). */
  at: Date;
  /** The account that made it (the token's subject), or `system` for seeds and sweeps. */
  actor: string;
  actorRole: string;
  /** What was done, as a verb in SCREAMING_SNAKE (`SET_WINDOWS`, `CLOSE_BED`). */
  action: string;
  /** The changed record's GraphQL type name (`ParkingLot`, `HostelBed`). */
  entityType: string;
  entityId: string;
  /** The fields before and after (only those that changed), stored as plain JSON. */
  before?: unknown;
  after?: unknown;
}

export type AuditModel = Model<AuditEntryDoc>;

const REFUSE = () => {
  throw new Error('Audit entries are insert-only');
};

/** The subgraph's audit model (`collection`, e.g. `parking_audit`), bound once per connection. */
export function auditModel(conn: Connection, collection: string): AuditModel {
  const name = `AuditEntry:${collection}`;
  if (conn.models[name]) return conn.models[name] as AuditModel;
  const schema = new Schema<AuditEntryDoc>(
    {
      at: { type: Date, required: true },
      actor: { type: String, required: true },
      actorRole: { type: String, required: true },
      action: { type: String, required: true },
      entityType: { type: String, required: true },
      entityId: { type: String, required: true },
      before: Schema.Types.Mixed,
      after: Schema.Types.Mixed,
    },
    { collection, versionKey: false },
  );
  // The two reads: one record's history, and the newest changes of every record.
  schema.index({ entityType: 1, entityId: 1, at: -1 });
  schema.index({ at: -1 });
  for (const op of ['updateOne', 'updateMany', 'findOneAndUpdate', 'replaceOne', 'findOneAndReplace', 'deleteOne', 'deleteMany', 'findOneAndDelete'] as const) {
    schema.pre(op, REFUSE);
  }
  return conn.model<AuditEntryDoc>(name, schema);
}

export interface AuditChange {
  action: string;
  entityType: string;
  entityId: string;
  before?: unknown;
  after?: unknown;
}

/**
 * Records one change made by `viewer` at `at`. Call it after the change is stored: an entry
 * describes what happened, never what was only attempted. Values go through JSON, so Dates become
 * ISO strings and ObjectIds hex.
 */
export async function recordAudit(model: AuditModel, viewer: Viewer, at: Date, change: AuditChange): Promise<void> {
  const plain = (v: unknown) => (v === undefined ? undefined : JSON.parse(JSON.stringify(v)));
  await model.create({
    at,
    actor: viewer.subject ?? viewer.residentId ?? 'system',
    actorRole: viewer.role,
    action: change.action,
    entityType: change.entityType,
    entityId: change.entityId,
    before: plain(change.before),
    after: plain(change.after),
  });
}

/** The fields of `before` and `after` whose JSON differs, as two objects holding only those. */
export function changedFields(before: Record<string, unknown>, after: Record<string, unknown>): { before: Record<string, unknown>; after: Record<string, unknown> } {
  const b: Record<string, unknown> = {};
  const a: Record<string, unknown> = {};
  for (const key of Object.keys(after)) {
    if (JSON.stringify(before[key]) !== JSON.stringify(after[key])) {
      b[key] = before[key];
      a[key] = after[key];
    }
  }
  return { before: b, after: a };
}

/**
 * Admins read the trail: newest first, optionally of one record, at most `limit` (1–200, default
 * 50). Anyone else is refused.
 */
export async function readAudit(
  model: AuditModel,
  viewer: Viewer,
  args: { entityType?: string | null; entityId?: string | null; limit?: number | null },
): Promise<AuditEntryDoc[]> {
  if (viewer.role === 'anonymous') throw unauthenticated();
  if (viewer.role !== 'admin') throw forbidden('Only an admin can read the audit trail');
  const limit = intInRange('limit', args.limit ?? 50, 1, 200);
  const filter: Record<string, unknown> = {};
  if (args.entityType) filter.entityType = args.entityType;
  if (args.entityId) filter.entityId = args.entityId;
  return model.find(filter).sort({ at: -1, _id: -1 }).limit(limit).lean<AuditEntryDoc[]>();
}

/** The GraphQL `ListAuditEntry` fields of a stored entry (`before`/`after` as JSON text). */
export const auditEntryFields = {
  id: (e: AuditEntryDoc) => String(e._id),
  before: (e: AuditEntryDoc) => (e.before === undefined || e.before === null ? null : JSON.stringify(e.before)),
  after: (e: AuditEntryDoc) => (e.after === undefined || e.after === null ? null : JSON.stringify(e.after)),
};
