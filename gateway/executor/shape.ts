import {
  ERRORS,
  isCompositeType,
  isListType,
  isNonNullType,
  isObjectType,
  isCustomScalarType,
  isEnumType,
  isSubtype,
  Variable,
  type CompositeType,
  type NamedType,
  type Operation,
  type Schema,
  type SelectionSet,
  type Type,
} from '@apollo/federation-internals';
import type { FieldNode, GraphQLError } from 'graphql';
import { isUnknownEntity, type Obj } from './merge';

/*
 * The result shaper: what Apollo's computeResponse (resultShaping.js) does to the raw tree
 * (response names in selection order, `__typename`, @skip/@include, leaf validation, null
 * propagation, the same error messages), compiled once per operation from the planner's
 * Operation instead of walking federation-internals' selection objects on every request.
 */

/** A condition (`@skip` / `@include`): a constant or a variable's value. */
interface Condition {
  skip: boolean;
  value: boolean | string;
}

type TypeShape =
  | { kind: 'nonnull'; of: TypeShape; named: string }
  | { kind: 'list'; of: TypeShape; named: string }
  | { kind: 'composite'; name: string; type: CompositeType }
  | { kind: 'leaf'; name: string; leaf: LeafKind; enumValues?: ReadonlySet<string> };

/** How a leaf's value is checked (federation-internals' isValidLeafValue, decided once per field). */
type LeafKind = 'custom' | 'boolean' | 'int' | 'id' | 'float' | 'string' | 'enum';

const INTEGER_STRING = /^-?(?:0|[1-9][0-9]*)$/;

function isValidLeaf(shape: Extract<TypeShape, { kind: 'leaf' }>, value: unknown): boolean {
  const leaf = shape.leaf;
  if (leaf === 'custom') return true;
  if (typeof value === 'boolean') return leaf === 'boolean';
  if (typeof value === 'number' && isFinite(value)) {
    if (leaf === 'int' || leaf === 'id') return INTEGER_STRING.test(String(value));
    return leaf === 'float';
  }
  if (typeof value === 'string') {
    if (leaf === 'enum') return shape.enumValues!.has(value);
    return leaf === 'string' || leaf === 'id';
  }
  return false;
}

interface FieldShape {
  kind: 'field';
  responseName: string;
  conditions?: Condition[];
  typename: boolean;
  /** An introspection field (`__schema`, `__type`): answered from the API schema. */
  introspection?: FieldNode;
  type: TypeShape;
  selections?: Shape[];
}

/** A `@defer`red fragment: left out of the initial answer, shaped on its own when its part arrives. */
export interface DeferShape {
  label?: string;
  /** `if:` — a constant, or the variable deciding whether it is deferred at all. */
  when: boolean | string;
  /** The response names from the root to the fragment's parent object. */
  fieldPath: string[];
  /** The type the fragment is spread in (its parent object's declared type). */
  parentType: CompositeType;
  fragment: FragmentShape;
}

interface FragmentShape {
  kind: 'fragment';
  conditions?: Condition[];
  typeCondition?: CompositeType;
  /** Whether a runtime type name is a subtype of the condition (memoised per fragment). */
  applies: Map<string, boolean>;
  selections: Shape[];
  defer?: DeferShape;
}

type Shape = FieldShape | FragmentShape;

export type IntrospectionHandler = (field: FieldNode) => unknown;

interface Run {
  schema: Schema;
  variables: Record<string, unknown>;
  errors: GraphQLError[];
  introspect: IntrospectionHandler;
  /** Deferred fragments left out of this shaping (null: everything is shaped inline). */
  deferring: boolean;
  /** What the last updateValue found (INVALID, HAS_ERRORS). */
  flags: number;
  /** An answer object: a plain literal (V8's fast properties) unless a response name is `__proto__`. */
  newObject: () => Obj;
}

const NULL_BUBBLE_UP = 1;
/** The object is null without an error of its own: an unknown entity lacks a non-null field (merge.ts UNKNOWN_ENTITY). */
const NULL_UNKNOWN_ENTITY = 2;
const OK = 0;

/** An operation's shaper: compiled once, run for every request of that operation. */
export class Shaper {
  readonly selections: Shape[];
  readonly defers: DeferShape[] = [];
  private readonly defaults: Record<string, unknown>;
  readonly rootType: CompositeType;
  /**
   * A response name that Object.prototype also has (`__proto__`, `constructor`, `toString`) makes
   * every answer object of this operation prototype-less; otherwise they are literals, which
   * V8 keeps in fast mode (a prototype-less object is a hash table: bigger, slower to fill and to
   * serialise).
   */
  private prototypeNames = false;
  private readonly newObject = (): Obj => (this.prototypeNames ? Object.create(null) : {});

