import {
  GraphQLError,
  Kind,
  TypeInfo,
  visit,
  visitWithTypeInfo,
  type DocumentNode,
  type FieldNode,
  type GraphQLSchema,
} from 'graphql';
import type { SupergraphFacts } from './facts';
import { copiedName, mergeCopies, RESERVED_PREFIXES, separateDisagreeingRequires } from './requires-conflicts';

/**
 * Miss 1 — a field with arguments that a `@requires` also selects.
 *
 * Root cause (in @apollo/query-planner 2.14, not in the executor): when the planner adds the
 * fields a `@requires` needs to the fetch that obtains them, it merges them into that fetch's
 * selection by RESPONSE NAME, and a merged field keeps the arguments of whichever copy came first.
 * For `converted @requires(fields: "price(currency: \"EUR\")")` and a client selecting
 * `price(currency: "GBP") converted`, the fetch asks for `price(currency: "GBP")` only: the
 * client's price is right and `converted` is computed from GBP. Selected the other way round
 * (`converted price`) the fetch asks `price(currency: "EUR")` only and the client gets the EUR
 * price for its `price` (and `comments(limit: 1)` answers the required `limit`'s items). The
 * representations the executor sends are built faithfully from what the fetch returned; it is the
 * fetch that lost one argument set (apollographql/federation#2996 and #2276).
 *
 * Correction: the planner cannot merge two copies that have different response names, so before
 * planning the client's selection of any such field is given an alias of its own
 * (`price` -> `cgOwn__price`). The plan then fetches `cgOwn__price: price(currency: "GBP")` for the
 * client and `price(currency: "EUR")` for the `@requires`, under its own name, which is exactly
 * what the requiring fetch's representations read. After execution the alias is renamed back in
 * the data and in error paths, so the client sees its own response names.
 *
 * The same merge by response name also breaks a client alias that is the name of a key or
 * required field (`{ products { id: price } }`, `{ item { sku: name } }`): the planner's `id` or
 * `sku` and the client's field become one, so the client gets the key's value, or the
 * representation gets the client's. Those selections get an alias of their own too. A client field
 * selected under its own name, without arguments, is the very field the planner adds: left alone.
 *
 * Why the operation and not the returned plan: once planned, the fetch holds a single copy and
 * nothing says which arguments it lost; re-adding the required copy under an alias would need
 * `inputRewrites` (`KeyRenamer`) to rename it in the representations, and the gateway's
 * `KeyRenamer` skips falsy values (`0`, `false`, `""`, `null`), which would drop a required
 * `price` of 0. Giving the client's copy the alias keeps every representation stock.
 *
 * Miss 3 — a field of abstract type whose only "implementation" is an `@interfaceObject`.
 *
 * Root cause (planner): for `{ a { field } }` where `Query.a: Node` is resolved by a subgraph in
 * which `Node` is an interface with no object type, and `field` lives only on another subgraph's
 * `@interfaceObject Node`, the planner finds no runtime type for `Node`, drops the selection and
 * returns an empty plan; the gateway then answers `{ a: null }` without asking anyone and without
 * an error. The spec has `a` executed, and completing a non-null value of an abstract type with no
 * object type to resolve it to is a field error at `a`.
 *
 * Correction: the selection set of such a field is replaced by `{ __typename }` (none of its
 * fields can ever be answered: no object can be there), under an alias of its own
 * (`cgNone__a`), so the plan does fetch `a` from the subgraph that owns it. That subgraph answers
 * null (a legitimate null) or raises the spec's error at `a`. If it answers an object anyway, the
 * gateway replaces it by null and reports the error at that path itself.
 */

/** Alias prefix of a client's field renamed so the planner keeps it apart from a key or `@requires` copy. */
export const CLIENT_ALIAS = 'cgOwn__';
/** Alias prefix of a field whose abstract type has no object type in the subgraphs resolving it. */
export const NO_RUNTIME_TYPE_ALIAS = 'cgNone__';

function responseName(node: FieldNode): string {
  return node.alias?.value ?? node.name.value;
}

function usesReservedNames(document: DocumentNode): boolean {
  let reserved = false;
  visit(document, {
    Field(node) {
      const name = responseName(node);
      if ([CLIENT_ALIAS, NO_RUNTIME_TYPE_ALIAS, ...RESERVED_PREFIXES].some((prefix) => name.startsWith(prefix))) reserved = true;
    },
  });
  return reserved;
}

/**
 * Rewrites a client operation document for planning (see above), or returns `undefined` when it
 * selects none of the fields concerned. The document must be valid against `schema` (the API schema).
 */
export function rewriteForPlanning(document: DocumentNode, schema: GraphQLSchema, facts: SupergraphFacts): DocumentNode | undefined {
  if (facts.plannerInputs.size === 0 && facts.fieldsWithoutRuntimeType.size === 0 && facts.requirements.size < 2) return undefined;
  const typeInfo = new TypeInfo(schema);
  let changed = false;
  const rewritten = visit(
    document,
    visitWithTypeInfo(typeInfo, {
      Field(node) {
        const parent = typeInfo.getParentType();
        if (!parent) return undefined;
        const coordinate = `${parent.name}.${node.name.value}`;
        if (node.selectionSet && facts.fieldsWithoutRuntimeType.has(coordinate)) {
          changed = true;
          return {
            ...node,
            alias: { kind: Kind.NAME, value: NO_RUNTIME_TYPE_ALIAS + responseName(node) },
            selectionSet: {
              kind: Kind.SELECTION_SET,
              selections: [{ kind: Kind.FIELD, name: { kind: Kind.NAME, value: '__typename' } }],
            },
          } satisfies FieldNode;
        }
        // The planner adds key and required fields under their own names: a client selection
        // under such a name is merged with them unless it is the same field without arguments.
        const name = responseName(node);
        const underInputName = facts.plannerInputs.has(`${parent.name}.${name}`);
        if (underInputName && (name !== node.name.value || facts.argumentInputs.has(coordinate))) {
          changed = true;
          return { ...node, alias: { kind: Kind.NAME, value: CLIENT_ALIAS + name } } satisfies FieldNode;
        }
        return undefined;
      },
    }),
  );
  // Then two `@requires` that disagree on a field's arguments (requires-conflicts.ts). After the
  // aliases above, so a copy's alias is built on the response name the plan really uses.
  const separated = separateDisagreeingRequires(changed ? rewritten : document, schema, facts);
  // Names the client chose itself with one of the prefixes could not be told apart when restoring.
  if ((!changed && !separated) || usesReservedNames(document)) return undefined;
  return separated ?? rewritten;
}

