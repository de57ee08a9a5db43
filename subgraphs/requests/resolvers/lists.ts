import { isStaffOrAdmin } from '../../../shared/subgraph/access';
import { auditEntryFields } from '../../../shared/subgraph/audit';
import type { CategoryVersionResolvers, ListAuditEntryResolvers, MutationResolvers, QueryResolvers, ResponsibilityItemVersionResolvers } from '../generated/graphql';
import { readListAudit } from '../services/list-audit';
import { createCategory, createItem, renameDepartment, updateCategory, updateItem } from '../services/responsibility-list';
import { createWelfarePolicy, eligibleCount, setResidentCareFacts, updateWelfarePolicy } from '../services/welfare-policies';

/** Admins run the lists (issue 14): the responsibility list, welfare policies, care facts, the audit. */
export const listsQuery: QueryResolvers = {
  listAudit: (_, args, ctx) => readListAudit(ctx, args),
  welfarePolicyEligibleCount: (_, { id }, ctx) => eligibleCount(ctx, id),
};

export const listsMutation: MutationResolvers = {
  createCategory: (_, { input }, ctx) => createCategory(ctx, input),
  updateCategory: (_, { code, input }, ctx) => updateCategory(ctx, code, input),
  createResponsibilityItem: (_, { input }, ctx) => createItem(ctx, input),
  updateResponsibilityItem: (_, { code, input }, ctx) => updateItem(ctx, code, input),
  createWelfarePolicy: (_, { input }, ctx) => createWelfarePolicy(ctx, input),
  updateWelfarePolicy: (_, { id, input }, ctx) => updateWelfarePolicy(ctx, id, input),
  updateDepartment: (_, { id, name }, ctx) => renameDepartment(ctx, id, name),
  setResidentCareFacts: (_, { id, livesAlone, disability }, ctx) => setResidentCareFacts(ctx, id, livesAlone, disability),
};

/** Who changed the list is an account: shown to staff and admins, as other actors are. */
export const ResponsibilityItemVersion: ResponsibilityItemVersionResolvers = {
  changedBy: (v, _, ctx) => (isStaffOrAdmin(ctx.viewer) ? v.changedBy : null),
};

export const CategoryVersion: CategoryVersionResolvers = {
  changedBy: (v, _, ctx) => (isStaffOrAdmin(ctx.viewer) ? v.changedBy : null),
};

export const ListAuditEntry: ListAuditEntryResolvers = auditEntryFields;
