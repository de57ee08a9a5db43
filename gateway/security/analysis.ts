import {
  getNamedType,
  GraphQLError,
  isAbstractType,
  isCompositeType,
  isInputObjectType,
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
  type GraphQLInputType,
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

/** `@listSize` of one field (IBM's GraphQL cost directive spec, as Apollo Federation imports it). */
export interface ListSizeSettings {
  /** Size of the list when no slicing argument gives one. */
  assumedSize?: number;
  /** Arguments (or paths into input arguments, `input.first`) whose value is the list's size. */
  slicingArguments?: string[];
  /** Child fields the slicing arguments size instead of the field itself (a connection's `edges`, paths allowed). */
  sizedFields?: string[];
  /** With `slicingArguments`: exactly one of them must have a value (default true). */
  requireOneSlicingArgument?: boolean;
}

/** `@cost` / `@listSize` settings of the fields and types of a supergraph. */
export interface CostDirectives {
  /** `Type.field` → its settings. */
  fields: Map<string, { weight?: number } & ListSizeSettings>;
  /** Type name → `@cost(weight)` of the type. */
  types: Map<string, number>;
  /** `Type.field(argument)` and `Input.field` → their `@cost(weight)`, added when the client gives them. */
  inputs: Map<string, number>;
  /** Whether the supergraph declares any `@cost` or `@listSize` (in plain mode that turns cost checks on). */
  declared: boolean;
}

export const NO_COST_DIRECTIVES: CostDirectives = { fields: new Map(), types: new Map(), inputs: new Map(), declared: false };

const COST_NAMES = new Set(['cost', 'federation__cost', 'cost__cost']);
const LIST_SIZE_NAMES = new Set(['listSize', 'federation__listSize', 'cost__listSize']);

type DirectiveArguments = readonly { name: { value: string }; value: ValueNode }[] | undefined;

const argumentOf = (args: DirectiveArguments, name: string) => args?.find((a) => a.name.value === name)?.value;
const intArg = (args: DirectiveArguments, name: string) => {
  const v = argumentOf(args, name);
  return v?.kind === Kind.INT ? Number(v.value) : undefined;
};
const stringsArg = (args: DirectiveArguments, name: string) => {
  const v = argumentOf(args, name);
  if (v?.kind === Kind.STRING) return [v.value];
  return v?.kind === Kind.LIST ? v.values.flatMap((x) => (x.kind === Kind.STRING ? [x.value] : [])) : undefined;
};

/**
 * Reads `@cost(weight:)` and `@listSize(assumedSize:, slicingArguments:, sizedFields:,
 * requireOneSlicingArgument:)` from a (super)graph SDL. The API schema Apollo Server executes
 * against drops these directives, so they come from the supergraph the gateway loaded.
 */
export function costDirectivesFromSdl(sdl: string): CostDirectives {
  const out: CostDirectives = { fields: new Map(), types: new Map(), inputs: new Map(), declared: false };
  const weightOf = (directives: readonly { name: { value: string }; arguments?: DirectiveArguments }[] | undefined) => {
    const d = directives?.find((x) => COST_NAMES.has(x.name.value));
    return d ? intArg(d.arguments, 'weight') : undefined;
  };
  let doc: DocumentNode;
  try {
    doc = parse(sdl, { noLocation: true });
  } catch {
    return out;
  }
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
      if (field.kind === Kind.INPUT_VALUE_DEFINITION) {
        const w = weightOf(field.directives);
        if (w !== undefined) out.inputs.set(`${typeName}.${field.name.value}`, w);
        continue;
      }
      for (const arg of field.arguments ?? []) {
        const w = weightOf(arg.directives);
        if (w !== undefined) out.inputs.set(`${typeName}.${field.name.value}(${arg.name.value})`, w);
      }
      const entry: { weight?: number } & ListSizeSettings = {};
      for (const d of field.directives ?? []) {
        if (COST_NAMES.has(d.name.value)) entry.weight = intArg(d.arguments, 'weight');
        if (LIST_SIZE_NAMES.has(d.name.value)) {
          entry.assumedSize = intArg(d.arguments, 'assumedSize');
          entry.slicingArguments = stringsArg(d.arguments, 'slicingArguments');
          entry.sizedFields = stringsArg(d.arguments, 'sizedFields');
          const requireOne = argumentOf(d.arguments, 'requireOneSlicingArgument');
          entry.requireOneSlicingArgument = requireOne?.kind === Kind.BOOLEAN ? requireOne.value : true;
        }
      }
      if (Object.keys(entry).length) out.fields.set(`${typeName}.${field.name.value}`, entry);
    }
  }
  out.declared = out.types.size > 0 || out.fields.size > 0 || out.inputs.size > 0;
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

/** A field whose `@listSize(requireOneSlicingArgument: true)` was given no slicing argument, or several. */
export interface SlicingViolation {
  /** `Type.field`. */
  field: string;
  slicingArguments: string[];
  /** How many of them had a value. */
  given: number;
}

