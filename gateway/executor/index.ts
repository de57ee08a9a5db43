import { createHash } from 'node:crypto';
import { trace } from '@opentelemetry/api';
import type { ApolloGateway } from '@apollo/gateway';
import { operationFromDocument, type Schema } from '@apollo/federation-internals';
import type { DeferredNode, FetchNode, QueryPlan, QueryPlanner } from '@apollo/query-planner';
import {
  executeSync,
  GraphQLError,
  Kind,
  OperationTypeNode,
  type DocumentNode,
  type FieldNode,
  type FormattedExecutionResult,
  type GraphQLFormattedError,
  type GraphQLSchema,
  type OperationDefinitionNode,
} from 'graphql';
import { getVariableValues } from 'graphql/execution/values';
import { addExtensions } from '@apollo/gateway/dist/schema-helper/addExtensions';
import type { GatewayContext } from '../auth';
import type { CircuitBreaker } from '../datasources/circuit-breaker';
import type { CallContext, SubgraphAnswer, SubgraphClients } from './fetch';
import { executeNode, type Cursor, type Path, type PlanRun } from './nodes';
import type { Obj } from './merge';
import { Shaper, type DeferShape } from './shape';
import type { PlanCorrection, PlanCorrections } from '../plan';
import { restorePath } from '../plan/rewrite';

export { SubgraphClients } from './fetch';

/** One subsequent payload, deferSpec=20220824 (as Apollo Router and Hive serve it). */
export interface SubsequentPayload {
  incremental?: Array<{ data: Record<string, unknown> | null; path: Array<string | number>; label?: string; errors?: GraphQLFormattedError[]; extensions?: Record<string, unknown> }>;
  hasNext: boolean;
  extensions?: Record<string, unknown>;
}

/** What executing an operation gives: one result, or an initial result followed by deferred parts. */
export type ExecutionOutcome =
  | { kind: 'single'; result: FormattedExecutionResult }
  | { kind: 'incremental'; initial: FormattedExecutionResult & { hasNext: true }; subsequent: AsyncIterable<SubsequentPayload> };

/** An admitted operation for `CityGraphExecutor.execute` (the doors' direct path, `@defer` included). */
export interface OperationRequest {
  document: DocumentNode;
  operationName?: string | null;
  variables?: Record<string, unknown>;
  context: GatewayContext;
}

type GatewayExecutor = ApolloGateway['executor'];
type RequestContext = Parameters<GatewayExecutor>[0];
type GatewayResult = Awaited<ReturnType<GatewayExecutor>>;

/** The parts of ApolloGateway's state the executor reads (set on every supergraph load). */
interface GatewayState {
  schema?: GraphQLSchema;
  apiSchema?: Schema;
  supergraphSchema?: GraphQLSchema;
  queryPlanner?: QueryPlanner;
  queryPlanStore: { get(key: string): Promise<QueryPlan | undefined>; set(key: string, plan: QueryPlan): Promise<void> };
  serviceMap: Record<string, { url?: string; dataSource: { url?: string; breaker?: CircuitBreaker } }>;
  recursiveSelectionsLimitDisabled?: boolean;
  nonLocalSelectionsLimitDisabled?: boolean;
  executor: GatewayExecutor;
}

interface Prepared {
  plan: QueryPlan;
  shaper: Shaper;
  definition: OperationDefinitionNode;
  /** Undoes the plan corrections' rewrite in what is sent (direct path only). */
  restore?: PlanCorrection['restore'];
}

const tracer = trace.getTracer('@apollo/gateway');

/**
 * CityGraph's executor for the query plans `@apollo/query-planner` makes (`GATEWAY_EXECUTOR=citygraph`,
 * the default). It takes the place of ApolloGateway's `executor`, so Apollo Server, its plugins and
 * the plan corrections (gateway/plan) work as before; the planner, plan cache and supergraph
 * loading stay Apollo's. `execute` is the direct path for doors that deliver `@defer` parts.
 */
