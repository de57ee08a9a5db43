import {
  getNamedType,
  GraphQLError,
  isInterfaceType,
  isObjectType,
  Kind,
  TypeInfo,
  visit,
  visitWithTypeInfo,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLSchema,
  type InlineFragmentNode,
  type SelectionNode,
} from 'graphql';
import type { SupergraphFacts } from './facts';

/**
 * Gap — two `@requires` that need the same field with different arguments.
 *
 * Root cause (in @apollo/query-planner 2.14): `priceInEur @requires(fields: "price(currency:
 * \"EUR\")")` and `priceInGbp @requires(fields: "price(currency: \"GBP\")")` selected together
 * (`{ products { priceInEur priceInGbp } }`) are planned in one fetch of the requiring subgraph,
 * whose representations can hold one `price` only, and the fetch that obtains the inputs merges
 * the two required copies by response name, keeping one argument set: it asks
 * `price(currency: "GBP")` alone and `priceInEur` is computed from the GBP price. Aliasing cannot
 * help inside one representation: the requiring subgraph reads the required field under its own
 * name, so the two fields need two representations of the entity, i.e. two fetches.
 *
 * Correction: the planner plans the entity fetches of two different response paths apart. So,
 * in a selection set where such fields meet, the requiring fields are put in classes whose
 * requirements agree; the first class stays, every other class moves to a copy of the parent
 * field under an alias of its own (`products { priceInEur } cgCopy1__products: products {
 * priceInGbp }`), and a placeholder (`cgSlot1__priceInGbp: __typename`) keeps its place in the
 * client's order. Both copies are fetched by the same subgraph operation (one fetch, the parent
 * field resolved twice), and each requiring fetch gets its own inputs. After execution the copy's
 * values go into the placeholders, position by position; where the copy is null the client's
 * object is too (the same null propagation over the same types), and two resolutions of a list
 * of different lengths are reported as an error rather than merged wrongly.
 *
 * Requiring fields in fragments on the entity's type count too: a named fragment whose fields
 * move is inlined at that place (its other spreads are left alone). Not done where it cannot be:
 * under the root of a mutation (the copy would run the mutation twice) or a subscription, for
 * fields in fragments on another type (an interface or an implementation), and across two
 * selections of the parent field under one response name (those are left as the planner merges
 * them).
 */

const COPY = /^cgCopy(\d+)__(.+)$/;
const SLOT = /^cgSlot(\d+)__(.+)$/;
/** Alias prefixes of the copies and placeholders; a client using them is left as stock. */
export const RESERVED_PREFIXES = ['cgCopy', 'cgSlot'];

function responseName(node: FieldNode): string {
  return node.alias?.value ?? node.name.value;
}

/** Whether two requirements select one path with different arguments. */
function disagree(a: ReadonlyMap<string, string>, b: ReadonlyMap<string, string>): boolean {
  for (const [path, printed] of b) {
    const other = a.get(path);
    if (other !== undefined && other !== printed) return true;
  }
  return false;
}

type Fragments = ReadonlyMap<string, FragmentDefinitionNode>;

/** Whether a fragment with this type condition applies to every object of `typeName`. */
function applies(fragment: InlineFragmentNode | FragmentDefinitionNode, typeName: string): boolean {
  return !fragment.typeCondition || fragment.typeCondition.name.value === typeName;
}

/** The fields of `selections` at this level: direct ones and those of fragments on the same type. */
function levelFields(selections: readonly SelectionNode[], typeName: string, fragments: Fragments): FieldNode[] {
  return selections.flatMap((selection) => {
    if (selection.kind === Kind.FIELD) return [selection];
    const fragment = selection.kind === Kind.INLINE_FRAGMENT ? selection : fragments.get(selection.name.value);
    return fragment && applies(fragment, typeName) ? levelFields(fragment.selectionSet.selections, typeName, fragments) : [];
  });
}

