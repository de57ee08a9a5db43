import {
  getNamedType,
  GraphQLError,
  isCompositeType,
  isInterfaceType,
  isListType,
  isNonNullType,
  isObjectType,
  Kind,
  parse,
  SchemaMetaFieldDef,
  TypeMetaFieldDef,
  valueFromASTUntyped,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLField,
  type GraphQLNamedType,
  type GraphQLSchema,
  type GraphQLType,
  type OperationDefinitionNode,
  type SelectionSetNode,
  type ValueNode,
} from 'graphql';
import { securityError } from './errors';

/*
 * Pure checks over a parsed document. Each is one walk of the operation with fragments followed
 * and memoised per fragment, so a fragment spread a thousand times is measured once and a
 * fragment cycle (invalid anyway; graphql's validation refuses it) cannot loop.
 */

/** What the cheap, variable-independent checks look at. */
export interface OperationShape {
  /** Deepest field nesting (a root field is depth 1), fragments followed. */
  depth: number;
  /** Aliases in the operation, fragments expanded where they are spread. */
  aliases: number;
  /** Fields selected at the root, fragments expanded. */
  rootFields: number;
}

function fragmentsOf(document: DocumentNode): Map<string, FragmentDefinitionNode> {
  const map = new Map<string, FragmentDefinitionNode>();
  for (const def of document.definitions) if (def.kind === Kind.FRAGMENT_DEFINITION) map.set(def.name.value, def);
  return map;
}

/** Depth, aliases and root fields of one operation of `document`, in one walk. */
export function measureOperation(document: DocumentNode, operation: OperationDefinitionNode): OperationShape {
  const fragments = fragmentsOf(document);
  const memo = new Map<string, { depth: number; aliases: number }>();
  const visiting = new Set<string>();

  const walk = (set: SelectionSetNode): { depth: number; aliases: number } => {
    let depth = 0;
    let aliases = 0;
    for (const sel of set.selections) {
      if (sel.kind === Kind.FIELD) {
        if (sel.alias) aliases += 1;
        if (sel.selectionSet) {
          const inner = walk(sel.selectionSet);
          depth = Math.max(depth, inner.depth + 1);
          aliases += inner.aliases;
        } else depth = Math.max(depth, 1);
      } else {
        const inner = sel.kind === Kind.INLINE_FRAGMENT ? walk(sel.selectionSet) : spread(sel.name.value);
        depth = Math.max(depth, inner.depth);
        aliases += inner.aliases;
      }
    }
    return { depth, aliases };
  };
  const spread = (name: string): { depth: number; aliases: number } => {
    const known = memo.get(name);
    if (known) return known;
    const fragment = fragments.get(name);
    if (!fragment || visiting.has(name)) return { depth: 0, aliases: 0 };
    visiting.add(name);
    const result = walk(fragment.selectionSet);
    visiting.delete(name);
    memo.set(name, result);
    return result;
  };
  const rootCount = (set: SelectionSetNode, seen: Set<string>): number => {
    let n = 0;
    for (const sel of set.selections) {
      if (sel.kind === Kind.FIELD) n += 1;
      else if (sel.kind === Kind.INLINE_FRAGMENT) n += rootCount(sel.selectionSet, seen);
      else {
        const fragment = fragments.get(sel.name.value);
        if (fragment && !seen.has(fragment.name.value)) {
          seen.add(fragment.name.value);
          n += rootCount(fragment.selectionSet, seen);
          seen.delete(fragment.name.value);
        }
      }
    }
    return n;
  };

  const { depth, aliases } = walk(operation.selectionSet);
  return { depth, aliases, rootFields: rootCount(operation.selectionSet, new Set()) };
}

/** `@cost` / `@listSize` settings of the fields and types of a supergraph. */
export interface CostDirectives {
  /** `Type.field` → its settings. */
  fields: Map<string, { weight?: number; assumedSize?: number; slicingArguments?: string[] }>;
  /** Type name → `@cost(weight)` of the type. */
  types: Map<string, number>;
}

export const NO_COST_DIRECTIVES: CostDirectives = { fields: new Map(), types: new Map() };

const COST_NAMES = new Set(['cost', 'federation__cost', 'cost__cost']);
const LIST_SIZE_NAMES = new Set(['listSize', 'federation__listSize', 'cost__listSize']);

/**
 * Reads `@cost(weight:)` and `@listSize(assumedSize:, slicingArguments:)` from a (super)graph SDL.
 * The API schema Apollo Server executes against drops these directives, so they come from the
 * supergraph the gateway loaded.
 */