export class CityGraphExecutor {
  private readonly state: GatewayState;
  /** Shapers by API schema (a new supergraph drops them), document and operation name. */
  private shapers = new WeakMap<Schema, WeakMap<DocumentNode, Map<string, Shaper>>>();

  /** The plan corrections for the direct path (gateway/plan); under Apollo Server they wrap `executor`. */
  private corrections?: PlanCorrections;

  constructor(gateway: ApolloGateway, private readonly clients: SubgraphClients) {
    this.state = gateway as unknown as GatewayState;
  }

  /** The plan corrections the direct path applies itself (installPlanCorrections' answer). */
  useCorrections(corrections: PlanCorrections): void {
    this.corrections = corrections;
  }

  /** Replaces the gateway's executor by this one; call before `installPlanCorrections`. */
  install(): void {
    this.state.executor = (requestContext) => this.executeForApollo(requestContext);
    // The API schema clients validate against gets the `@defer` directive (ApolloGateway builds
    // it without): set on every load right after `apiSchema`, so rebuilt from that.
    let schema: GraphQLSchema | undefined;
    const state = this.state;
    Object.defineProperty(this.state, 'schema', {
      configurable: true,
      enumerable: true,
      get: () => schema,
      set(next: GraphQLSchema | undefined) {
        schema = next && state.apiSchema ? addExtensions(state.apiSchema.toGraphQLJSSchema({ includeDefer: true })) : next;
      },
    });
  }

  private async executeForApollo(requestContext: RequestContext): Promise<GatewayResult> {
    return tracer.startActiveSpan('gateway.request', async (span) => {
      try {
        const { request, document, queryHash } = requestContext;
        const prepared = await this.prepare(document, request.operationName, request.variables, queryHash);
        if ('errors' in prepared) return { errors: prepared.errors };
        const policy = requestContext.overallCachePolicy as unknown as CallContext['cachePolicy'] & object;
        const metrics = requestContext.metrics as { nonFtv1ErrorPaths?: PlanRun['errorPaths'] } | undefined;
        const { run, data } = this.start(prepared, request.variables ?? {}, requestContext.context as GatewayContext, policy && 'restrict' in policy ? policy : undefined);
        if (metrics) run.errorPaths = metrics.nonFtv1ErrorPaths ??= [];
        if (prepared.plan.node) {
          if (prepared.plan.node.kind === 'Subscription') throw new Error('Execution of subscriptions not supported by gateway');
          await executeNode(run, prepared.plan.node, { path: [], data, fullResult: data });
        }
        return this.finish(prepared, run, data, false) as GatewayResult;
      } finally {
        span.end();
      }
    });
  }

  /**
   * Executes an admitted operation with `@defer` delivered as it arrives, with the plan
   * corrections (gateway/plan) applied here: the rewritten document planned under its own key,
   * with the request's override labels, and the client's names restored in every part.
   * `formatError` is the pipeline's error formatter.
   */
  async execute(request: OperationRequest, formatError: (e: GraphQLFormattedError) => GraphQLFormattedError = (e) => e): Promise<ExecutionOutcome> {
    const variables = request.variables ?? {};
    const correction = this.corrections?.forRequest(request.document);
    // A rewrite keeps the client's source in `loc`: its plans are keyed by that text and the correction's words.
    const queryHash = correction?.planKey ? createHash('sha256').update(printOf(request.document)).update(correction.planKey).digest('hex') : undefined;
    const prepared = await this.prepare(correction?.document ?? request.document, request.operationName ?? undefined, variables, queryHash, correction);
    if ('errors' in prepared) return { kind: 'single', result: { errors: prepared.errors.map((e) => formatError(e.toJSON())) } };
    const { run, data } = this.start(prepared, variables, request.context, undefined);
    const queue: Array<{ deferred: DeferredNode; cursor: Cursor }> = [];
    run.onDeferred = (deferred, cursor) => queue.push({ deferred, cursor });
    if (prepared.plan.node && prepared.plan.node.kind !== 'Subscription') await executeNode(run, prepared.plan.node, { path: [], data, fullResult: data });
    const deferring = queue.length > 0;
    const initial = this.finish(prepared, run, data, deferring);
    // The parts are found in the answer as shaped (rewritten names); the client gets its own.
    const sent = prepared.restore ? prepared.restore(initial) : initial;
    const formatted: FormattedExecutionResult = {
      ...(sent.errors ? { errors: sent.errors.map((e) => formatError(e.toJSON())) } : {}),
      ...('data' in sent ? { data: sent.data as Record<string, unknown> | null } : {}),
    };
    if (!deferring) return { kind: 'single', result: formatted };
    return { kind: 'incremental', initial: { ...formatted, hasNext: true }, subsequent: this.subsequent(prepared, run, data, initial.data ?? null, queue, formatError) };
  }

