import { isAbstractType, isInterfaceType, isObjectType, type GraphQLSchema } from 'graphql';
import type { FetchDataRewrite, QueryPlanSelectionNode } from '@apollo/query-planner';

/*
 * The raw result tree: subgraph answers merged in place (no clones), the same merge Apollo's
 * executor does, so the shaper sees the same tree.
 */

export type Obj = Record<string, any>;

function isObject(value: unknown): value is Obj {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/**
 * Marks an entity of the raw tree that a subgraph answered null for without an error: an id that
 * subgraph does not know (a dangling reference). Its nullable fields from that subgraph read null
 * as usual; a missing non-null one makes the entity null at the field that referenced it without
 * an error of its own, as the Router answers (a client reads "no such lot"), where Apollo's
 * executor reports INVALID_GRAPHQL at the missing field. Only a non-null position above it reports.
 */
export const UNKNOWN_ENTITY = Symbol('citygraph.unknownEntity');

export function isUnknownEntity(value: unknown): boolean {
  return isObject(value) && (value as Obj)[UNKNOWN_ENTITY as never] === true;
}

/** Merges `source` into `target` in place (Apollo's deepMerge: lists of equal length element-wise). */
export function mergeInto(target: Obj, source: Obj | null | undefined): Obj {
  if (source === undefined || source === null) return target;
  for (const key in source) {
    const value = source[key];
    if (value === undefined) continue;
    // own properties only: a response name such as `constructor` must not reach Object.prototype's
    const existing = Object.hasOwn(target, key) ? target[key] : undefined;
    if (existing && isObject(value)) {
      mergeInto(existing, value);
    } else if (Array.isArray(value) && Array.isArray(existing) && value.length === existing.length) {
      for (let i = 0; i < value.length; i++) {
        if (isObject(existing[i]) && isObject(value[i])) mergeInto(existing[i], value[i]);
        else existing[i] = value[i];
      }
    } else if (key === '__proto__') {
      Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
    } else {
      target[key] = value;
    }
  }
  return target;
}

/** Whether an object of the raw tree is of `typeCondition` (Apollo's isObjectOfType). */
export function isObjectOfType(schema: GraphQLSchema, obj: Obj, typeCondition: string, defaultOnUnknownObjectType = false): boolean {
  const typename = obj.__typename;
  if (!typename) return defaultOnUnknownObjectType;
  if (typeCondition === typename) return true;
  const type = schema.getType(typename);
  if (!type) return false;
  const condition = schema.getType(typeCondition);
  if (!condition) return false;
  if (isAbstractType(condition)) return (isObjectType(type) || isInterfaceType(type)) && schema.isSubType(condition, type as never);
  return false;
}

const FRAGMENT_PREFIX = '... on ';

/** Applies a fetch's input or output rewrites to a value in place. */
export function applyRewrites(schema: GraphQLSchema, rewrites: FetchDataRewrite[] | undefined, value: unknown): void {
  if (!rewrites) return;
  for (const rewrite of rewrites) {
    if (rewrite.path.length === 0) continue;
    const parent = rewrite.path.slice(0, -1);
    const field = rewrite.path[rewrite.path.length - 1];
    const apply =
      rewrite.kind === 'ValueSetter'
        ? (obj: Obj) => {
            obj[field] = rewrite.setValueTo;
          }
        : (obj: Obj) => {
            const at = obj[field];
            // Apollo's KeyRenamer skips falsy values; kept so both executors send the same.
            if (at) {
              obj[rewrite.renameKeyTo] = at;
              obj[field] = undefined;
            }
          };
    applyAtPath(schema, parent, 0, value, apply);
  }
}

function applyAtPath(schema: GraphQLSchema, path: string[], at: number, value: unknown, fn: (obj: Obj) => void): void {
  if (Array.isArray(value)) {
    for (const v of value) applyAtPath(schema, path, at, v, fn);
    return;
  }
  if (typeof value !== 'object' || value === null) return;
  if (at === path.length) {
    fn(value as Obj);
    return;
  }
  const element = path[at];
  if (element.startsWith(FRAGMENT_PREFIX)) {
    if (isObjectOfType(schema, value as Obj, element.slice(FRAGMENT_PREFIX.length), true)) applyAtPath(schema, path, at + 1, value, fn);
  } else {
    applyAtPath(schema, path, at + 1, Object.hasOwn(value, element) ? (value as Obj)[element] : undefined, fn);
  }
}

/** The representation a `requires` selects from an entity of the raw tree (null: not complete). */
export function selectRepresentation(schema: GraphQLSchema, source: Obj | null, selections: readonly QueryPlanSelectionNode[]): Obj | null {
  if (source === null) return null;
  const result: Obj = Object.create(null);
  for (const selection of selections) {
    if (selection.kind === 'Field') {
      const name = selection.alias ?? selection.name;
      const value = Object.hasOwn(source, name) ? source[name] : undefined;
      if (value === undefined) return null;
      const sub = selection.selections;
      if (Array.isArray(value)) result[name] = value.map((v) => (sub ? selectRepresentation(schema, v, sub) : v));
      else if (sub) result[name] = selectRepresentation(schema, value, sub);
      else result[name] = value;
    } else {
      if (!selection.typeCondition) continue;
      if (isObjectOfType(schema, source, selection.typeCondition)) mergeInto(result, selectRepresentation(schema, source, selection.selections));
    }
  }
  return result;
}