export function costDirectivesFromSdl(sdl: string): CostDirectives {
  const out: CostDirectives = { fields: new Map(), types: new Map() };
  let doc: DocumentNode;
  try {
    doc = parse(sdl, { noLocation: true });
  } catch {
    return out;
  }
  const intArg = (args: readonly { name: { value: string }; value: ValueNode }[] | undefined, name: string) => {
    const v = args?.find((a) => a.name.value === name)?.value;
    return v?.kind === Kind.INT ? Number(v.value) : undefined;
  };
  for (const def of doc.definitions) {
    if (!('name' in def) || !def.name || !('directives' in def)) continue;
    const typeName = def.name.value;
    for (const d of def.directives ?? []) {
      if (COST_NAMES.has(d.name.value)) {
        const w = intArg(d.arguments, 'weight');
        if (w !== undefined) out.types.set(typeName, w);
      }
    }
    if (!('fields' in def) || !def.fields) continue;
    for (const field of def.fields) {
      if (field.kind !== Kind.FIELD_DEFINITION) continue;
      const entry: { weight?: number; assumedSize?: number; slicingArguments?: string[] } = {};
      for (const d of field.directives ?? []) {
        if (COST_NAMES.has(d.name.value)) entry.weight = intArg(d.arguments, 'weight');
        if (LIST_SIZE_NAMES.has(d.name.value)) {
          entry.assumedSize = intArg(d.arguments, 'assumedSize');
          const sa = d.arguments?.find((a) => a.name.value === 'slicingArguments')?.value;
          if (sa?.kind === Kind.LIST) {
            entry.slicingArguments = sa.values.flatMap((v) => (v.kind === Kind.STRING ? [v.value] : []));
          }
        }
      }
      if (Object.keys(entry).length) out.fields.set(`${typeName}.${field.name.value}`, entry);
    }
  }
  return out;
}

/** How the cost of an operation is estimated. */
export interface CostSettings {
  /** Size of a list without a slicing argument or `@listSize(assumedSize)`. */
  listSize: number;
  /** Arguments that bound a list's length when the field declares no `@listSize(slicingArguments)`. */
  slicingArguments: string[];
  /** Weight of a mutation's root field without its own `@cost`. */
  mutationWeight: number;
  directives: CostDirectives;
}

function listDepth(type: GraphQLType): number {
  let n = 0;
  let t: GraphQLType = type;
  for (;;) {
    if (isNonNullType(t)) t = t.ofType;
    else if (isListType(t)) {
      n += 1;
      t = t.ofType;
    } else return n;
  }
}

/**
 * Estimated cost of an operation (the `@cost` / `@listSize` model of Apollo's demand control and
 * IBM's cost spec, simplified): an object field costs 1 (or its type's / its own `@cost`), a
 * scalar or enum field 0, a mutation root field `mutationWeight`; a list field multiplies its
 * element's cost (itself plus its selections) by its size: the largest slicing argument given
 * (literal, variable, or the argument's default), else `@listSize(assumedSize)`, else `listSize`.
 * Fragments on different types of an abstract field are added up (an upper bound).
 */
export function operationCost(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  variables: Record<string, unknown> | undefined,
  settings: CostSettings,
): number {
  const fragments = fragmentsOf(document);
  const memo = new Map<string, number>();
  const visiting = new Set<string>();
  const root = schema.getRootType(operation.operation);
  if (!root) return 0;
  const isMutation = operation.operation === 'mutation';
  const variableDefaults = new Map<string, unknown>();
  for (const v of operation.variableDefinitions ?? []) {
    if (v.defaultValue) variableDefaults.set(v.variable.name.value, valueFromASTUntyped(v.defaultValue));
  }

  const numberOf = (value: unknown): number | undefined =>
    typeof value === 'number' && Number.isFinite(value) ? Math.max(0, Math.floor(value)) : undefined;

  const listSize = (parent: GraphQLNamedType, def: GraphQLField<unknown, unknown>, node: FieldNode): number => {
    const declared = settings.directives.fields.get(`${parent.name}.${def.name}`);
    const names = declared?.slicingArguments ?? settings.slicingArguments;
    let size: number | undefined;
    for (const name of names) {
      const arg = def.args.find((a) => a.name === name);
      if (!arg) continue;
      const given = node.arguments?.find((a) => a.name.value === name)?.value;
      let value: number | undefined;
      if (!given) value = numberOf(arg.defaultValue);
      else if (given.kind === Kind.VARIABLE) {
        const v = given.name.value;
        value = numberOf(variables && v in variables ? variables[v] : variableDefaults.get(v));
        if (value === undefined) value = numberOf(arg.defaultValue);
      } else value = numberOf(valueFromASTUntyped(given));
      if (value !== undefined) size = Math.max(size ?? 0, value);
    }
    return size ?? declared?.assumedSize ?? settings.listSize;
  };

  const fieldDef = (parent: GraphQLNamedType, name: string): GraphQLField<unknown, unknown> | undefined => {
    if (name === '__schema') return SchemaMetaFieldDef as GraphQLField<unknown, unknown>;
    if (name === '__type') return TypeMetaFieldDef as GraphQLField<unknown, unknown>;
    if (isObjectType(parent) || isInterfaceType(parent)) return parent.getFields()[name];
    return undefined;
  };

  const walk = (set: SelectionSetNode, parent: GraphQLNamedType): number => {
    let cost = 0;
    for (const sel of set.selections) {
      if (sel.kind === Kind.FIELD) {
        const def = fieldDef(parent, sel.name.value);
        if (!def) continue;
        const named = getNamedType(def.type);
        const declared = settings.directives.fields.get(`${parent.name}.${def.name}`);
        const typeWeight = settings.directives.types.get(named.name) ?? (isCompositeType(named) ? 1 : 0);
        const own = declared?.weight ?? (isMutation && parent === root ? settings.mutationWeight : typeWeight);
        const inner = sel.selectionSet ? walk(sel.selectionSet, named) : 0;
        const lists = listDepth(def.type);
        const multiplier = lists === 0 ? 1 : listSize(parent, def, sel) * settings.listSize ** (lists - 1);
        cost += multiplier * (own + inner);
      } else if (sel.kind === Kind.INLINE_FRAGMENT) {
        const type = sel.typeCondition ? schema.getType(sel.typeCondition.name.value) : parent;
        if (type) cost += walk(sel.selectionSet, type);
      } else {
        const name = sel.name.value;
        const known = memo.get(name);
        if (known !== undefined) {
          cost += known;
          continue;
        }
        const fragment = fragments.get(name);
        if (!fragment || visiting.has(name)) continue;
        const type = schema.getType(fragment.typeCondition.name.value);
        if (!type) continue;
        visiting.add(name);
        const c = walk(fragment.selectionSet, type);
        visiting.delete(name);
        memo.set(name, c);
        cost += c;
      }
    }
    return cost;
  };
  return walk(operation.selectionSet, root);
}

