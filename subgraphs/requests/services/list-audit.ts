import { requireRole } from '../../../shared/platform/auth';
import { badInput } from '../../../shared/platform/errors';
import { readAudit, recordAudit, type AuditEntryDoc } from '../../../shared/subgraph/audit';
import * as validate from '../../../shared/subgraph/validate';
import type { RequestsService } from './deps';


/** What a list change touched, as `listAudit(entity:)` names it. */
export type ListAuditEntity = 'CATEGORY' | 'RESPONSIBILITY_ITEM' | 'WELFARE_POLICY' | 'RESIDENT_CARE' | 'DEPARTMENT' | 'WORKING_CALENDAR';

/** The GraphQL type stored as the entry's `entityType`, as the other subgraphs' trails do. */
const ENTITY_TYPES: Record<ListAuditEntity, string> = {
  CATEGORY: 'Category',
  RESPONSIBILITY_ITEM: 'ResponsibilityItem',
  WELFARE_POLICY: 'WelfarePolicy',
  RESIDENT_CARE: 'Resident',
  DEPARTMENT: 'Department',
  WORKING_CALENDAR: 'WorkingCalendarYear',
};

/**
 * Records a list change in the subgraph's audit trail (the kit's `requests_audit`) after it is
 * stored. A failed insert fails the mutation, so the admin sees it and repeats it rather than
 * leaving an unaudited change unnoticed.
 */
export async function recordListChange(
  ctx: Pick<RequestsService, 'viewer' | 'models' | 'clock'>,
  entry: { entity: ListAuditEntity; entityId: string; action: 'CREATE' | 'UPDATE' | 'PUSH'; before: Record<string, unknown> | null; after: Record<string, unknown>; summary?: string },
): Promise<void> {
  await recordAudit(ctx.models.Audit, ctx.viewer, ctx.clock(), {
    action: entry.action,
    entityType: ENTITY_TYPES[entry.entity],
    entityId: entry.entityId,
    before: entry.before,
    after: entry.after,
    summary: entry.summary,
  });
}

/** Admins read the list changes, newest first, narrowed to one kind of record and/or one record. */
export function readListAudit(ctx: RequestsService, args: { entity?: string | null; entityId?: string | null; limit?: number | null }): Promise<AuditEntryDoc[]> {
  requireRole(ctx.viewer, 'admin');
  let entityType: string | undefined;
  if (args.entity != null) {
    if (!(args.entity in ENTITY_TYPES)) throw badInput('entity', `is not one of ${Object.keys(ENTITY_TYPES).join(', ')}`);
    entityType = ENTITY_TYPES[args.entity as ListAuditEntity];
  }
  const entityId = args.entityId == null ? undefined : validate.code('entityId', args.entityId);
  return readAudit(ctx.models.Audit, ctx.viewer, { entityType, entityId, limit: args.limit }, ctx.clock());
}
