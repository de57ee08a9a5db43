import { AsyncLocalStorage } from 'node:async_hooks';
import { createHash } from 'node:crypto';
import type { ApolloGateway } from '@apollo/gateway';
import { operationFromDocument, type Schema, type Supergraph } from '@apollo/federation-internals';
import type { QueryPlanner } from '@apollo/query-planner';
import { getVariableValues, Kind, print, type DocumentNode, type FragmentDefinitionNode, type GraphQLSchema, type OperationDefinitionNode } from 'graphql';
import { createLogger } from '../../shared/platform/logger';
import { supergraphFacts, type SupergraphFacts } from './facts';
import { collectRootFields, executeInSequence, mutationGroups, operationWith, type FieldPlan, type RootField } from './mutations';
import { drawOverrideLabels, type OverrideDraw } from './override';
import { resolvableKeysFirst } from './resolvable-keys';
import { restoreResult, rewriteForPlanning, valueCompletionAsErrors, type ExecutionOutcome } from './rewrite';

/**
 * Where CityGraph corrects stock Apollo Gateway 2.14 (see README, "Federation: where CityGraph
 * differs from stock Apollo Gateway"). Each correction sits where its fault lies:
 *
 * - the query planner keys a `@requires` fetch with a non-resolvable `@key`: the gateway builds
 *   its supergraph with resolvable keys listed first (resolvable-keys.ts);
 * - the planner merges a client's field with the copy a `@requires` needs under other arguments,
 *   and drops a field whose abstract type has no object type: the operation is rewritten before
 *   planning and the result restored after execution (rewrite.ts);
 * - the executor hides completion errors in `extensions.valueCompletion`: moved to `errors`;
 * - the gateway never switches a progressive `@override` label on: the planner is given the
 *   labels drawn for each request (override.ts);
 * - the planner batches consecutive root mutations of a subgraph even when the first one's
 *   selection needs other subgraphs: such a mutation is planned and run in groups (mutations.ts).
 */

type Executor = ApolloGateway['executor'];
type RequestContext = Parameters<Executor>[0];
type PlanOptions = Parameters<QueryPlanner['buildQueryPlan']>[1];
type ExecutionResult = Awaited<ReturnType<Executor>>;

export interface PlanCorrectionOptions {
  /**
   * Progressive override labels (other than `percent(…)`) switched on for every request (the
   * gateway's `OVERRIDE_LABELS`). See override.ts.
   */
  overrideLabels?: Iterable<string>;
}

/**
 * The corrections for one request on a path that plans and executes by itself (the executor's
 * direct path for `@defer`), where the stock executor's wrapper does not run.
 */
export interface PlanCorrection {
  /** What to plan and execute: the client's document, or its rewrite (rewrite.ts). */
  document: DocumentNode;
  /**
   * Words to add to the plan cache key ('' when none): a plan made for a rewritten document or
   * for another draw of override labels is never served for the client's own text.
   */
  planKey: string;
  /** Builds a plan with this request's override labels (override.ts). */
  plan<T>(build: () => T): T;
  /**
   * Undoes the rewrite in a result, or in the part of one whose data sits at `at` (a deferred
   * fragment's, with the path in the rewritten names); undefined when nothing was rewritten.
   */
  restore?: <T extends ExecutionOutcome>(result: T, at?: ReadonlyArray<string | number>) => T;
}

/** What the executor's direct path asks of the corrections. */
export interface PlanCorrections {
  /** The corrections for one request's document (undefined before a supergraph is loaded). */
  forRequest(document: DocumentNode): PlanCorrection | undefined;
}

/** Field plans remembered per supergraph for splitting mutations; cleared when there are more. */
const MAX_FIELD_PLANS = 1000;

/** The parts of ApolloGateway's private state the corrections read or replace. */
interface GatewayState {
  queryPlanner?: QueryPlanner;
  schema?: GraphQLSchema;
  /** The API schema the gateway turns documents into planner operations with. */
  apiSchema?: Schema;
  recursiveSelectionsLimitDisabled?: boolean;
  nonLocalSelectionsLimitDisabled?: boolean;
  executor: Executor;
  createSchemaFromSupergraphSdl(supergraphSdl: string): { supergraph: Supergraph; supergraphSdl: string };
}

/**
 * Installs the corrections into `gateway`; call it before the gateway is loaded (before
 * `ApolloServer.start()`), since Apollo Server takes the executor at load time.
 */