  /** Runs a subscription event's plan: the primary fetch is answered by the event. */
  async executeEvent(
    plan: QueryPlan,
    primary: FetchNode,
    event: SubgraphAnswer,
    request: OperationRequest,
  ): Promise<FormattedExecutionResult & { errors?: GraphQLError[] }> {
    const shaper = this.shaperFor(request.document, request.operationName ?? undefined);
    if (shaper instanceof GraphQLError) return { errors: [shaper] };
    const definition = operationOf(request.document, request.operationName ?? undefined)!;
    const prepared: Prepared = { plan, shaper, definition };
    const variables = request.variables ?? {};
    const { run, data } = this.start(prepared, variables, request.context, undefined);
    const send = run.send;
    run.send = (fetch, body) => (fetch === primary ? Promise.resolve(event) : send(fetch, body));
    if (plan.node && plan.node.kind !== 'Subscription') await executeNode(run, plan.node, { path: [], data, fullResult: data });
    return this.finish(prepared, run, data, false) as never;
  }

  private async prepare(
    document: DocumentNode,
    operationName: string | undefined | null,
    variables: Record<string, unknown> | undefined,
    queryHash: string | undefined,
    correction?: PlanCorrection,
  ): Promise<Prepared | { errors: GraphQLError[] }> {
    const { state } = this;
    const schema = state.schema;
    if (!schema || !state.apiSchema || !state.queryPlanner) throw new Error('The supergraph is not loaded yet');
    const definition = operationOf(document, operationName ?? undefined);
    if (!definition) throw new GraphQLError(operationName ? `Unknown operation named "${operationName}".` : 'Must provide operation name if query contains multiple operations.');
    if (definition.variableDefinitions?.length) {
      const { errors } = getVariableValues(schema, definition.variableDefinitions, variables ?? {});
      if (errors?.length) return { errors: [...errors] };
    }
    const hash = queryHash ?? createHash('sha256').update(printOf(document)).digest('hex');
    const key = operationName ? createHash('sha256').update(hash).update(operationName).digest('hex') : hash;
    let plan = await state.queryPlanStore.get(key);
    if (!plan) {
      const operation = operationFromDocument(state.apiSchema, document, { operationName: operationName ?? undefined });
      const build = () =>
        state.queryPlanner!.buildQueryPlan(operation, {
          recursiveSelectionsLimitDisabled: state.recursiveSelectionsLimitDisabled,
          nonLocalSelectionsLimitDisabled: state.nonLocalSelectionsLimitDisabled,
        });
      plan = correction ? correction.plan(build) : build();
      await state.queryPlanStore.set(key, plan).catch(() => undefined);
    }
    const shaper = this.shaperFor(document, operationName ?? undefined);
    if (shaper instanceof GraphQLError) return { errors: [shaper] };
    return { plan, shaper, definition, restore: correction?.restore };
  }