/**
 * `selections` with each field of this level replaced by `onField`'s answer (dropped on `null`).
 * `keepOthers`: whether fields' siblings that are not at this level (fragments on other types)
 * stay. A named fragment whose content changes becomes an inline fragment with its directives,
 * so the other places that spread it are left alone.
 */
function rebuild(
  selections: readonly SelectionNode[],
  typeName: string,
  fragments: Fragments,
  onField: (field: FieldNode) => SelectionNode | null,
  keepOthers: boolean,
): SelectionNode[] {
  const out: SelectionNode[] = [];
  for (const selection of selections) {
    if (selection.kind === Kind.FIELD) {
      const replaced = onField(selection);
      if (replaced) out.push(replaced);
      continue;
    }
    const fragment = selection.kind === Kind.INLINE_FRAGMENT ? selection : fragments.get(selection.name.value);
    if (!fragment || !applies(fragment, typeName)) {
      if (keepOthers) out.push(selection);
      continue;
    }
    const inner = rebuild(fragment.selectionSet.selections, typeName, fragments, onField, keepOthers);
    const same = inner.length === fragment.selectionSet.selections.length && inner.every((s, i) => s === fragment.selectionSet.selections[i]);
    if (same && keepOthers) out.push(selection);
    else if (inner.length) {
      out.push({
        kind: Kind.INLINE_FRAGMENT,
        typeCondition: fragment.typeCondition,
        directives: selection.directives,
        selectionSet: { kind: Kind.SELECTION_SET, selections: inner },
      });
    }
  }
  return out;
}

/** `field` and the copies of it that its disagreeing requiring fields move to, or `undefined`. */
function separate(field: FieldNode, typeName: string, facts: SupergraphFacts, fragments: Fragments): FieldNode[] | undefined {
  const classes: Array<Map<string, string>> = [];
  const classOf = new Map<string, number>();
  for (const child of levelFields(field.selectionSet!.selections, typeName, fragments)) {
    const requirement = facts.requirements.get(`${typeName}.${child.name.value}`);
    const name = responseName(child);
    // Validation makes every selection of one response name the same field.
    if (!requirement || classOf.has(name)) continue;
    let index = classes.findIndex((needs) => !disagree(needs, requirement));
    if (index < 0) index = classes.push(new Map()) - 1;
    for (const [path, printed] of requirement) classes[index].set(path, printed);
    classOf.set(name, index);
  }
  if (classes.length < 2) return undefined;

  const selections = field.selectionSet!.selections;
  // Every selection of a moved field becomes a placeholder with its directives: they merge into
  // one response key, present exactly when the field would be, at the field's place.
  const kept = rebuild(
    selections,
    typeName,
    fragments,
    (child) => {
      const index = classOf.get(responseName(child));
      if (!index) return child;
      return {
        kind: Kind.FIELD,
        alias: { kind: Kind.NAME, value: `cgSlot${index}__${responseName(child)}` },
        name: { kind: Kind.NAME, value: '__typename' },
        directives: child.directives,
      };
    },
    true,
  );
  const copies = classes.slice(1).map((_, i): FieldNode => {
    const index = i + 1;
    return {
      ...field,
      alias: { kind: Kind.NAME, value: `cgCopy${index}__${responseName(field)}` },
      selectionSet: {
        kind: Kind.SELECTION_SET,
        selections: rebuild(selections, typeName, fragments, (child) => (classOf.get(responseName(child)) === index ? child : null), false),
      },
    };
  });
  return [{ ...field, selectionSet: { ...field.selectionSet!, selections: kept } }, ...copies];
}

/** Rewrites `document` as above, or returns `undefined` when no requiring fields disagree in it. */
export function separateDisagreeingRequires(document: DocumentNode, schema: GraphQLSchema, facts: SupergraphFacts): DocumentNode | undefined {
  if (facts.requirements.size < 2) return undefined;
  // Fragments whose content moved into the operation as inline fragments are separated on the
  // next pass; a pass that separates nothing more ends it.
  let current = document;
  for (let pass = 0; pass < 4; pass++) {
    const next = separationPass(current, schema, facts);
    if (!next) break;
    current = next;
  }
  return current === document ? undefined : current;
}

