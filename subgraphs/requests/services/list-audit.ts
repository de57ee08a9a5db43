import { requireRole } from '../../../shared/platform/auth';
import { badInput } from '../../../shared/platform/errors';
import type { ServiceContext } from '../../../shared/subgraph/service';
import * as validate from '../../../shared/subgraph/validate';
import { addDays, localMonthString, startOfLocalMonth } from '../../../shared/subgraph/time';
import type { ListAuditDoc, ListAuditEntity, Models } from '../models';

type Ctx = ServiceContext<Models>;

/** `field: before → after` for every field that changed (arrays joined), for the audit's summary. */
export function changeSummary(before: Record<string, unknown> | null, after: Record<string, unknown>): string {
  const show = (v: unknown) => (v == null ? '—' : Array.isArray(v) ? v.join('、') || '—' : String(v));
  if (!before) return `新建 ${Object.entries(after).map(([k, v]) => `${k}: ${show(v)}`).join('; ')}`;
  const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
  const changed = [...keys].filter((k) => show(before[k]) !== show(after[k])).map((k) => `${k}: ${show(before[k])} → ${show(after[k])}`);
  return changed.length ? changed.join('; ') : '无变化';
}

/**
 * Records a change after it is stored. Entries are only ever inserted; a failed insert fails the
 * mutation, so the admin sees it and repeats it rather than leaving an unaudited change unnoticed.
 */
export async function recordListChange(
  ctx: Pick<Ctx, 'viewer' | 'models' | 'clock'>,
  entry: { entity: ListAuditEntity; entityId: string; action: ListAuditDoc['action']; before: Record<string, unknown> | null; after: Record<string, unknown>; summary?: string },
): Promise<void> {
  await ctx.models.ListAudit.create({
    at: ctx.clock(),
    month: localMonthString(ctx.clock()),
    actor: ctx.viewer.subject ?? ctx.viewer.role,
    role: ctx.viewer.role,
    entity: entry.entity,
    entityId: entry.entityId,
    action: entry.action,
    summary: entry.summary ?? changeSummary(entry.before, entry.after),
    before: entry.before ? JSON.stringify(entry.before) : null,
    after: JSON.stringify(entry.after),
  });
}

const ENTITIES: readonly ListAuditEntity[] = ['CATEGORY', 'RESPONSIBILITY_ITEM', 'WELFARE_POLICY', 'RESIDENT_CARE', 'DEPARTMENT'];

/** Admins read the audit, newest first, narrowed by equalities on the indexed fields. */
export async function readListAudit(ctx: Ctx, args: { entity?: string | null; entityId?: string | null; limit?: number | null }): Promise<ListAuditDoc[]> {
  requireRole(ctx.viewer, 'admin');
  const limit = validate.intInRange('limit', args.limit ?? 50, 1, 500);
  const filter: Record<string, string> = {};
  if (args.entity != null) {
    if (!ENTITIES.includes(args.entity as ListAuditEntity)) throw badInput('entity', `is not one of ${ENTITIES.join(', ')}`);
    filter.entity = args.entity;
  }
  if (args.entityId != null) filter.entityId = validate.code('entityId', args.entityId);
  const newestFirst = (rows: ListAuditDoc[]) => rows.sort((a, b) => b.at.getTime() - a.at.getTime() || String(b._id).localeCompare(String(a._id)));
  if (Object.keys(filter).length > 0) return newestFirst(await ctx.models.ListAudit.find(filter).lean<ListAuditDoc[]>().exec()).slice(0, limit);
  // Unfiltered: FerretDB pushes no sort down, so a sorted read would scan the whole audit; read
  // the newest months one equality at a time instead, for at most two years back.
  const out: ListAuditDoc[] = [];
  let month = startOfLocalMonth(ctx.clock());
  for (let i = 0; i < AUDIT_MONTHS && out.length < limit; i += 1) {
    out.push(...newestFirst(await ctx.models.ListAudit.find({ month: localMonthString(month) }).lean<ListAuditDoc[]>().exec()));
    month = startOfLocalMonth(addDays(month, -1));
  }
  return out.slice(0, limit);
}

const AUDIT_MONTHS = 24;
