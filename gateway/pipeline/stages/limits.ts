import { getOperationAST, GraphQLError, type DocumentNode, type GraphQLSchema, type OperationDefinitionNode } from 'graphql';
import {
  costDependsOnVariables,
  costDirectivesFromSdl,
  costError,
  measureOperation,
  NO_COST_DIRECTIVES,
  operationCost,
  shapeError,
  type CostDirectives,
} from '../../security/analysis';
import type { SecurityOptions } from '../../security/options';

/** The operation a request runs: the named one, or the only one. */
export function selectOperation(document: DocumentNode, operationName: string | null | undefined): OperationDefinitionNode {
  const operation = getOperationAST(document, operationName ?? undefined);
  if (operation) return operation;
  const message = operationName
    ? `The document has no operation named "${operationName}"`
    : 'The document has several operations: name the one to run (operationName)';
  throw new GraphQLError(message, { extensions: { code: 'OPERATION_RESOLUTION_FAILURE', operationName: operationName ?? null } });
}

/** What the limits decided for one operation of one document (kept per document). */
interface Verdict {
  error?: GraphQLError;
  /** Cost when it does not depend on variables. */
  cost?: number;
}

/**
 * Depth, aliases, root fields and cost: pure functions of the document (and of the variables for
 * cost), decided before validation so a hostile document costs one walk. Verdicts are cached per
 * parsed document, which the parser itself caches, so a repeated operation costs a lookup.
 */
export class DocumentLimits {
  private directives: CostDirectives = NO_COST_DIRECTIVES;
  private readonly verdicts = new WeakMap<DocumentNode, Map<string, Verdict>>();

  constructor(private readonly options: SecurityOptions) {}

  /** The supergraph changed: `@cost` / `@listSize` are read again. */
  onSupergraph(coreSupergraphSdl: string | undefined): void {
    this.directives = coreSupergraphSdl ? costDirectivesFromSdl(coreSupergraphSdl) : NO_COST_DIRECTIVES;
  }

  check(schema: GraphQLSchema, document: DocumentNode, operation: OperationDefinitionNode, variables: Record<string, unknown> | undefined): void {
    const verdict = this.verdictOf(schema, document, operation);
    if (verdict.error) throw verdict.error;
    if (this.options.maxCost && verdict.cost === undefined) {
      const error = costError(this.costOf(schema, document, operation, variables), this.options.maxCost);
      if (error) throw error;
    }
  }

  private costOf(schema: GraphQLSchema, document: DocumentNode, operation: OperationDefinitionNode, variables?: Record<string, unknown>): number {
    return operationCost(schema, document, operation, variables, {
      listSize: this.options.costListSize,
      slicingArguments: this.options.costSlicingArguments,
      mutationWeight: this.options.costMutationWeight,
      directives: this.directives,
    });
  }

  private verdictOf(schema: GraphQLSchema, document: DocumentNode, operation: OperationDefinitionNode): Verdict {
    let perDoc = this.verdicts.get(document);
    if (!perDoc) {
      perDoc = new Map();
      this.verdicts.set(document, perDoc);
    }
    const key = operation.name?.value ?? '';
    let verdict = perDoc.get(key);
    if (!verdict) {
      const { maxDepth, maxAliases, maxRootFields, maxCost } = this.options;
      verdict = { error: shapeError(measureOperation(document, operation), { maxDepth, maxAliases, maxRootFields, maxCost }) };
      if (!verdict.error && maxCost && !costDependsOnVariables(operation)) {
        verdict.cost = this.costOf(schema, document, operation);
        verdict.error = costError(verdict.cost, maxCost);
      }
      perDoc.set(key, verdict);
    }
    return verdict;
  }
}
