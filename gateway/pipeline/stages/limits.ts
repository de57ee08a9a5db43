import {
  getOperationAST,
  GraphQLError,
  Kind,
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';
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

/**
 * Tools (GraphiQL, codegen, rover, Postman) send graphql-js's introspection query, which nests
 * `ofType` 15 deep: an operation made only of meta fields is measured against its own depth bound
 * instead of the application's, and costs nothing (it never reaches a subgraph).
 */
export const INTROSPECTION_MAX_DEPTH = 20;

function isIntrospectionOnly(document: DocumentNode, operation: OperationDefinitionNode): boolean {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const d of document.definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) fragments.set(d.name.value, d);
  const seen = new Set<string>();
  const onlyMeta = (set: SelectionSetNode): boolean =>
    set.selections.every((sel) => {
      if (sel.kind === Kind.FIELD) return sel.name.value.startsWith('__');
      if (sel.kind === Kind.INLINE_FRAGMENT) return onlyMeta(sel.selectionSet);
      const name = sel.name.value;
      if (seen.has(name)) return true;
      seen.add(name);
      const fragment = fragments.get(name);
      return fragment ? onlyMeta(fragment.selectionSet) : true;
    });
  return operation.operation === 'query' && onlyMeta(operation.selectionSet);
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
      const introspection = isIntrospectionOnly(document, operation);
      const limits = introspection
        ? { maxDepth: INTROSPECTION_MAX_DEPTH, maxAliases, maxRootFields, maxCost: 0 }
        : { maxDepth, maxAliases, maxRootFields, maxCost };
      verdict = { error: shapeError(measureOperation(document, operation), limits) };
      if (introspection) verdict.cost = 0;
      else if (!verdict.error && maxCost && !costDependsOnVariables(operation)) {
        verdict.cost = this.costOf(schema, document, operation);
        verdict.error = costError(verdict.cost, maxCost);
      }
      perDoc.set(key, verdict);
    }
    return verdict;
  }
}
