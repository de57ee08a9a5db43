import {
  getDirectiveValues,
  GraphQLIncludeDirective,
  GraphQLSkipDirective,
  Kind,
  visit,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';

/**
 * Gap — consecutive root mutations of one subgraph in one fetch.
 *
 * Root cause (in @apollo/query-planner 2.14): the planner groups the root fields of a mutation
 * into fetches by subgraph, merging CONSECUTIVE root fields of the same subgraph into one fetch,
 * and plans the entity fields other subgraphs add to those root fields' selections as fetches
 * that follow that group. For `mutation { d: double { value } e: double { history value } }`,
 * where `double` lives in `audit` and `value` in `counter`, the plan is
 * `Fetch(audit) { d: double { id } e: double { id } }` then `Flatten(d) Fetch(counter) { value }`:
 * `d.value` is read after `e` ran. The GraphQL spec (§6.2.2, "Mutation") executes root mutation
 * fields serially, each one's whole selection set completed before the next field starts, so `d`
 * must see the counter as `d` left it.
 *
 * Correction: a root field may share a fetch with the root fields after it only if its whole
 * selection is answered by the fetch that runs it, i.e. if the plan of that field alone is a
 * single fetch (or none). So the operation's root fields (collected as the executor would, with
 * the request's variables deciding `@skip` / `@include`) are cut into groups: a group ends after
 * each field whose own plan needs more than one fetch. Each group is planned and executed as an
 * operation of its own, one after the other, and their answers are merged in order. Within a
 * group the planner's batching stays: only the group's last field can need other subgraphs, and
 * its follow-up fetches run before the next group starts. A mutation that forms one group (the
 * common case) is executed unchanged, as one plan.
 *
 * Why not in the returned plan: the plan's root fetch is a single subgraph operation holding
 * several mutations; splitting it would mean re-printing the fetch's operation, its variable
 * usages and the paths of every dependent fetch, for the same result as planning each group.
 */

/** How many fetches the plan of one root field needs. */
export type FieldPlan = 'none' | 'one' | 'more';

/** One root field, with every field node selecting it under its response name. */
export interface RootField {
  responseName: string;
  nodes: FieldNode[];
}

function included(node: { directives?: FieldNode['directives'] }, variables: Record<string, unknown>): boolean {
  if (!node.directives?.length) return true;
  const skip = getDirectiveValues(GraphQLSkipDirective, node as FieldNode, variables);
  if (skip?.if === true) return false;
  const include = getDirectiveValues(GraphQLIncludeDirective, node as FieldNode, variables);
  return include?.if !== false;
}

/**
 * The operation's root fields in execution order, grouped by response name (GraphQL spec
 * CollectFields: fragments expanded, `@skip` / `@include` applied with `variables`, the coerced
 * variable values). The root type is an object type, so every fragment applies to it (validation
 * has checked their type conditions).
 */
export function collectRootFields(
  operation: OperationDefinitionNode,
  fragments: ReadonlyMap<string, FragmentDefinitionNode>,
  variables: Record<string, unknown>,
): RootField[] {
  const fields = new Map<string, RootField>();
  const visited = new Set<string>();
  const collect = (selectionSet: SelectionSetNode) => {
    for (const selection of selectionSet.selections) {
      if (!included(selection, variables)) continue;
      if (selection.kind === Kind.FIELD) {
        const responseName = selection.alias?.value ?? selection.name.value;
        const field = fields.get(responseName);
        if (field) field.nodes.push(selection);
        else fields.set(responseName, { responseName, nodes: [selection] });
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        collect(selection.selectionSet);
      } else {
        const name = selection.name.value;
        const fragment = fragments.get(name);
        if (visited.has(name) || !fragment) continue;
        visited.add(name);
        collect(fragment.selectionSet);
      }
    }
  };
  collect(operation.selectionSet);
  return [...fields.values()];
}

/** The document of `operation` with only `fields` as its root selections, and the fragments they use. */
export function operationWith(operation: OperationDefinitionNode, fragments: ReadonlyMap<string, FragmentDefinitionNode>, fields: RootField[]): DocumentNode {
  const selections = fields.flatMap((f) => f.nodes);
  const used = new Set<string>();
  const pending: Array<{ kind: string }> = [...selections];
  while (pending.length) {
    visit(pending.pop() as FieldNode, {
      FragmentSpread(spread) {
        const name = spread.name.value;
        const fragment = fragments.get(name);
        if (used.has(name) || !fragment) return;
        used.add(name);
        pending.push(fragment);
      },
    });
  }
  return {
    kind: Kind.DOCUMENT,
    definitions: [
      // Every variable definition is kept: the request's variables are the client's, and the
      // planner sends a subgraph only the variables its fetch uses.
      { ...operation, selectionSet: { kind: Kind.SELECTION_SET, selections } },
      ...[...fragments.values()].filter((f) => used.has(f.name.value)),
    ],
  };
}

/**
 * Cuts the root fields into groups that may each be planned as one operation (see above):
 * a group ends after a field whose own plan needs more than one fetch. A field that needs no
 * fetch at all (`__typename`) joins whatever group is open, or the last one.
 */
export function mutationGroups(fields: RootField[], planOf: (field: RootField) => FieldPlan): RootField[][] {
  const groups: RootField[][] = [];
  let open: RootField[] | undefined;
  for (const field of fields) {
    const plan = planOf(field);
    if (plan === 'none') {
      const target = open ?? groups.at(-1);
      if (target) target.push(field);
      else groups.push((open = [field]));
      continue;
    }
    if (!open) groups.push((open = []));
    open.push(field);
    if (plan === 'more') open = undefined;
  }
  return groups;
}

/** The parts of a gateway execution result the merge reads. */
interface Outcome {
  data?: Record<string, unknown> | null;
  errors?: ReadonlyArray<unknown>;
  extensions?: Record<string, unknown>;
}

/**
 * Runs the groups' operations one after the other and merges their answers in order (response
 * names are distinct across groups: each root field is in one group). A group that answers no
 * data (a request error) or `data: null` (a non-null root field failed, which nulls the whole
 * `data`) ends the mutation there, as graphql-js's serial execution does: the later root fields
 * are not run.
 */
export async function executeInSequence<R extends Outcome>(parts: Array<() => Promise<R>>): Promise<R> {
  let data: Record<string, unknown> | null = {};
  const errors: unknown[] = [];
  const extensions: Record<string, unknown> = {};
  let last: R | undefined;
  for (const part of parts) {
    last = await part();
    errors.push(...(last.errors ?? []));
    for (const [key, value] of Object.entries(last.extensions ?? {})) {
      // The errors the gateway files while shaping each part's answer are all kept.
      extensions[key] = key === 'valueCompletion' && Array.isArray(extensions[key]) && Array.isArray(value) ? [...(extensions[key] as unknown[]), ...value] : value;
    }
    if (!('data' in last) || last.data === undefined) {
      if (data && Object.keys(data).length === 0) return last;
      data = null;
      break;
    }
    if (last.data === null) {
      data = null;
      break;
    }
    Object.assign(data!, last.data);
  }
  return {
    ...(last as R),
    data,
    errors: errors.length ? errors : undefined,
    extensions: Object.keys(extensions).length ? extensions : undefined,
  };
}
