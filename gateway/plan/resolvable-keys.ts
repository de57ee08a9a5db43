import { Kind, parse, print, type ConstDirectiveNode, type DocumentNode } from 'graphql';

/**
 * Miss 2 — an entity whose keys differ across subgraphs answers null, with no error.
 *
 * Root cause (in @apollo/query-graphs, used by @apollo/query-planner 2.14): when a field with
 * `@requires` sends the gateway back into the subgraph the entity came from, the planner keys that
 * second fetch with `getLocallySatisfiableKey()`, which returns the FIRST `@key` of the type in
 * that subgraph whose fields are not external. It never looks at `resolvable`. A subgraph that
 * declares `@key(fields: "code { region line }", resolvable: false)` before its resolvable
 * `@key(fields: "id code { line batch }")` is sent representations `{ code { region line } }` it
 * cannot resolve: its `__resolveReference` gets no `id`, answers null, the required field is
 * missing, a non-null field bubbles the entity (or its parent) to null, and because Apollo
 * Gateway files that completion error under `extensions.valueCompletion`, the client sees no
 * error at all.
 *
 * Correction: the order of `@key`s carries no meaning in Federation, so the planner is given the
 * same supergraph with, in every type, the `resolvable: false` keys listed after the resolvable
 * ones. `getLocallySatisfiableKey()` then finds a key the subgraph resolves whenever there is one
 * (composition's satisfiability check guarantees there is one it can use). The gateway builds its
 * supergraph (planner, API schema, executor's schema) from the reordered SDL; what it reports as
 * its supergraph SDL (to `onSchemaLoadOrUpdate` listeners, the registry) stays the original text.
 */

/** The name the supergraph gives the join spec's `type` directive (`join__type` unless `@link(as:)` renamed it). */
function joinTypeDirectiveName(document: DocumentNode): string {
  for (const definition of document.definitions) {
    if (definition.kind !== Kind.SCHEMA_DEFINITION && definition.kind !== Kind.SCHEMA_EXTENSION) continue;
    for (const directive of definition.directives ?? []) {
      if (directive.name.value !== 'link') continue;
      const url = directive.arguments?.find((a) => a.name.value === 'url')?.value;
      if (url?.kind !== Kind.STRING || !url.value.startsWith('https://specs.apollo.dev/join/')) continue;
      const as = directive.arguments?.find((a) => a.name.value === 'as')?.value;
      return `${as?.kind === Kind.STRING ? as.value : 'join'}__type`;
    }
  }
  return 'join__type';
}

function isNonResolvableKey(directive: ConstDirectiveNode, joinType: string): boolean {
  if (directive.name.value !== joinType) return false;
  const resolvable = directive.arguments?.find((a) => a.name.value === 'resolvable')?.value;
  return resolvable?.kind === Kind.BOOLEAN && !resolvable.value;
}

/**
 * Returns the supergraph SDL with every type's non-resolvable `@join__type` keys moved after its
 * other directives (the relative order of everything else is kept), or `undefined` when no type
 * lists a non-resolvable key before another key, i.e. when the planner would already pick right.
 */
export function resolvableKeysFirst(supergraphSdl: string): string | undefined {
  // Most supergraphs have no non-resolvable key: no need to parse and print them on each load.
  if (!/resolvable\s*:\s*false/.test(supergraphSdl)) return undefined;
  const document = parse(supergraphSdl);
  const joinType = joinTypeDirectiveName(document);
  let changed = false;
  const definitions = document.definitions.map((definition) => {
    if (
      definition.kind !== Kind.OBJECT_TYPE_DEFINITION &&
      definition.kind !== Kind.OBJECT_TYPE_EXTENSION &&
      definition.kind !== Kind.INTERFACE_TYPE_DEFINITION &&
      definition.kind !== Kind.INTERFACE_TYPE_EXTENSION
    ) {
      return definition;
    }
    const directives = definition.directives ?? [];
    const nonResolvable = directives.filter((d) => isNonResolvableKey(d, joinType));
    if (nonResolvable.length === 0) return definition;
    const others = directives.filter((d) => !isNonResolvableKey(d, joinType));
    const reordered = [...others, ...nonResolvable];
    if (reordered.every((d, i) => d === directives[i])) return definition;
    changed = true;
    return { ...definition, directives: reordered };
  });
  return changed ? print({ ...document, definitions }) : undefined;
}
