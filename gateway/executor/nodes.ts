import { trace } from '@opentelemetry/api';
import { ERRORS, errorCodeDef } from '@apollo/federation-internals';
import { generateHydratedPaths } from '@apollo/gateway/dist/executeQueryPlan';
import type { DeferredNode, FetchNode, PlanNode } from '@apollo/query-planner';
import { GraphQLError, type GraphQLSchema } from 'graphql';
import type { SubgraphAnswer } from './fetch';
import { applyRewrites, mergeInto, selectRepresentation, UNKNOWN_ENTITY, type Obj } from './merge';

/*
 * Runs a query plan's nodes over the raw result tree, as Apollo's executeQueryPlan does: the same
 * cursors (Flatten paths with `@` for lists), the same representations and rewrites, the same
 * error paths, so the shaper gets the same tree. Differences are in cost only: no trace nodes
 * unless asked, no spans unless a tracer is registered, merges in place.
 */

export type Path = Array<string | number>;

export interface Cursor {
  path: Path;
  data: any;
  fullResult: Obj;
}

/** One request's execution state. */
export interface PlanRun {
  supergraphSchema: GraphQLSchema;
  /** The client's variables as sent (Apollo passes only these to subgraphs). */
  variables: Record<string, unknown>;
  /** The variables with defaults: what `Condition` nodes read. */
  conditionVariables: Record<string, unknown>;
  errors: GraphQLError[];
  /** Sends one fetch's request body to a subgraph. */
  send(fetch: FetchNode, body: string): Promise<SubgraphAnswer>;
  /**
   * Where the `deferred` parts of a Defer node go: undefined runs them inline (one answer);
   * otherwise each is handed over with its cursor once the primary part has run.
   */
  onDeferred?: (deferred: DeferredNode, cursor: Cursor) => void;
  /** Non-FTV1 error paths Apollo's usage reporting reads, when the request context has metrics. */
  errorPaths?: Array<{ subgraph: string; path?: ReadonlyArray<string | number> }>;
}

const tracer = trace.getTracer('@apollo/gateway');

export async function executeNode(run: PlanRun, node: PlanNode, cursor: Cursor | undefined): Promise<void> {
  if (!cursor) return;
  switch (node.kind) {
    case 'Sequence':
      for (const child of node.nodes) await executeNode(run, child, cursor);
      return;
    case 'Parallel':
      await Promise.all(node.nodes.map((child) => executeNode(run, child, cursor)));
      return;
    case 'Flatten':
      return executeNode(run, node.node, moveIntoCursor(cursor, node.path));
    case 'Fetch':
      try {
        await tracer.startActiveSpan('gateway.fetch', { attributes: { service: node.serviceName } }, async (span) => {
          try {
            await executeFetch(run, node, cursor);
          } finally {
            span.end();
          }
        });
      } catch (error) {
        run.errors.push(error as GraphQLError);
      }
      return;
    case 'Condition': {
      const value = run.conditionVariables[node.condition];
      const branch = value === true ? node.ifClause : value === false ? node.elseClause : undefined;
      if (typeof value !== 'boolean') throw new Error(`Unexpected value ${String(value)} for condition variable $${node.condition}`);
      if (branch) await executeNode(run, branch, cursor);
      return;
    }
    case 'Defer': {
      if (node.primary.node) await executeNode(run, node.primary.node, cursor);
      if (run.onDeferred) {
        for (const deferred of node.deferred) run.onDeferred(deferred, cursor);
        return;
      }
      await Promise.all(node.deferred.map((d) => (d.node ? executeNode(run, d.node, cursor) : undefined)));
      return;
    }
  }
}