  private shaperFor(document: DocumentNode, operationName: string | undefined): Shaper | GraphQLError {
    const apiSchema = this.state.apiSchema!;
    let byDocument = this.shapers.get(apiSchema);
    if (!byDocument) this.shapers.set(apiSchema, (byDocument = new WeakMap()));
    let byName = byDocument.get(document);
    if (!byName) byDocument.set(document, (byName = new Map()));
    let shaper = byName.get(operationName ?? '');
    if (!shaper) {
      try {
        shaper = new Shaper(operationFromDocument(apiSchema, document, { operationName, validate: false }));
      } catch (err) {
        if (err instanceof GraphQLError) return err;
        throw err;
      }
      byName.set(operationName ?? '', shaper);
    }
    return shaper;
  }

  private start(prepared: Prepared, variables: Record<string, unknown>, context: GatewayContext | undefined, cachePolicy: CallContext['cachePolicy']): { run: PlanRun; data: Obj } {
    const { state, clients } = this;
    const ctx: CallContext = { viewerToken: context?.viewerToken, requestId: context?.requestId, cachePolicy };
    const run: PlanRun = {
      supergraphSchema: state.supergraphSchema!,
      variables,
      conditionVariables: prepared.shaper.variablesOf(variables),
      errors: [],
      send: (fetch, body) => {
        const service = state.serviceMap[fetch.serviceName];
        if (!service) return Promise.reject(new Error(`Couldn't find service with name "${fetch.serviceName}"`));
        const url = service.dataSource.url ?? service.url ?? '';
        return clients.call(fetch.serviceName, url, body, fetch.operationKind === OperationTypeNode.QUERY, ctx, service.dataSource.breaker);
      },
    };
    return { run, data: Object.create(null) };
  }

  /** The answer as Apollo's executeQueryPlan gives it, completion errors in `errors` (gateway/plan). */
  private finish(prepared: Prepared, run: PlanRun, data: Obj, deferring: boolean): { data?: Obj | null; errors?: GraphQLError[] } {
    const variables = prepared.shaper.variablesOf(run.variables);
    try {
      const shaped = prepared.shaper.shape(data, variables, this.introspection(prepared.definition, variables), deferring);
      if (run.errors.length === 0 && shaped.errors.length > 0) return { errors: shaped.errors, data: shaped.data };
      return run.errors.length === 0 ? { data: shaped.data } : { errors: run.errors, data: shaped.data };
    } catch (error) {
      if (error instanceof GraphQLError) return { errors: [error] };
      if (error instanceof Error) return { errors: [new GraphQLError(error.message, { originalError: error })] };
      return { errors: [new GraphQLError('Unexpected error during query plan execution')] };
    }
  }

  private introspection(definition: OperationDefinitionNode, variables: Record<string, unknown>): (field: FieldNode) => unknown {
    return (field) => {
      const { data } = executeSync({
        schema: this.state.schema!,
        document: {
          kind: Kind.DOCUMENT,
          definitions: [{ kind: Kind.OPERATION_DEFINITION, operation: OperationTypeNode.QUERY, variableDefinitions: definition.variableDefinitions, selectionSet: { kind: Kind.SELECTION_SET, selections: [field] } }],
        },
        rootValue: {},
        variableValues: variables,
      });
      return (data as Obj | null | undefined)?.[field.alias?.value ?? field.name.value];
    };
  }

  /** The deferred parts, each delivered once its fetches are done (and nested ones after it). */
  private async *subsequent(
    prepared: Prepared,
    parent: PlanRun,
    data: Obj,
    shaped: Obj | null,
    queue: Array<{ deferred: DeferredNode; cursor: Cursor }>,
    formatError: (e: GraphQLFormattedError) => GraphQLFormattedError,
  ): AsyncGenerator<SubsequentPayload> {
    const variables = prepared.shaper.variablesOf(parent.variables);
    const introspect = this.introspection(prepared.definition, variables);
    const used = new Set<DeferShape>();
    const pending = new Map<number, Promise<{ id: number; payload: SubsequentPayload['incremental'] }>>();
    let next = 0;
    const launch = (deferred: DeferredNode, cursor: Cursor) => {
      const id = next++;
      const run: PlanRun = { ...parent, errors: [], onDeferred: (d, c) => launch(d, c) };
      pending.set(
        id,
        (async () => {
          if (deferred.node) await executeNode(run, deferred.node, cursor);
          return { id, payload: this.deferredPart(prepared, deferred, data, shaped, run.errors, used, variables, introspect, formatError) };
        })(),
      );
    };
    for (const { deferred, cursor } of queue) launch(deferred, cursor);
    while (pending.size) {
      const { id, payload } = await Promise.race(pending.values());
      pending.delete(id);
      yield { incremental: payload ?? [], hasNext: pending.size > 0 };
    }
  }

