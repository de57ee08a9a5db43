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
import { measureOperation, shapeError } from '../../security/analysis';
import { CostPolicy, type CostObserver } from '../../security/cost-policy';
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

/**
 * Depth, aliases, root fields and cost: pure functions of the document (and of the variables for
 * cost), decided before validation so a hostile document costs one walk. Shape verdicts are cached
 * per parsed document (which the parser caches too); the cost policy caches its own estimates.
 */
export class DocumentLimits {
  private readonly shapes = new WeakMap<DocumentNode, Map<string, { error?: GraphQLError; introspection: boolean }>>();
  readonly cost: CostPolicy;

  constructor(
    private readonly options: SecurityOptions,
    onCost?: CostObserver,
  ) {
    this.cost = new CostPolicy(options, onCost);
  }

  /** The supergraph changed: `@cost` / `@listSize` are read again (and `auto` cost mode settled). */
  onSupergraph(coreSupergraphSdl: string | undefined): void {
    this.cost.schemaDidLoad(coreSupergraphSdl);
  }

  /**
   * Throws the first limit the operation exceeds, cost included (the estimate goes with the
   * refusal, for a client that asked to see it); returns the estimate when cost is on.
   */
  check(schema: GraphQLSchema, document: DocumentNode, operation: OperationDefinitionNode, variables: Record<string, unknown> | undefined): number | undefined {
    const shape = this.shapeOf(document, operation);
    if (shape.error) throw shape.error;
    if (shape.introspection) return undefined;
    const verdict = this.cost.check({ schema, document, operation, variables });
    if (verdict.error) throw Object.assign(verdict.error, { cost: verdict.cost });
    return verdict.cost;
  }

  private shapeOf(document: DocumentNode, operation: OperationDefinitionNode): { error?: GraphQLError; introspection: boolean } {
    let perDoc = this.shapes.get(document);
    if (!perDoc) {
      perDoc = new Map();
      this.shapes.set(document, perDoc);
    }
    const key = operation.name?.value ?? '';
    let shape = perDoc.get(key);
    if (!shape) {
      const { maxDepth, maxAliases, maxRootFields } = this.options;
      const introspection = isIntrospectionOnly(document, operation);
      const limits = { maxDepth: introspection ? INTROSPECTION_MAX_DEPTH : maxDepth, maxAliases, maxRootFields, maxCost: 0 };
      shape = { error: shapeError(measureOperation(document, operation), limits), introspection };
      perDoc.set(key, shape);
    }
    return shape;
  }
}