async function executeFetch(run: PlanRun, fetch: FetchNode, cursor: Cursor): Promise<void> {
  const entities: Obj[] = Array.isArray(cursor.data) ? cursor.data.filter((e) => e !== null && e !== undefined) : [cursor.data];
  if (entities.length < 1) return;
  const variables: Obj = Object.create(null);
  if (fetch.variableUsages) {
    for (const name of fetch.variableUsages) {
      if (Object.hasOwn(run.variables, name) && run.variables[name] !== undefined) variables[name] = run.variables[name];
    }
  }
  if (!fetch.requires) {
    const { data } = await send(run, fetch, cursor, variables);
    if (data) applyRewrites(run.supergraphSchema, fetch.outputRewrites, data);
    for (const entity of entities) mergeInto(entity, data);
    return;
  }
  const representations: Obj[] = [];
  const toEntity: number[] = [];
  for (let i = 0; i < entities.length; i++) {
    const representation = selectRepresentation(run.supergraphSchema, entities[i], fetch.requires);
    if (representation && representation.__typename) {
      applyRewrites(run.supergraphSchema, fetch.inputRewrites, representation);
      representations.push(representation);
      toEntity.push(i);
    }
  }
  if (representations.length < 1) return;
  if ('representations' in variables) throw new Error(`Variables cannot contain key "representations"`);
  variables.representations = representations;
  const { data, errors } = await send(run, fetch, cursor, variables);
  if (!data) return;
  const received = data._entities;
  if (!(received && Array.isArray(received))) throw new Error(`Expected "data._entities" in response to be an array`);
  if (received.length !== representations.length) throw new Error(`Expected "data._entities" to contain ${representations.length} elements`);
  // A null with an error at its index is a failure (reported as such), not an unknown id.
  const failed = new Set(errors?.map((e) => (e.path?.[0] === '_entities' ? e.path[1] : undefined)).filter((i) => typeof i === 'number'));
  for (let i = 0; i < received.length; i++) {
    const entity = received[i];
    const existing = entities[toEntity[i]];
    if (entity === null && !failed.has(i) && !(errors?.length && failed.size === 0)) {
      Object.defineProperty(existing, UNKNOWN_ENTITY, { value: true, enumerable: false, configurable: true });
    }
    if (entity && !entity.__typename) entity.__typename = existing.__typename;
    applyRewrites(run.supergraphSchema, fetch.outputRewrites, entity);
    mergeInto(existing, entity);
  }
}

async function send(run: PlanRun, fetch: FetchNode, cursor: Cursor, variables: Obj): Promise<SubgraphAnswer> {
  const body = JSON.stringify({ query: fetch.operation, variables, operationName: fetch.operationName });
  const answer = await run.send(fetch, body);
  if (answer.errors) {
    const pathOf = lazyErrorPaths(fetch, cursor);
    for (const error of answer.errors) run.errors.push(downstreamError(error, fetch.serviceName, pathOf));
    if (run.errorPaths && !answer.extensions?.ftv1) {
      for (const error of answer.errors) run.errorPaths.push({ subgraph: fetch.serviceName, path: error.path });
    }
  }
  return answer;
}

function lazyErrorPaths(fetch: FetchNode, cursor: Cursor): (path: ReadonlyArray<string | number> | undefined) => Path | undefined {
  let hydrated: Path[] | undefined;
  return (errorPath) => {
    if (fetch.requires && typeof errorPath?.[1] === 'number') {
      if (!hydrated) {
        hydrated = [];
        generateHydratedPaths([], cursor.path, cursor.fullResult, hydrated);
      }
      return [...(hydrated[errorPath[1]] ?? []), ...errorPath.slice(2)];
    }
    return errorPath ? [...cursor.path, ...errorPath] : undefined;
  };
}

/** A subgraph's error as the client sees it (Apollo's downstreamServiceError). */
function downstreamError(original: NonNullable<SubgraphAnswer['errors']>[number], serviceName: string, pathOf: (p: ReadonlyArray<string | number> | undefined) => Path | undefined): GraphQLError {
  const message = original.message || `Error while fetching subquery from service "${serviceName}"`;
  const { extensions } = original;
  const options = { originalError: original as unknown as Error, path: pathOf(original.path), extensions: { ...extensions, serviceName } };
  const codeDef = errorCodeDef(original as never);
  if (!codeDef && extensions?.code) return new GraphQLError(message, options);
  return (codeDef ?? ERRORS.DOWNSTREAM_SERVICE_ERROR).err(message, options);
}

export function moveIntoCursor(cursor: Cursor, path: Path): Cursor | undefined {
  const data = flattenAtPath(cursor.data, path, 0);
  return data ? { path: cursor.path.concat(path), data, fullResult: cursor.fullResult } : undefined;
}

function flattenAtPath(value: any, path: Path, at: number): any {
  if (at === path.length) return value;
  if (value === undefined || value === null) return value;
  const current = path[at];
  if (current === '@') return (value as unknown[]).flatMap((element) => flattenAtPath(element, path, at + 1));
  if (typeof current !== 'string') throw new Error(`Unexpected ${typeof current} found in path`);
  if (Array.isArray(value)) throw new Error(`Unexpected array in result for path element ${current}`);
  return flattenAtPath(Object.hasOwn(value, current) ? value[current] : undefined, path, at + 1);
}