  private deferredPart(
    prepared: Prepared,
    deferred: DeferredNode,
    data: Obj,
    shaped: Obj | null,
    fetchErrors: GraphQLError[],
    used: Set<DeferShape>,
    variables: Record<string, unknown>,
    introspect: (f: FieldNode) => unknown,
    formatError: (e: GraphQLFormattedError) => GraphQLFormattedError,
  ): SubsequentPayload['incremental'] {
    const { shaper } = prepared;
    const fieldPath = deferred.queryPath.filter((p) => !p.startsWith('... on '));
    const defer = shaper.defers.find(
      (d) => !used.has(d) && (deferred.label ? d.label === deferred.label : d.label === undefined) && d.fieldPath.length === fieldPath.length && d.fieldPath.every((p, i) => p === fieldPath[i]),
    );
    const { restore } = prepared;
    const clientPath = (path: Path) => (restore ? [...restorePath(path)!] : path);
    const errors = (restore ? (restore({ errors: fetchErrors }).errors ?? []) : fetchErrors).map((e) => formatError(e.toJSON()));
    if (!defer) return errors.length ? [{ data: null, path: [], errors }] : [];
    used.add(defer);
    const items: NonNullable<SubsequentPayload['incremental']> = [];
    // The objects the fragment was spread on, along the response path in the raw tree and in the
    // initial answer (an object null propagation removed there gets no part).
    const walk = (input: unknown, output: unknown, at: number, path: Path) => {
      if (input === null || input === undefined || output === null || output === undefined) return;
      if (Array.isArray(input)) {
        input.forEach((v, i) => walk(v, (output as unknown[])[i], at, [...path, i]));
        return;
      }
      if (at < fieldPath.length) return walk((input as Obj)[fieldPath[at]], (output as Obj)[fieldPath[at]], at + 1, [...path, fieldPath[at]]);
      const obj = input as Obj;
      const runtime = (typeof obj.__typename === 'string' && shaper.operation.schema().type(obj.__typename)) || defer.parentType;
      if (!shaper.deferApplies(defer, obj, defer.parentType)) return;
      const shapedPart = shaper.shapeDeferred(defer, obj, path, runtime as typeof defer.parentType, variables, introspect);
      const shaped = restore ? restore(shapedPart, path) : shapedPart;
      items.push({
        data: shaped.data ?? null,
        path: clientPath(path),
        ...(defer.label && !defer.label.startsWith('qp__') ? { label: defer.label } : {}),
        ...(shaped.errors?.length ? { errors: shaped.errors.map((e) => formatError(e.toJSON())) } : {}),
      });
    };
    walk(data, shaped, 0, []);
    if (errors.length) {
      if (items[0]) items[0].errors = [...errors, ...(items[0].errors ?? [])];
      else items.push({ data: null, path: clientPath(fieldPath), errors });
    }
    return items;
  }
}

function operationOf(document: DocumentNode, operationName: string | undefined): OperationDefinitionNode | undefined {
  const operations = document.definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
  return operationName ? operations.find((o) => o.name?.value === operationName) : operations.length === 1 ? operations[0] : undefined;
}

const printed = new WeakMap<DocumentNode, string>();
function printOf(document: DocumentNode): string {
  let text = printed.get(document);
  if (text === undefined) {
    text = document.loc?.source.body ?? JSON.stringify(document);
    printed.set(document, text);
  }
  return text;
}