/** Does the cost of this operation depend on its variables (it declares any)? Otherwise it can be cached. */
export function costDependsOnVariables(operation: OperationDefinitionNode): boolean {
  return Boolean(operation.variableDefinitions?.length);
}

/** The limits checked on every operation (0 = no limit). */
export interface DocumentLimits {
  maxDepth: number;
  maxAliases: number;
  maxRootFields: number;
  maxCost: number;
}

/** The first limit the shape exceeds, as the error to answer with; undefined when within limits. */
export function shapeError(shape: OperationShape, limits: DocumentLimits): GraphQLError | undefined {
  if (limits.maxDepth && shape.depth > limits.maxDepth) {
    return securityError('DEPTH_LIMIT_EXCEEDED', `The operation is nested ${shape.depth} deep; the limit is ${limits.maxDepth}`, {
      limit: limits.maxDepth,
      actual: shape.depth,
    });
  }
  if (limits.maxAliases && shape.aliases > limits.maxAliases) {
    return securityError('ALIAS_LIMIT_EXCEEDED', `The operation uses ${shape.aliases} aliases; the limit is ${limits.maxAliases}`, {
      limit: limits.maxAliases,
      actual: shape.aliases,
    });
  }
  if (limits.maxRootFields && shape.rootFields > limits.maxRootFields) {
    return securityError(
      'ROOT_FIELD_LIMIT_EXCEEDED',
      `The operation selects ${shape.rootFields} root fields; the limit is ${limits.maxRootFields}`,
      { limit: limits.maxRootFields, actual: shape.rootFields },
    );
  }
  return undefined;
}

export function costError(cost: number, maxCost: number): GraphQLError | undefined {
  if (!maxCost || cost <= maxCost) return undefined;
  const actual = Number.isFinite(cost) ? Math.round(cost) : 'unbounded';
  return securityError('COST_LIMIT_EXCEEDED', `The operation's estimated cost is ${actual}; the limit is ${maxCost}`, {
    limit: maxCost,
    actual,
  });
}

// graphql 16 says "more that N tokens"; later versions may fix the typo.
const TOKEN_MESSAGE = /Document contains more tha[nt] (\d+) tokens/;

/** Whether a parse error is graphql's `maxTokens` refusal (Apollo reports it as GRAPHQL_PARSE_FAILED). */
export function isTokenLimitMessage(message: string): boolean {
  return TOKEN_MESSAGE.test(message);
}

/** Parses with the token limit; TOKEN_LIMIT_EXCEEDED when the document is longer (for tools and tests). */
export function parseWithTokenLimit(source: string, maxTokens: number): DocumentNode {
  try {
    return parse(source, maxTokens ? { maxTokens } : undefined);
  } catch (err) {
    if (err instanceof GraphQLError && isTokenLimitMessage(err.message)) throw tokenError(maxTokens);
    throw err;
  }
}

export function tokenError(maxTokens: number): GraphQLError {
  return securityError('TOKEN_LIMIT_EXCEEDED', `The document has more than ${maxTokens} tokens; the limit is ${maxTokens}`, {
    limit: maxTokens,
  });
}