export interface CostEstimate {
  cost: number;
  slicingViolations: SlicingViolation[];
}

/**
 * Estimated cost of an operation, after IBM's GraphQL cost directive spec (the model of Apollo's
 * demand control): an object field costs 1 (or its type's / its own `@cost`), a scalar or enum
 * field 0, a mutation root field `mutationWeight`; a list field multiplies its element's cost
 * (itself plus its selections) by its size: the largest slicing argument given (literal,
 * variable, or the argument's default), else `@listSize(assumedSize)`, else `listSize`. With
 * `sizedFields`, the slicing arguments size those child fields instead. The `@cost` of the
 * arguments and input fields given is added once per field. A selection on an abstract type
 * costs as much as its most expensive possible type, not the sum of its fragments.
 */
export function estimateCost(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  variables: Record<string, unknown> | undefined,
  settings: CostSettings,
): CostEstimate {
  const slicingViolations: SlicingViolation[] = [];
  const root = schema.getRootType(operation.operation);
  if (!root) return { cost: 0, slicingViolations };
  const fragments = fragmentsOf(document);
  const isMutation = operation.operation === 'mutation';
  const vars: Record<string, unknown> = {};
  for (const v of operation.variableDefinitions ?? []) {
    if (v.defaultValue) vars[v.variable.name.value] = valueFromASTUntyped(v.defaultValue);
  }
  Object.assign(vars, variables);
  const { directives } = settings;
  // Per selection set and type: a fragment spread a thousand times is costed once per type.
  const memo = new Map<SelectionSetNode, Map<string, number>>();
  const visiting = new Set<string>();

  const numberOf = (value: unknown): number | undefined =>
    typeof value === 'number' && !Number.isNaN(value) ? Math.max(0, Math.floor(value)) : undefined;

  const argumentValue = (def: GraphQLField<unknown, unknown>, node: FieldNode, path: string): unknown => {
    const [name, ...rest] = path.split('.');
    const arg = def.args.find((a) => a.name === name);
    if (!arg) return undefined;
    const given = node.arguments?.find((a) => a.name.value === name)?.value;
    let value = given ? valueFromASTUntyped(given, vars) : undefined;
    if (value === undefined) value = arg.defaultValue;
    for (const key of rest) value = value !== null && typeof value === 'object' ? (value as Record<string, unknown>)[key] : undefined;
    return value;
  };

  const settingsOf = (parent: GraphQLNamedType, declaredOn: GraphQLNamedType | undefined, name: string) =>
    directives.fields.get(`${parent.name}.${name}`) ?? (declaredOn ? directives.fields.get(`${declaredOn.name}.${name}`) : undefined);

  /** The list size a field's arguments or `@listSize` give it. */
  const sizeOf = (def: GraphQLField<unknown, unknown>, node: FieldNode, declared: ListSizeSettings | undefined, field: string): number => {
    const names = declared?.slicingArguments ?? settings.slicingArguments;
    const given = names.map((n) => numberOf(argumentValue(def, node, n))).filter((v): v is number => v !== undefined);
    if (declared?.slicingArguments?.length && declared.requireOneSlicingArgument !== false && given.length !== 1) {
      slicingViolations.push({ field, slicingArguments: declared.slicingArguments, given: given.length });
    }
    return given.length ? Math.max(...given) : (declared?.assumedSize ?? settings.listSize);
  };

  const fieldDef = (parent: GraphQLNamedType, name: string): GraphQLField<unknown, unknown> | undefined => {
    if (name === '__schema') return SchemaMetaFieldDef as GraphQLField<unknown, unknown>;
    if (name === '__type') return TypeMetaFieldDef as GraphQLField<unknown, unknown>;
    if (isObjectType(parent) || isInterfaceType(parent)) return parent.getFields()[name];
    return undefined;
  };

  // Whether a fragment on `condition` applies to an object of type `type`.
  const applies = (condition: GraphQLNamedType | undefined | null, type: GraphQLNamedType): boolean => {
    if (!condition || condition === type || isAbstractType(type)) return true;
    return isAbstractType(condition) && isObjectType(type) && schema.isSubType(condition, type);
  };

  /** Sized children a parent's `@listSize(sizedFields)` hands down: `edges` here, `page.edges` one level deeper. */
  type Sized = Map<string, number> | undefined;
  const childSized = (sized: Sized, name: string): Sized => {
    if (!sized) return undefined;
    const out = new Map<string, number>();
    for (const [path, size] of sized) if (path.startsWith(`${name}.`)) out.set(path.slice(name.length + 1), size);
    return out.size ? out : undefined;
  };

  const fieldCost = (node: FieldNode, parent: GraphQLNamedType, declaredOn: GraphQLNamedType | undefined, sized: Sized): number => {
    const def = fieldDef(parent, node.name.value);
    if (!def) return 0;
    const named = getNamedType(def.type);
    const declared = settingsOf(parent, declaredOn, def.name);
    const typeWeight = directives.types.get(named.name) ?? (isCompositeType(named) ? 1 : 0);
    const own = declared?.weight ?? (isMutation && parent === root ? settings.mutationWeight : typeWeight);
    const lists = listDepth(def.type);
    let multiplier = 1;
    let sizedBelow = childSized(sized, def.name);
    if (declared?.sizedFields?.length) {
      const size = sizeOf(def, node, declared, `${parent.name}.${def.name}`);
      sizedBelow = new Map([...(sizedBelow ?? []), ...declared.sizedFields.map((f) => [f, size] as const)]);
      if (lists) multiplier = (declared.assumedSize ?? settings.listSize) * settings.listSize ** (lists - 1);
    } else if (sized?.has(def.name)) {
      if (lists) multiplier = sized.get(def.name)! * settings.listSize ** (lists - 1);
    } else if (lists) {
      multiplier = sizeOf(def, node, declared, `${parent.name}.${def.name}`) * settings.listSize ** (lists - 1);
    }
    const inner = node.selectionSet ? walk(node.selectionSet, named, sizedBelow) : 0;
    return multiplier * (own + inner) + argumentsCost(def, node, parent);
  };

  /** `@cost` of the arguments given, and of the input fields given inside them (once per field, not per list item). */
  const argumentsCost = (def: GraphQLField<unknown, unknown>, node: FieldNode, parent: GraphQLNamedType): number => {
    if (!directives.inputs.size || !node.arguments?.length) return 0;
    let cost = 0;
    for (const given of node.arguments) {
      const arg = def.args.find((a) => a.name === given.name.value);
      if (!arg) continue;
      const value = valueFromASTUntyped(given.value, vars);
      // A null asks for no work: only values given count.
      if (value === undefined || value === null) continue;
      cost += (directives.inputs.get(`${parent.name}.${def.name}(${arg.name})`) ?? 0) + inputCost(arg.type, value);
    }
    return cost;
  };
  const inputCost = (type: GraphQLInputType, value: unknown): number => {
    if (value === null || value === undefined) return 0;
    const t = isNonNullType(type) ? type.ofType : type;
    if (isListType(t)) return Array.isArray(value) ? value.reduce((n: number, v) => n + inputCost(t.ofType, v), 0) : inputCost(t.ofType, value);
    if (!isInputObjectType(t) || typeof value !== 'object') return 0;
    let cost = 0;
    const fields = t.getFields();
    for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
      const f = fields[key];
      if (f && v !== undefined && v !== null) cost += (directives.inputs.get(`${t.name}.${key}`) ?? 0) + inputCost(f.type, v);
    }
    return cost;
  };

  /** Cost of a selection set on one object type (or an abstract type with no possible types). */
  const walkConcrete = (set: SelectionSetNode, type: GraphQLNamedType, declaredOn: GraphQLNamedType | undefined, sized: Sized): number => {
    let cost = 0;
    for (const sel of set.selections) {
      if (sel.kind === Kind.FIELD) cost += fieldCost(sel, type, declaredOn, sized);
      else if (sel.kind === Kind.INLINE_FRAGMENT) {
        const condition = sel.typeCondition ? schema.getType(sel.typeCondition.name.value) : type;
        if (applies(condition, type)) cost += walkConcrete(sel.selectionSet, type, declaredOn, sized);
      } else {
        const fragment = fragments.get(sel.name.value);
        if (!fragment || visiting.has(fragment.name.value)) continue;
        if (!applies(schema.getType(fragment.typeCondition.name.value), type)) continue;
        visiting.add(fragment.name.value);
        cost += walkConcrete(fragment.selectionSet, type, declaredOn, sized);
        visiting.delete(fragment.name.value);
      }
    }
    return cost;
  };

  const walk = (set: SelectionSetNode, type: GraphQLNamedType, sized: Sized): number => {
    const perType = sized ? undefined : (memo.get(set) ?? memo.set(set, new Map()).get(set)!);
    const known = perType?.get(type.name);
    if (known !== undefined) return known;
    const possible = isAbstractType(type) ? schema.getPossibleTypes(type) : [];
    const cost = possible.length
      ? Math.max(...possible.map((t) => walkConcrete(set, t, type, sized)))
      : walkConcrete(set, type, undefined, sized);
    perType?.set(type.name, cost);
    return cost;
  };

  return { cost: walk(operation.selectionSet, root, undefined), slicingViolations };
}

/** The estimated cost alone (see `estimateCost`). */
export function operationCost(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  variables: Record<string, unknown> | undefined,
  settings: CostSettings,
): number {
  return estimateCost(schema, document, operation, variables, settings).cost;
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

/** Parses with the token limit; TOKEN_LIMIT_EXCEEDED when the document is longer (the pipeline's parse stage). */
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