type Path = ReadonlyArray<string | number>;

function originalName(copiedKey: string): string {
  const key = copiedName(copiedKey);
  if (key.startsWith(CLIENT_ALIAS)) return key.slice(CLIENT_ALIAS.length);
  if (key.startsWith(NO_RUNTIME_TYPE_ALIAS)) return key.slice(NO_RUNTIME_TYPE_ALIAS.length);
  return key;
}

function noRuntimeTypeError(path: Path): GraphQLError {
  const field = path.filter((p) => typeof p === 'string').at(-1);
  return new GraphQLError(`No subgraph resolving "${field}" has an object type for its value, so it can only be null.`, {
    path,
    extensions: { code: 'INVALID_GRAPHQL' },
  });
}

/** Renames the aliases back in `value` (data at `path`), nulling what can only be null. */
function restoreValue(value: unknown, path: Array<string | number>, errors: GraphQLError[]): unknown {
  if (Array.isArray(value)) return value.map((item, i) => restoreValue(item, [...path, i], errors));
  if (value === null || typeof value !== 'object') return value;
  const restored: Record<string, unknown> = {};
  for (const [key, child] of Object.entries(value)) {
    const name = originalName(key);
    const childPath = [...path, name];
    if (key.startsWith(NO_RUNTIME_TYPE_ALIAS)) {
      restored[name] = nullWhatCannotBe(child, childPath, errors);
    } else {
      restored[name] = restoreValue(child, childPath, errors);
    }
  }
  return restored;
}

function nullWhatCannotBe(value: unknown, path: Array<string | number>, errors: GraphQLError[]): unknown {
  if (value === null || value === undefined) return null;
  if (Array.isArray(value)) return value.map((item, i) => nullWhatCannotBe(item, [...path, i], errors));
  errors.push(noRuntimeTypeError(path));
  return null;
}

/** A response path in the rewritten names, in the client's. */
export function restorePath(path: Path | undefined): Path | undefined {
  return path?.map((segment) => (typeof segment === 'string' ? originalName(segment) : segment));
}

function restoreError(error: GraphQLError): GraphQLError {
  const path = restorePath(error.path);
  if (!path || path.every((segment, i) => segment === error.path![i])) return error;
  return new GraphQLError(error.message, {
    nodes: error.nodes,
    source: error.source,
    positions: error.positions,
    path,
    originalError: error.originalError,
    extensions: error.extensions,
  });
}

/** The parts of a gateway execution result the restore reads. */
export interface ExecutionOutcome {
  data?: Record<string, unknown> | null;
  errors?: ReadonlyArray<GraphQLError>;
  extensions?: Record<string, unknown>;
}

/**
 * Undoes `rewriteForPlanning` in an execution result: copies merged back (requires-conflicts.ts),
 * aliases renamed back in the data and in error paths, and a value where no object type can be
 * answered replaced by null with an error.
 */
export function restoreResult<T extends ExecutionOutcome>(result: T, at: Path = []): T {
  const added: GraphQLError[] = [];
  const merged = result.data ? mergeCopies(result.data, [...at], added) : result.data;
  const data = merged ? (restoreValue(merged, [...restorePath(at)!], added) as Record<string, unknown>) : result.data;
  // A field resolved twice for disagreeing `@requires` (a copy) can fail twice the same way: once
  // the copy's path is the client's, the second error says nothing the first does not.
  const seen = new Set<string>();
  const errors = [...(result.errors ?? []), ...added].map(restoreError).filter((error) => {
    const key = JSON.stringify([error.message, error.path, error.extensions?.code, error.extensions?.serviceName]);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  const extensions = result.extensions?.valueCompletion
    ? { ...result.extensions, valueCompletion: (result.extensions.valueCompletion as GraphQLError[]).map(restoreError) }
    : result.extensions;
  return { ...result, data, errors: errors.length ? errors : undefined, extensions };
}

/**
 * Stock Apollo Gateway files the errors it finds while shaping the response (a null for a
 * non-null field, an invalid value) under `extensions.valueCompletion` whenever no subgraph
 * reported an error, and the client sees `null` with no error. The spec makes each of them a
 * field error in `errors`; they are moved there.
 */
export function valueCompletionAsErrors<T extends ExecutionOutcome>(result: T): T {
  const completion = result.extensions?.valueCompletion as GraphQLError[] | undefined;
  if (!completion?.length) return result;
  const { valueCompletion: _moved, ...extensions } = result.extensions!;
  return {
    ...result,
    errors: [...(result.errors ?? []), ...completion],
    extensions: Object.keys(extensions).length ? extensions : undefined,
  };
}
