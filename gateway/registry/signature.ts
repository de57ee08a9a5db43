import {
  Kind,
  print,
  stripIgnoredCharacters,
  visit,
  type DocumentNode,
  type FragmentDefinitionNode,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';
import { sha256 } from './store';

/** What the registry records of one operation: no literal values (they can hold personal data). */
export interface OperationSignature {
  /** sha256 of the operation name and the normalized document. */
  hash: string;
  operationName: string | null;
  /** The operation and the fragments it uses, literals hidden, printed (readable, still valid GraphQL). */
  body: string;
}

function fragmentSpreads(selectionSet: SelectionSetNode | undefined, into: Set<string>): void {
  for (const s of selectionSet?.selections ?? []) {
    if (s.kind === Kind.FRAGMENT_SPREAD) into.add(s.name.value);
    else fragmentSpreads(s.selectionSet, into);
  }
}

/**
 * Normalizes one operation of a document: only the operation and the fragments it uses (in a
 * stable order), string and number literals hidden (`""`, `0`), list literals emptied. Enum and
 * boolean literals stay (they say which schema members the operation depends on). The result
 * still validates wherever the original did, so checks validate it against a proposed schema.
 */
export function operationSignature(document: DocumentNode, operationName?: string | null): OperationSignature | undefined {
  const operations = document.definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
  const operation = operationName ? operations.find((o) => o.name?.value === operationName) : operations.length === 1 ? operations[0] : undefined;
  if (!operation) return undefined;
  const fragments = new Map(
    document.definitions
      .filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION)
      .map((f) => [f.name.value, f]),
  );
  const used = new Set<string>();
  const queue = [operation.selectionSet];
  while (queue.length) {
    const found = new Set<string>();
    fragmentSpreads(queue.pop(), found);
    for (const name of found) {
      if (used.has(name) || !fragments.has(name)) continue;
      used.add(name);
      queue.push(fragments.get(name)!.selectionSet);
    }
  }
  const kept: DocumentNode = {
    kind: Kind.DOCUMENT,
    definitions: [operation, ...[...used].sort().map((n) => fragments.get(n)!)],
  };
  const hidden = visit(kept, {
    StringValue: (node) => ({ ...node, value: '', block: false }),
    IntValue: (node) => ({ ...node, value: '0' }),
    FloatValue: (node) => ({ ...node, value: '0' }),
    ListValue: (node) => ({ ...node, values: [] }),
  });
  const body = print(hidden);
  const name = operation.name?.value ?? null;
  return { hash: sha256(`${name ?? ''}\n${stripIgnoredCharacters(body)}`), operationName: name, body };
}

/** Introspection-only operations (tools asking for the schema) are not client usage. */
export function isIntrospectionOnly(document: DocumentNode, operationName?: string | null): boolean {
  const operations = document.definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
  const operation = operationName ? operations.find((o) => o.name?.value === operationName) : operations[0];
  if (!operation) return false;
  return operation.selectionSet.selections.every((s) => s.kind === Kind.FIELD && s.name.value.startsWith('__'));
}
