import { isStaffOrAdmin } from '../../../shared/subgraph/access';
import { auditEntryFields } from '../../../shared/subgraph/audit';
import type { CategoryVersionResolvers, ListAuditEntryResolvers, MutationResolvers, QueryResolvers, ResponsibilityItemVersionResolvers } from '../generated/graphql';
import { readListAudit } from '../services/list-audit';
import { createCategory, createItem, renameDepartment, updateCategory, updateItem } from '../services/responsibility-list';
import { createWelfarePolicy, eligibleCount, setResidentCareFacts, updateWelfarePolicy } from '../services/welfare-policies';

/** Admins run the lists (issue 14): the responsibility list, welfare policies, care facts, the audit. */
export const listsQuery: QueryResolvers = {
  listAudit: (_, args, ctx) => readListAudit(ctx, args),
  welfarePolicyEligibleCount: (_, args, ctx) => eligibleCount(ctx, args),
};

export const listsMutation: MutationResolvers = {
  createCategory: (_, { input }, ctx) => createCategory(ctx, input),
  updateCategory: (_, args, ctx) => updateCategory(ctx, args),
  createResponsibilityItem: (_, { input }, ctx) => createItem(ctx, input),
  updateResponsibilityItem: (_, args, ctx) => updateItem(ctx, args),
  createWelfarePolicy: (_, { input }, ctx) => createWelfarePolicy(ctx, input),
  updateWelfarePolicy: (_, args, ctx) => updateWelfarePolicy(ctx, args),
  updateDepartment: (_, args, ctx) => renameDepartment(ctx, args),
  setResidentCareFacts: (_, args, ctx) => setResidentCareFacts(ctx, args),
};

/** Who changed the list is an account: shown to staff and admins, as other actors are. */
export const ResponsibilityItemVersion: ResponsibilityItemVersionResolvers = {
  changedBy: (v, _, ctx) => (isStaffOrAdmin(ctx.viewer) ? v.changedBy : null),
};

export const CategoryVersion: CategoryVersionResolvers = {
  changedBy: (v, _, ctx) => (isStaffOrAdmin(ctx.viewer) ? v.changedBy : null),
};

export const ListAuditEntry: ListAuditEntryResolvers = auditEntryFields;