export function installPlanCorrections(gateway: ApolloGateway, options: PlanCorrectionOptions = {}): PlanCorrections {
  const state = gateway as unknown as GatewayState;
  const log = createLogger('gateway');
  const enabledLabels = new Set(options.overrideLabels ?? []);
  let planner = state.queryPlanner;
  let facts: SupergraphFacts | undefined;
  // Rewrites are a function of the document and the supergraph: cached per parsed document
  // (Apollo Server reuses the parsed document of a query it has seen), dropped on each load.
  let rewrites = new WeakMap<DocumentNode, DocumentNode | null>();
  // How many fetches one root mutation field needs, by enabled labels and printed operation.
  let fieldPlans = new Map<string, FieldPlan>();
  // The groups of a mutation document, by enabled labels and the root field nodes collected.
  let mutationSplits = new WeakMap<DocumentNode, Map<string, DocumentNode[] | null>>();
  // The override labels of the request being planned: the stock executor calls
  // `queryPlanner.buildQueryPlan(operation, options)` itself, after awaiting its plan cache, so
  // the request's draw reaches it through the async context rather than an argument.
  const planningLabels = new AsyncLocalStorage<Map<string, boolean>>();

  // ApolloGateway builds its Supergraph (and from it the planner, the API schema and the
  // executor's schema) in this method on every load, and nowhere else. It is given the SDL with
  // resolvable keys first, and hands back the original text as the SDL it serves.
  if (typeof state.createSchemaFromSupergraphSdl !== 'function' || typeof state.executor !== 'function') {
    // These are ApolloGateway 2.x internals: another version may have moved them.
    throw new Error('installPlanCorrections: this @apollo/gateway has no createSchemaFromSupergraphSdl or executor');
  }
  const stockCreate = state.createSchemaFromSupergraphSdl.bind(gateway);
  state.createSchemaFromSupergraphSdl = (supergraphSdl: string) => {
    let reordered: string | undefined;
    try {
      reordered = resolvableKeysFirst(supergraphSdl);
    } catch (err) {
      // An SDL this cannot read is left to the stock code, which reports what is wrong with it.
      log.error({ err }, 'supergraph keys left in their order');
    }
    return { supergraph: stockCreate(reordered ?? supergraphSdl).supergraph, supergraphSdl };
  };

  // ApolloGateway assigns `this.queryPlanner = new QueryPlanner(supergraph, config)` on every
  // load, right after the schemas: the facts the operation rewrites need are read at that moment.
  Object.defineProperty(gateway, 'queryPlanner', {
    configurable: true,
    enumerable: true,
    get: () => planner,
    set(next: QueryPlanner | undefined) {
      planner = next;
      rewrites = new WeakMap();
      fieldPlans = new Map();
      mutationSplits = new WeakMap();
      facts = undefined;
      if (!next) return;
      const stockBuild = next.buildQueryPlan.bind(next);
      next.buildQueryPlan = (operation, planOptions?: PlanOptions) => {
        // A caller outside the executor that names no labels (the subscription planner) plans
        // with a draw of its own: one per operation it plans, as for queries.
        const labels = facts?.overrideLabels;
        const overrideConditions =
          planningLabels.getStore() ??
          (!planOptions?.overrideConditions && labels?.size ? drawOverrideLabels(labels, enabledLabels).conditions : undefined);
        return stockBuild(operation, overrideConditions ? { ...planOptions, overrideConditions } : planOptions);
      };
      try {
        facts = supergraphFacts(next.supergraph);
      } catch (err) {
        // The supergraph still loads: its operations then plan and execute as stock ones do.
        log.error({ err }, 'operation rewrites disabled for this supergraph');
      }
    },
  });

  const stockExecutor = state.executor;
  state.executor = async (requestContext: RequestContext) => {
    const current = facts;
    const schema = state.schema;
    if (!current || !schema) return valueCompletionAsErrors(await stockExecutor(requestContext));
    const draw = current.overrideLabels.size ? drawOverrideLabels(current.overrideLabels, enabledLabels) : undefined;
    const rewritten = rewriteFor(requestContext.document, schema, current);
    const document = rewritten ?? requestContext.document;
    const parts = mutationParts(requestContext, document, schema, draw);

    // The plan cache is keyed by `queryHash`: a plan made for a rewritten operation, one group of
    // a mutation or another set of override labels must not be served for the client's own text
    // (nor the other way round), so each of those is part of the key.
    const execute = (partDocument: DocumentNode, part: string | undefined) => {
      const tags = [rewritten && 'rewritten', draw && `labels:${draw.key}`, part !== undefined && `part:${part}`].filter(Boolean);
      const queryHash = tags.length
        ? createHash('sha256')
            .update(requestContext.queryHash ?? print(partDocument))
            .update(`\0cityGraph-plan-corrections\0${tags.join('\0')}`)
            .digest('hex')
        : requestContext.queryHash;
      const run = () => stockExecutor({ ...requestContext, document: partDocument, queryHash });
      return draw ? planningLabels.run(draw.conditions, run) : run();
    };
    const result: ExecutionResult = parts
      ? await executeInSequence(parts.map((part) => () => execute(part, print(part))))
      : await execute(document, undefined);
    return valueCompletionAsErrors(rewritten ? (restoreResult(result as Parameters<typeof restoreResult>[0]) as typeof result) : result);
  };

  /**
   * The groups a mutation must be run in (mutations.ts), or `undefined` when it is not a
   * mutation or forms one group. Anything unexpected leaves the operation to the stock executor,
   * which reports what is wrong with it.
   */
  function mutationParts(requestContext: RequestContext, document: DocumentNode, schema: GraphQLSchema, draw: OverrideDraw | undefined): DocumentNode[] | undefined {
    const operationName = requestContext.request.operationName ?? undefined;
    const operations = document.definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
    const operation = operationName ? operations.find((o) => o.name?.value === operationName) : operations.length === 1 ? operations[0] : undefined;
    if (!operation || operation.operation !== 'mutation') return undefined;
    const [first, ...others] = operation.selectionSet.selections;
    if (others.length === 0 && first?.kind === Kind.FIELD) return undefined;
    const current = { planner, apiSchema: state.apiSchema };
    if (!current.planner || !current.apiSchema) return undefined;
    try {
      const fragments = new Map(
        document.definitions.filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION).map((f) => [f.name.value, f] as const),
      );
      const variables = getVariableValues(schema, operation.variableDefinitions ?? [], requestContext.request.variables ?? {});
      if (variables.errors) return undefined;
      const fields = collectRootFields(operation, fragments, variables.coerced);
      if (fields.length < 2) return undefined;
      // The groups depend on which root field nodes `@skip` / `@include` kept (told apart by their
      // place in the document) and on the labels; without locations they are not remembered.
      const located = fields.every((f) => f.nodes.every((n) => n.loc));
      const splitKey = located ? `${operationName ?? ''}\0${draw?.key ?? ''}\0${fields.map((f) => f.nodes.map((n) => n.loc!.start).join('+')).join(',')}` : undefined;
      let splits = mutationSplits.get(document);
      const known = splitKey === undefined ? undefined : splits?.get(splitKey);
      if (known !== undefined) return known ?? undefined;
      const planOf = (field: RootField): FieldPlan => {
        const single = operationWith(operation, fragments, [field]);
        const key = `${draw?.key ?? ''}\0${print(single)}`;
        let plan = fieldPlans.get(key);
        if (plan === undefined) {
          const node = current.planner!.buildQueryPlan(operationFromDocument(current.apiSchema!, single, { operationName }), {
            overrideConditions: draw?.conditions,
            recursiveSelectionsLimitDisabled: state.recursiveSelectionsLimitDisabled,
            nonLocalSelectionsLimitDisabled: state.nonLocalSelectionsLimitDisabled,
          }).node;
          plan = !node ? 'none' : node.kind === 'Fetch' ? 'one' : 'more';
          if (fieldPlans.size >= MAX_FIELD_PLANS) fieldPlans.clear();
          fieldPlans.set(key, plan);
        }
        return plan;
      };
      const groups = mutationGroups(fields, planOf);
      const parts = groups.length > 1 ? groups.map((group) => operationWith(operation, fragments, group)) : null;
      if (splitKey !== undefined) {
        if (!splits) mutationSplits.set(document, (splits = new Map()));
        splits.set(splitKey, parts);
      }
      return parts ?? undefined;
    } catch (err) {
      log.error({ err }, 'mutation planned as one operation: its root fields could not be grouped');
      return undefined;
    }
  }

  return {
    forRequest(document) {
      const current = facts;
      const schema = state.schema;
      if (!current || !schema) return undefined;
      const draw = current.overrideLabels.size ? drawOverrideLabels(current.overrideLabels, enabledLabels) : undefined;
      const rewritten = rewriteFor(document, schema, current);
      const tags = [rewritten && 'rewritten', draw && `labels:${draw.key}`].filter(Boolean);
      return {
        document: rewritten ?? document,
        planKey: tags.length ? `\0cityGraph-plan-corrections\0${tags.join('\0')}` : '',
        plan: (build) => (draw ? planningLabels.run(draw.conditions, build) : build()),
        restore: rewritten ? (result, at) => restoreResult(result, at) : undefined,
      };
    },
  };

  function rewriteFor(document: DocumentNode, schema: GraphQLSchema, current: SupergraphFacts): DocumentNode | undefined {
    let rewritten = rewrites.get(document);
    if (rewritten === undefined) {
      try {
        rewritten = rewriteForPlanning(document, schema, current) ?? null;
      } catch (err) {
        log.error({ err }, 'operation left as the client wrote it: the plan corrections could not rewrite it');
        rewritten = null;
      }
      rewrites.set(document, rewritten);
    }
    return rewritten ?? undefined;
  }
}
