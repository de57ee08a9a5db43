import { Schema, type Connection, type Model, type Types } from 'mongoose';
import type { Viewer } from '../platform/auth';
import { forbidden, unauthenticated } from '../platform/errors';
import { addDays, localMonthString, startOfLocalMonth } from './time';
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
  /**
   * `YYYY-MM` (Shenzhen) of `at`. FerretDB pushes no sort down, so the unfiltered trail is read one
   * month at a time with a pushed-down equality instead of sorting the whole collection.
   */
  month: string;
  /** The account that made it (the token's subject), or `system` for seeds and sweeps. */
  actor: string;
  actorRole: string;
  /** What was done, as a verb in SCREAMING_SNAKE (`SET_WINDOWS`, `CLOSE_BED`). */
  action: string;
  /** The changed record's GraphQL type name (`ParkingLot`, `HostelBed`). */
  entityType: string;
  entityId: string;
  /** What changed, for people (`handlingDays: 5 → 3`): given by the caller or `changeSummary`'s. */
  summary: string;
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
      month: { type: String, required: true },
      actor: { type: String, required: true },
      actorRole: { type: String, required: true },
      action: { type: String, required: true },
      entityType: { type: String, required: true },
      entityId: { type: String, required: true },
      summary: { type: String, required: true },
      before: Schema.Types.Mixed,
      after: Schema.Types.Mixed,
    },
    { collection, versionKey: false },
  );
  // The reads: one record's (or one type's) history, and the newest changes month by month.
  schema.index({ entityType: 1, entityId: 1, at: -1 });
  schema.index({ entityId: 1, at: -1 });
  schema.index({ month: 1, at: -1 });
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
  /** What changed, for people; `changeSummary(before, after)` when not given. */
  summary?: string;
}

/**
 * `field: before → after` for every field that changed (arrays joined with 、, objects as JSON, missing as —);
 * `新建 field: value; …` for a creation (no `before`), `无变化` when nothing changed.
 */
export function changeSummary(before: Record<string, unknown> | null | undefined, after: Record<string, unknown> | null | undefined): string {
  const one = (v: unknown): string => (v == null ? '—' : v instanceof Date ? v.toISOString() : typeof v === 'object' ? JSON.stringify(v) : String(v));
  const show = (v: unknown) => (Array.isArray(v) ? v.map(one).join('、') || '—' : one(v));
  const a = after ?? {};
  if (!before) return `新建 ${Object.entries(a).map(([k, v]) => `${k}: ${show(v)}`).join('; ')}`;
  const keys = new Set([...Object.keys(before), ...Object.keys(a)]);
  const changed = [...keys].filter((k) => show(before[k]) !== show(a[k])).map((k) => `${k}: ${show(before[k])} → ${show(a[k])}`);
  return changed.length ? changed.join('; ') : '无变化';
}

const asRecord = (v: unknown): Record<string, unknown> | null => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : null);

/**
 * Records one change made by `viewer` at `at`. Call it after the change is stored: an entry
 * describes what happened, never what was only attempted. Values go through JSON, so Dates become
 * ISO strings and ObjectIds hex.
 */
export async function recordAudit(model: AuditModel, viewer: Viewer, at: Date, change: AuditChange): Promise<void> {
  const plain = (v: unknown) => (v === undefined || v === null ? undefined : JSON.parse(JSON.stringify(v)));
  const before = plain(change.before);
  const after = plain(change.after);
  await model.create({
    at,
    month: localMonthString(at),
    actor: viewer.subject ?? viewer.residentId ?? 'system',
    actorRole: viewer.role,
    action: change.action,
    entityType: change.entityType,
    entityId: change.entityId,
    summary: change.summary ?? changeSummary(asRecord(before), asRecord(after)),
    before,
    after,
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

/** How far back the unfiltered trail is read, in months. */
export const AUDIT_MONTHS = 24;

/**
 * Admins read the trail: newest first (ties in insertion order), optionally of one type of record
 * and/or one record, at most `limit` (1–200, default 50). Anyone else is refused. A filtered read
 * is one pushed-down equality; the unfiltered one reads the months back from `now`'s, one
 * equality each, for at most `AUDIT_MONTHS`.
 */
export async function readAudit(
  model: AuditModel,
  viewer: Viewer,
  args: { entityType?: string | null; entityId?: string | null; limit?: number | null },
  now: Date,
): Promise<AuditEntryDoc[]> {
  if (viewer.role === 'anonymous') throw unauthenticated();
  if (viewer.role !== 'admin') throw forbidden('Only an admin can read the audit trail');
  const limit = intInRange('limit', args.limit ?? 50, 1, 200);
  const filter: Record<string, unknown> = {};
  if (args.entityType) filter.entityType = args.entityType;
  if (args.entityId) filter.entityId = args.entityId;
  const newest = (f: Record<string, unknown>, n: number) => model.find(f).sort({ at: -1, _id: -1 }).limit(n).lean<AuditEntryDoc[]>().exec();
  if (Object.keys(filter).length > 0) return newest(filter, limit);
  const out: AuditEntryDoc[] = [];
  let month = startOfLocalMonth(now);
  for (let i = 0; i < AUDIT_MONTHS && out.length < limit; i += 1) {
    out.push(...(await newest({ month: localMonthString(month) }, limit - out.length)));
    month = startOfLocalMonth(addDays(month, -1));
  }
  return out;
}

/** The GraphQL `ListAuditEntry` fields of a stored entry (`before`/`after` as JSON text). */
export const auditEntryFields = {
  id: (e: AuditEntryDoc) => String(e._id),
  summary: (e: AuditEntryDoc) => e.summary ?? changeSummary(asRecord(e.before), asRecord(e.after)),
  before: (e: AuditEntryDoc) => (e.before === undefined || e.before === null ? null : JSON.stringify(e.before)),
  after: (e: AuditEntryDoc) => (e.after === undefined || e.after === null ? null : JSON.stringify(e.after)),
};
