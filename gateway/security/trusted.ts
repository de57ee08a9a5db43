import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import {
  Kind,
  parse,
  print,
  visit,
  type DefinitionNode,
  type DocumentNode,
  type FragmentDefinitionNode,
  type OperationDefinitionNode,
} from 'graphql';

export const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

/** The printed form of one operation and the fragments it uses: equal for equal operations however formatted. */
export function canonicalOperation(document: DocumentNode, operation: OperationDefinitionNode): string {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const def of document.definitions) if (def.kind === Kind.FRAGMENT_DEFINITION) fragments.set(def.name.value, def);
  const used = new Map<string, FragmentDefinitionNode>();
  const collect = (node: OperationDefinitionNode | FragmentDefinitionNode) =>
    visit(node, {
      FragmentSpread(spread) {
        const name = spread.name.value;
        const fragment = fragments.get(name);
        if (fragment && !used.has(name)) {
          used.set(name, fragment);
          collect(fragment);
        }
      },
    });
  collect(operation);
  const definitions: DefinitionNode[] = [operation, ...[...used.values()].sort((a, b) => a.name.value.localeCompare(b.name.value))];
  return print({ kind: Kind.DOCUMENT, definitions });
}

/** An operation of the manifest. */
export interface TrustedOperation {
  id: string;
  name?: string;
  body: string;
}

/**
 * The persisted operations the gateway runs in trusted mode. A request is trusted when its body
 * is exactly a listed body (its sha256 is a listed id), when it names a listed id (APQ-style
 * `extensions.persistedQuery.sha256Hash` without a query), or when its operation prints the same
 * as a listed one (whitespace, comments and field formatting do not matter; fields do).
 */
export class TrustedOperations {
  private readonly byId = new Map<string, TrustedOperation>();
  private readonly canonical = new Set<string>();

  constructor(operations: TrustedOperation[]) {
    for (const op of operations) {
      this.byId.set(op.id, op);
      this.byId.set(sha256(op.body), op);
      const doc = parse(op.body, { noLocation: true });
      for (const def of doc.definitions) {
        if (def.kind === Kind.OPERATION_DEFINITION) this.canonical.add(canonicalOperation(doc, def));
      }
    }
  }

  get size(): number {
    return new Set(this.byId.values()).size;
  }

  operations(): TrustedOperation[] {
    return [...new Set(this.byId.values())];
  }

  /** The body of a listed id (sha256 of the body, or the manifest's own id). */
  body(id: string): string | undefined {
    return this.byId.get(id)?.body;
  }

  hasId(id: string): boolean {
    return this.byId.has(id);
  }

  /** Whether this operation is listed (by the hash of its source, else by its printed form). */
  trusts(sourceHash: string | undefined, document: DocumentNode, operation: OperationDefinitionNode): boolean {
    if (sourceHash && this.byId.has(sourceHash)) return true;
    return this.canonical.has(canonicalOperation(document, operation));
  }

  /**
   * Reads a manifest: a `.graphql` file of named operations (each with the fragments it uses
   * becomes one trusted operation, id = sha256 of its printed body), a JSON map `{ id: body }`, or
   * Apollo's persisted query manifest `{ format, version, operations: [{ id, name, body }] }`.
   */
  static fromFile(file: string): TrustedOperations {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (err) {
      throw new Error(`TRUSTED_OPERATIONS_MANIFEST: cannot read ${file} (${(err as Error).message})`);
    }
    try {
      return new TrustedOperations(file.endsWith('.json') ? fromJson(text) : fromGraphql(text));
    } catch (err) {
      throw new Error(`TRUSTED_OPERATIONS_MANIFEST: ${file} is not a valid manifest (${(err as Error).message})`);
    }
  }
}

function fromGraphql(text: string): TrustedOperation[] {
  const doc = parse(text, { noLocation: true });
  const operations: TrustedOperation[] = [];
  for (const def of doc.definitions) {
    if (def.kind !== Kind.OPERATION_DEFINITION) continue;
    if (!def.name) throw new Error('every operation of a .graphql manifest needs a name');
    const body = canonicalOperation(doc, def);
    operations.push({ id: sha256(body), name: def.name.value, body });
  }
  if (!operations.length) throw new Error('no operations');
  return operations;
}

function fromJson(text: string): TrustedOperation[] {
  const json = JSON.parse(text) as unknown;
  if (json && typeof json === 'object' && Array.isArray((json as { operations?: unknown }).operations)) {
    return (json as { operations: Array<{ id?: unknown; name?: unknown; body?: unknown }> }).operations.map((op, i) => {
      if (typeof op.body !== 'string') throw new Error(`operations[${i}].body must be a string`);
      return { id: typeof op.id === 'string' ? op.id : sha256(op.body), name: typeof op.name === 'string' ? op.name : undefined, body: op.body };
    });
  }
  if (json && typeof json === 'object' && !Array.isArray(json)) {
    return Object.entries(json as Record<string, unknown>).map(([id, body]) => {
      if (typeof body !== 'string') throw new Error(`${id}: the body must be a string`);
      return { id, body };
    });
  }
  throw new Error('expected { id: body } or { operations: [...] }');
}

/** A string cache as Apollo Server's `persistedQueries.cache` expects it. */
export interface StringCache {
  get(key: string): Promise<string | undefined>;
  set(key: string, value: string, options?: { ttl?: number | null }): Promise<void>;
  delete(key: string): Promise<boolean | void>;
}

/** A small LRU of APQ bodies (bounded by entries and by total characters). */
export class BoundedStringCache implements StringCache {
  private readonly map = new Map<string, string>();
  private chars = 0;
  constructor(
    private readonly maxEntries = 10_000,
    private readonly maxChars = 32 * 1024 * 1024,
  ) {}
  async get(key: string): Promise<string | undefined> {
    const v = this.map.get(key);
    if (v !== undefined) {
      this.map.delete(key);
      this.map.set(key, v);
    }
    return v;
  }
  async set(key: string, value: string): Promise<void> {
    await this.delete(key);
    this.map.set(key, value);
    this.chars += value.length;
    while (this.map.size > this.maxEntries || this.chars > this.maxChars) {
      const [oldest, body] = this.map.entries().next().value as [string, string];
      this.map.delete(oldest);
      this.chars -= body.length;
    }
  }
  async delete(key: string): Promise<boolean> {
    const v = this.map.get(key);
    if (v === undefined) return false;
    this.map.delete(key);
    this.chars -= v.length;
    return true;
  }
}

/**
 * The APQ cache Apollo Server uses: manifest ids always resolve to their bodies; other
 * registrations are kept only when `allowOthers` (APQ outside trusted mode). Apollo prefixes keys
 * with `apq:`.
 */
export class PersistedQueryCache implements StringCache {
  constructor(
    private readonly trusted: TrustedOperations | undefined,
    private readonly others: StringCache | undefined,
  ) {}
  private static id(key: string): string {
    return key.startsWith('apq:') ? key.slice(4) : key;
  }
  async get(key: string): Promise<string | undefined> {
    const listed = this.trusted?.body(PersistedQueryCache.id(key));
    if (listed !== undefined) return listed;
    return this.others?.get(key);
  }
  async set(key: string, value: string, options?: { ttl?: number | null }): Promise<void> {
    if (this.trusted?.hasId(PersistedQueryCache.id(key))) return;
    await this.others?.set(key, value, options);
  }
  async delete(key: string): Promise<boolean | void> {
    return this.others?.delete(key);
  }
}
