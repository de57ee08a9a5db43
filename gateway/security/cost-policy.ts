import { GraphQLError, type DocumentNode, type GraphQLSchema, type OperationDefinitionNode } from 'graphql';
import {
  costDependsOnVariables,
  costDirectivesFromSdl,
  costError,
  estimateCost,
  NO_COST_DIRECTIVES,
  type CostDirectives,
  type CostEstimate,
} from './analysis';
import type { CostMode, SecurityOptions } from './options';

/** What a client that asked for it (`"extensions": { "cost": true }`) finds in `extensions.cost`. */
export interface CostReport {
  /** The operation's estimated cost. */
  estimated: number | 'unbounded';
  /** The mode in force for this supergraph. */
  mode: CostMode;
  /** The limit refused above (`enforce` with `MAX_COST` > 0), else null. */
  limit: number | null;
}

/** Called with every estimate made (the gateway feeds a histogram with it). */
export type CostObserver = (cost: number, operationType: string) => void;

/** The operation the policy estimates. */
export interface CostRequest {
  schema: GraphQLSchema;
  document: DocumentNode;
  operation: OperationDefinitionNode;
  variables?: Record<string, unknown> | null;
}

/** The policy's verdict: the estimate (undefined when cost is off) and the refusal in `enforce` mode. */
export interface CostVerdict {
  cost?: number;
  error?: GraphQLError;
}

/**
 * The cost policy of the gateway: decides the mode from the options and the supergraph, estimates
 * each operation (cached per document when it declares no variables), records the estimate,
 * refuses it in `enforce` mode, and reports it to clients that ask. The request pipeline's limits
 * stage calls it: `schemaDidLoad` on a new supergraph, `check` for every operation.
 */
export class CostPolicy {
  private directives: CostDirectives = NO_COST_DIRECTIVES;
  private effectiveMode: CostMode;
  private cached = new WeakMap<DocumentNode, Map<string, CostEstimate>>();

  constructor(
    private readonly options: Pick<SecurityOptions, 'costMode' | 'maxCost' | 'costListSize' | 'costSlicingArguments' | 'costMutationWeight'>,
    private readonly observe?: CostObserver,
  ) {
    this.effectiveMode = options.costMode === 'auto' ? 'off' : options.costMode;
  }

  /** The mode in force (`auto` resolved against the loaded supergraph). */
  get mode(): CostMode {
    return this.effectiveMode;
  }

  /** Reads `@cost` / `@listSize` from a newly loaded supergraph and settles `auto`. */
  schemaDidLoad(coreSupergraphSdl: string | undefined): void {
    this.directives = coreSupergraphSdl ? costDirectivesFromSdl(coreSupergraphSdl) : NO_COST_DIRECTIVES;
    this.cached = new WeakMap();
    if (this.options.costMode === 'auto') this.effectiveMode = this.directives.declared ? 'enforce' : 'off';
  }

  /** Estimates the operation and records it; in `enforce` mode the verdict carries the refusal. */
  check({ schema, document, operation, variables }: CostRequest): CostVerdict {
    if (this.effectiveMode === 'off') return {};
    const estimate = this.estimate(schema, document, operation, variables ?? undefined);
    this.observe?.(estimate.cost, operation.operation);
    if (this.effectiveMode !== 'enforce') return { cost: estimate.cost };
    const violation = estimate.slicingViolations[0];
    if (violation) {
      // IBM's cost spec makes such an operation invalid: its size cannot be told.
      return {
        cost: estimate.cost,
        error: new GraphQLError(
          `${violation.field} needs exactly one of its slicing arguments (${violation.slicingArguments.join(', ')}); ${violation.given} given`,
          { extensions: { code: 'GRAPHQL_VALIDATION_FAILED', field: violation.field, slicingArguments: violation.slicingArguments } },
        ),
      };
    }
    return { cost: estimate.cost, error: costError(estimate.cost, this.options.maxCost) };
  }

  /** What a client that asked (`"extensions": { "cost": true }`) is told of an estimate. */
  report(cost: number): CostReport {
    return {
      estimated: Number.isFinite(cost) ? Math.round(cost) : 'unbounded',
      mode: this.effectiveMode,
      limit: this.effectiveMode === 'enforce' && this.options.maxCost ? this.options.maxCost : null,
    };
  }

  private estimate(schema: GraphQLSchema, document: DocumentNode, operation: OperationDefinitionNode, variables?: Record<string, unknown>): CostEstimate {
    const settings = {
      listSize: this.options.costListSize,
      slicingArguments: this.options.costSlicingArguments,
      mutationWeight: this.options.costMutationWeight,
      directives: this.directives,
    };
    if (costDependsOnVariables(operation)) return estimateCost(schema, document, operation, variables, settings);
    let perDocument = this.cached.get(document);
    if (!perDocument) this.cached.set(document, (perDocument = new Map()));
    const key = operation.name?.value ?? '';
    let estimate = perDocument.get(key);
    if (!estimate) perDocument.set(key, (estimate = estimateCost(schema, document, operation, undefined, settings)));
    return estimate;
  }
}