  constructor(readonly operation: Operation) {
    this.defaults = operation.collectDefaultedVariableValues();
    this.rootType = operation.schema().schemaDefinition.rootType(operation.rootKind)!;
    this.selections = this.compile(operation.selectionSet, []);
  }

  private compile(set: SelectionSet, fieldPath: string[]): Shape[] {
    const schema = set.parentType.schema();
    const out: Shape[] = [];
    for (const selection of set.selections()) {
      const element = selection.element;
      const conditions = conditionsOf(schema, element);
      if (selection.kind === 'FieldSelection') {
        const field = selection.element as import('@apollo/federation-internals').Field;
        const responseName = field.responseName();
        if (responseName in Object.prototype) this.prototypeNames = true;
        const shape: FieldShape = {
          kind: 'field',
          responseName,
          conditions,
          typename: field.name === '__typename',
          type: typeShape(field.definition.type!),
        };
        if (field.definition.isSchemaIntrospectionField()) shape.introspection = selection.expandFragments().toSelectionNode() as FieldNode;
        else if (selection.selectionSet) shape.selections = this.compile(selection.selectionSet, [...fieldPath, responseName]);
        out.push(shape);
      } else {
        const fragment = element as import('@apollo/federation-internals').FragmentElement;
        const shape: FragmentShape = {
          kind: 'fragment',
          conditions,
          typeCondition: fragment.typeCondition,
          applies: new Map(),
          selections: this.compile(selection.selectionSet!, fieldPath),
        };
        const deferArgs = fragment.hasDefer() ? fragment.deferDirectiveArgs() : undefined;
        if (deferArgs) {
          const when = deferArgs.if instanceof Variable ? deferArgs.if.name : deferArgs.if !== false;
          shape.defer = { label: deferArgs.label as string | undefined, when, fieldPath, parentType: set.parentType, fragment: shape };
          this.defers.push(shape.defer);
        }
        out.push(shape);
      }
    }
    return out;
  }

  /** Variables with the operation's defaults, as the shaper and the conditions read them. */
  variablesOf(variables: Record<string, unknown> | undefined): Record<string, unknown> {
    return { __proto__: null, ...this.defaults, ...variables } as Record<string, unknown>;
  }

  /** Whether a deferred fragment is deferred for these variables (`@defer(if:)`). */
  isDeferred(defer: DeferShape, variables: Record<string, unknown>): boolean {
    return typeof defer.when === 'boolean' ? defer.when : variables[defer.when] !== false;
  }

  /** Shapes the raw tree into the answer's `data` (Apollo's computeResponse). */
  shape(input: Obj | null | undefined, variables: Record<string, unknown>, introspect: IntrospectionHandler, deferring = false): { data: Obj | null | undefined; errors: GraphQLError[] } {
    if (!input) return { data: input, errors: [] };
    const run: Run = { schema: this.operation.schema(), variables, errors: [], introspect, deferring, flags: 0, newObject: this.newObject };
    const data: Obj = this.newObject();
    const res = applySelections(run, input, this.selections, data, [], this.rootType);
    return { data: res !== OK ? null : data, errors: run.errors };
  }

  /** Shapes one deferred fragment at one object: its part of an incremental payload. */
  shapeDeferred(defer: DeferShape, input: Obj, path: Array<string | number>, parentType: CompositeType, variables: Record<string, unknown>, introspect: IntrospectionHandler): { data: Obj | null; errors: GraphQLError[] } {
    const run: Run = { schema: this.operation.schema(), variables, errors: [], introspect, deferring: true, flags: 0, newObject: this.newObject };
    const data: Obj = this.newObject();
    const res = applySelections(run, input, defer.fragment.selections, data, path.slice(), defer.fragment.typeCondition ?? parentType);
    return { data: res !== OK ? null : data, errors: run.errors };
  }

  /** Whether a deferred fragment applies to an object of the raw tree. */
  deferApplies(defer: DeferShape, input: Obj, parentType: CompositeType): boolean {
    return typeConditionApplies(this.operation.schema(), defer.fragment, input.__typename, parentType);
  }
}