function separationPass(document: DocumentNode, schema: GraphQLSchema, facts: SupergraphFacts): DocumentNode | undefined {
  const fragments = new Map(
    document.definitions.filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION).map((f) => [f.name.value, f] as const),
  );
  const typeInfo = new TypeInfo(schema);
  let changed = false;
  const rewritten = visit(
    document,
    visitWithTypeInfo(typeInfo, {
      SelectionSet: {
        // On leaving, so the selection sets inside are rewritten first.
        leave(node) {
          const parent = typeInfo.getParentType();
          if (!parent || !(isObjectType(parent) || isInterfaceType(parent))) return undefined;
          if (parent === schema.getMutationType() || parent === schema.getSubscriptionType()) return undefined;
          let touched = false;
          const selections = node.selections.flatMap((selection) => {
            if (selection.kind !== Kind.FIELD || !selection.selectionSet) return [selection];
            const definition = parent.getFields()[selection.name.value];
            const split = definition && separate(selection, getNamedType(definition.type).name, facts, fragments);
            if (!split) return [selection];
            touched = true;
            return split;
          });
          if (!touched) return undefined;
          changed = true;
          return { ...node, selections };
        },
      },
    }),
  );
  return changed ? rewritten : undefined;
}

type Path = Array<string | number>;

function mismatch(path: Path): GraphQLError {
  return new GraphQLError('The two resolutions of this field that its @requires needed gave lists of different lengths.', {
    path,
    extensions: { code: 'INTERNAL_SERVER_ERROR' },
  });
}

/** Puts the values of copy `index` into `main`'s placeholders (see above). */
function fill(main: unknown, copy: unknown, index: number, path: Path, errors: GraphQLError[]): unknown {
  if (main === null || main === undefined || typeof main !== 'object') return main;
  if (copy === null || copy === undefined) return null;
  if (Array.isArray(main)) {
    if (!Array.isArray(copy) || copy.length !== main.length) {
      errors.push(mismatch(path));
      return null;
    }
    return main.map((item, i) => fill(item, copy[i], index, [...path, i], errors));
  }
  const from = copy as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  const placed = new Set<string>();
  for (const [key, value] of Object.entries(main)) {
    const slot = SLOT.exec(key);
    if (!slot || Number(slot[1]) !== index) {
      out[key] = value;
      continue;
    }
    placed.add(slot[2]);
    if (slot[2] in from) out[slot[2]] = from[slot[2]];
  }
  // A value whose placeholder was skipped (two selections with different @include) still counts.
  for (const [key, value] of Object.entries(from)) if (!placed.has(key)) out[key] = value;
  return out;
}

/** Merges every `cgCopy…` value of `value` (data at `path`) back into the field it copies. */
export function mergeCopies(value: unknown, path: Path, errors: GraphQLError[]): unknown {
  if (Array.isArray(value)) return value.map((item, i) => mergeCopies(item, [...path, i], errors));
  if (value === null || typeof value !== 'object') return value;
  const entries = Object.entries(value);
  if (!entries.some(([key]) => COPY.test(key)) && !entries.some(([, child]) => child !== null && typeof child === 'object')) return value;
  const out: Record<string, unknown> = {};
  for (const [key, child] of entries) {
    if (COPY.test(key)) continue;
    let merged = mergeCopies(child, [...path, key], errors);
    for (const [copyKey, copy] of entries) {
      const match = COPY.exec(copyKey);
      if (match && match[2] === key) merged = fill(merged, mergeCopies(copy, [...path, key], errors), Number(match[1]), [...path, key], errors);
    }
    out[key] = merged;
  }
  return out;
}

/** The client's name of a response key the rewrite gave (`cgCopy1__products` -> `products`). */
export function copiedName(key: string): string {
  return COPY.exec(key)?.[2] ?? key;
}
