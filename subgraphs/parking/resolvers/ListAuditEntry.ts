import { auditEntryFields } from '../../../shared/subgraph/audit';
import type { ListAuditEntryResolvers } from '../generated/graphql';

export const ListAuditEntry: ListAuditEntryResolvers = auditEntryFields;