function conditionsOf(schema: Schema, element: { appliedDirectivesOf(d: never): Array<{ arguments(): Record<string, unknown> }> }): Condition[] | undefined {
  const out: Condition[] = [];
  for (const [directive, skip] of [[schema.skipDirective(), true], [schema.includeDirective(), false]] as const) {
    const applied = element.appliedDirectivesOf(directive as never)[0];
    if (!applied) continue;
    const arg = applied.arguments().if;
    out.push({ skip, value: arg instanceof Variable ? arg.name : (arg as boolean) });
  }
  return out.length ? out : undefined;
}

function typeShape(type: Type): TypeShape {
  if (isNonNullType(type)) {
    const of = typeShape(type.ofType);
    return { kind: 'nonnull', of, named: String(type.ofType) };
  }
  if (isListType(type)) return { kind: 'list', of: typeShape(type.ofType), named: String(type) };
  if (isCompositeType(type)) return { kind: 'composite', name: type.name, type };
  const named = type as NamedType;
  const schema = named.schema();
  if (isEnumType(named)) return { kind: 'leaf', name: named.name, leaf: 'enum', enumValues: new Set(named.values.map((v) => v.name)) };
  if (isCustomScalarType(named)) return { kind: 'leaf', name: named.name, leaf: 'custom' };
  const leaf: LeafKind =
    named === schema.booleanType() ? 'boolean' : named === schema.intType() ? 'int' : named === schema.idType() ? 'id' : named === schema.floatType() ? 'float' : 'string';
  return { kind: 'leaf', name: named.name, leaf };
}

function ifValue(value: boolean | string, variables: Record<string, unknown>, directive: string): boolean {
  if (typeof value === 'boolean') return value;
  const v = variables[value];
  if (typeof v !== 'boolean') throw new Error(`Unexpected value ${String(v)} for variable $${value} of @${directive}(if: $${value})`);
  return v;
}

function skipped(conditions: Condition[] | undefined, variables: Record<string, unknown>): boolean {
  if (!conditions) return false;
  for (const c of conditions) {
    const v = ifValue(c.value, variables, c.skip ? 'skip' : 'include');
    if (c.skip ? v : !v) return true;
  }
  return false;
}

function typeConditionApplies(schema: Schema, fragment: FragmentShape, typename: unknown, parentType: CompositeType): boolean {
  const condition = fragment.typeCondition;
  if (!condition) return true;
  const key = typeof typename === 'string' && typename ? typename : `\0${parentType.name}`;
  let applies = fragment.applies.get(key);
  if (applies === undefined) {
    if (typeof typename === 'string' && typename) {
      const type = schema.type(typename);
      applies = !!type && isSubtype(condition, type as never);
    } else {
      applies = isSubtype(condition, parentType as never);
    }
    fragment.applies.set(key, applies);
  }
  return applies;
}

function describeLast(path: Array<string | number>, currentType: string, parentType: CompositeType): string {
  const element = path[path.length - 1];
  return typeof element === 'string' ? `field ${parentType}.${element}` : `array element of type ${currentType} at index ${element}`;
}

function applySelections(run: Run, input: Obj, selections: Shape[], output: Obj, path: Array<string | number>, parentType: CompositeType): number {
  for (const selection of selections) {
    if (selection.conditions && skipped(selection.conditions, run.variables)) continue;
    if (selection.kind === 'field') {
      const name = selection.responseName;
      const outputValue = output[name];
      if (selection.introspection) {
        if (outputValue === undefined) output[name] = run.introspect(selection.introspection);
        continue;
      }
      let inputValue = Object.hasOwn(input, name) ? (input[name] ?? null) : null;
      if (selection.typename) {
        if (outputValue === undefined) {
          if (inputValue === null && name !== '__typename') inputValue = input.__typename ?? null;
          const type = inputValue !== null && typeof inputValue === 'string' ? (run.schema.type(inputValue) ?? parentType) : parentType;
          if (!isObjectType(type)) return NULL_BUBBLE_UP;
          output[name] = type.name;
        }
        continue;
      }
      if (inputValue === null && selection.type.kind === 'nonnull' && outputValue === undefined && !Object.hasOwn(input, name) && isUnknownEntity(input)) {
        return NULL_UNKNOWN_ENTITY;
      }
      path.push(name);
      output[name] = updateValue(run, outputValue, selection.type, inputValue, selection.selections, path, parentType);
      path.pop();
      if (run.flags & INVALID) return NULL_BUBBLE_UP;
    } else {
      if (run.deferring && selection.defer && isDeferredNow(selection.defer, run.variables)) continue;
      const typename = input.__typename;
      if (typename && typeof typename !== 'string') throw new Error(`Got unexpected value for __typename: ${typename}`);
      if (typeConditionApplies(run.schema, selection, typename, parentType)) {
        const res = applySelections(run, input, selection.selections, output, path, selection.typeCondition ?? parentType);
        if (res !== OK) return res;
      }
    }
  }
  return OK;
}

function isDeferredNow(defer: DeferShape, variables: Record<string, unknown>): boolean {
  return typeof defer.when === 'boolean' ? defer.when : variables[defer.when] !== false;
}

/*
 * updateValue answers the shaped value and leaves what it found in `run.flags`: no result object
 * per value, since a list answer has thousands of them and the garbage is most of the shaping's cost.
 */
const INVALID = 1;
const HAS_ERRORS = 2;

function invalid(run: Run, message: string, path: Array<string | number>): void {
  run.errors.push(ERRORS.INVALID_GRAPHQL.err(message, { path: Array.from(path) }));
}

function updateValue(run: Run, outputValue: unknown, type: TypeShape, inputValue: unknown, selections: Shape[] | undefined, path: Array<string | number>, parentType: CompositeType): unknown {
  run.flags = 0;
  if (outputValue === null || (outputValue !== undefined && !selections)) return outputValue;
  if (type.kind === 'nonnull') {
    const updated = updateValue(run, outputValue, type.of, inputValue, selections, path, parentType);
    if (updated === null) {
      if (!(run.flags & HAS_ERRORS)) invalid(run, `Cannot return null for non-nullable ${describeLast(path, type.named, parentType)}.`, path);
      run.flags = INVALID | HAS_ERRORS;
      return updated;
    }
    run.flags = 0;
    return updated;
  }
  if (inputValue === null) return null;
  if (type.kind === 'list') {
    if (!Array.isArray(inputValue)) throw new Error(`Invalid non-list value ${String(inputValue)} returned by subgraph for list type ${type.named}`);
    const list = outputValue === undefined ? new Array(inputValue.length).fill(undefined) : (outputValue as unknown[]);
    if (list.length !== inputValue.length) throw new Error(`[${inputValue}].length (${inputValue.length}) !== [${list}].length (${list.length})`);
    let nullify = false;
    let hasErrors = false;
    for (let i = 0; i < list.length; i++) {
      path.push(i);
      list[i] = updateValue(run, list[i], type.of, inputValue[i] ?? null, selections, path, parentType);
      path.pop();
      if (run.flags & INVALID) nullify = true;
      if (run.flags & HAS_ERRORS) hasErrors = true;
    }
    run.flags = hasErrors ? HAS_ERRORS : 0;
    return nullify ? null : list;
  }
  if (type.kind === 'composite') {
    if (!selections) throw new Error(`Invalid empty selection set for composite type ${type.name}`);
    if (typeof inputValue !== 'object') throw new Error(`Invalid non-object value ${String(inputValue)} returned by subgraph for composite type ${type.name}`);
    const obj = inputValue as Obj;
    const typename = obj.__typename;
    if (typename !== undefined && typeof typename !== 'string') throw new Error(`Invalid non-string value ${typename} for __typename at ${path}`);
    let objType = type.type;
    if (typename) {
      const named = run.schema.type(typename);
      if (!named || !isCompositeType(named)) {
        invalid(run, `Invalid __typename found for object at ${describeLast(path, type.name, parentType)}.`, path);
        run.flags = HAS_ERRORS;
        return null;
      }
      objType = named;
    }
    const out = outputValue === undefined ? run.newObject() : (outputValue as Obj);
    const res = applySelections(run, obj, selections, out, path, objType);
    if (res === NULL_UNKNOWN_ENTITY) {
      run.flags = 0;
      return null;
    }
    const hasErrors = res === NULL_BUBBLE_UP;
    run.flags = hasErrors ? HAS_ERRORS : 0;
    return hasErrors ? null : out;
  }
  const valid = isValidLeaf(type, inputValue);
  if (!valid) invalid(run, `Invalid value found for ${describeLast(path, type.name, parentType)}.`, path);
  run.flags = valid ? 0 : HAS_ERRORS;
  return valid ? inputValue : null;
}
