import { Kind, parse, validate, type DocumentNode, type GraphQLSchema, type OperationDefinitionNode } from 'graphql';
import { badInput } from '../../shared/platform/errors';
import { createLogger, type Logger } from '../../shared/platform/logger';
import type { PubSub } from '../../shared/platform/pubsub';
import { Coalesced, followRegistry } from '../supergraph/coalesce';
import { sha256, type AppManifestDoc, type AppOperation, type RegistryStore } from './store';

/** Pub/sub topic on which a newly published (or retired) app manifest is announced to every gateway. */
export const MANIFEST_TOPIC = 'registry.operations';

/** The format Apollo's persisted query manifests declare (`@apollo/generate-persisted-query-manifest`). */
export const MANIFEST_FORMAT = 'apollo-persisted-query-manifest';

/** Client names and versions are ids in the registry and in messages: kept short and plain. */
const CLIENT_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
const CLIENT_VERSION = /^[A-Za-z0-9][A-Za-z0-9._+-]{0,63}$/;
/** What the pipeline accepts as `extensions.persistedQuery.sha256Hash`. */
const OPERATION_ID = /^[A-Za-z0-9_.:-]{1,128}$/;
const MAX_OPERATIONS = 5000;

export function checkClientName(field: string, name: unknown): string {
  if (typeof name !== 'string' || !CLIENT_NAME.test(name)) throw badInput(field, 'must be a client name: letters, digits, ., _ or - (at most 64)');
  return name;
}

export function checkClientVersion(field: string, version: unknown): string {
  if (typeof version !== 'string' || !CLIENT_VERSION.test(version)) throw badInput(field, 'must be a version: letters, digits, ., _, + or - (at most 64)');
  return version;
}

/**
 * Reads Apollo's persisted query manifest `{ format, version: 1, operations: [{ id, name, type,
 * body }] }`. Only its shape is checked here (bad shape: BAD_USER_INPUT naming the entry); whether
 * each operation runs on the graph is `checkAppOperations`' business, so that every broken
 * operation is named at once.
 */
export function parseManifest(manifest: unknown): AppOperation[] {
  const m = manifest as { format?: unknown; version?: unknown; operations?: unknown };
  if (!m || typeof m !== 'object' || Array.isArray(m)) throw badInput('manifest', `must be an object { format: "${MANIFEST_FORMAT}", version: 1, operations: [...] }`);
  if (m.format !== MANIFEST_FORMAT) throw badInput('manifest.format', `must be "${MANIFEST_FORMAT}" (got ${JSON.stringify(m.format)})`);
  if (m.version !== 1) throw badInput('manifest.version', `must be 1 (got ${JSON.stringify(m.version)})`);
  if (!Array.isArray(m.operations) || !m.operations.length) throw badInput('manifest.operations', 'must be a non-empty list');
  if (m.operations.length > MAX_OPERATIONS) throw badInput('manifest.operations', `has more than ${MAX_OPERATIONS} operations`);
  const seen = new Set<string>();
  return m.operations.map((raw, i) => {
    const op = raw as { id?: unknown; name?: unknown; type?: unknown; body?: unknown };
    const at = `manifest.operations.${i}`;
    if (!op || typeof op !== 'object') throw badInput(at, 'must be an object { id, name, type, body }');
    if (typeof op.id !== 'string' || !OPERATION_ID.test(op.id)) throw badInput(`${at}.id`, 'must be the operation id (letters, digits, _ . : -, at most 128)');
    if (seen.has(op.id)) throw badInput(`${at}.id`, `"${op.id}" is listed twice`);
    seen.add(op.id);
    if (typeof op.body !== 'string' || !op.body.trim()) throw badInput(`${at}.body`, 'must be the operation document');
    if (op.body.length > 100_000) throw badInput(`${at}.body`, 'is longer than 100000 characters');
    if (op.name !== undefined && op.name !== null && typeof op.name !== 'string') throw badInput(`${at}.name`, 'must be a string');
    if (op.type !== 'query' && op.type !== 'mutation' && op.type !== 'subscription') throw badInput(`${at}.type`, 'must be query, mutation or subscription');
    return { id: op.id, name: (op.name as string | undefined) || null, type: op.type, body: op.body };
  });
}

/** A manifest operation that cannot be registered, and why. */
export interface BrokenAppOperation {
  id: string;
  name: string | null;
  reasons: string[];
}

/**
 * Checks each operation of a manifest against the live API schema: it parses, holds exactly one
 * operation whose name and type are the manifest's, validates, and its id is free (or already
 * registered with the same body). Returns every broken one with its reasons.
 */
export function checkAppOperations(api: GraphQLSchema, operations: AppOperation[], registeredBody: (id: string) => { body: string; by: string } | undefined): BrokenAppOperation[] {
  const broken: BrokenAppOperation[] = [];
  for (const op of operations) {
    const reasons: string[] = [];
    let document: DocumentNode | undefined;
    try {
      document = parse(op.body);
    } catch (err) {
      reasons.push((err as Error).message);
    }
    if (document) {
      const defs = document.definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
      if (defs.length !== 1) reasons.push(`the body must hold exactly one operation (it holds ${defs.length})`);
      else {
        const def = defs[0];
        if ((def.name?.value ?? null) !== op.name) reasons.push(`the manifest names it ${JSON.stringify(op.name)}, the body ${JSON.stringify(def.name?.value ?? null)}`);
        if (def.operation !== op.type) reasons.push(`the manifest says ${op.type}, the body is a ${def.operation}`);
      }
      reasons.push(...validate(api, document).map((e) => e.message));
    }
    // Apollo's manifests use the body's sha256 as id; a 64-hex id that is not is a corrupt entry.
    if (/^[0-9a-f]{64}$/.test(op.id) && op.id !== sha256(op.body)) reasons.push('the id looks like a sha256 but is not the sha256 of the body');
    const taken = registeredBody(op.id);
    if (taken && taken.body !== op.body) reasons.push(`the id is already registered by ${taken.by} with a different body`);
    if (reasons.length) broken.push({ id: op.id, name: op.name, reasons });
  }
  return broken;
}

/** One operation a gateway serves by id. */
export interface RegisteredOperation {
  body: string;
  name: string | null;
  client: string;
  version: string;
}

export interface RegisteredOperationsOptions {
  store: RegistryStore;
  /** Listens on `registry.operations` for an immediate reload (polling still runs as the safety net). */
  pubsub?: PubSub;
  /** How often the manifests are read (default 2000 ms, like launches; 0 turns polling off). */
  pollIntervalMs?: number;
  logger?: Logger;
}

/**
 * The registered operations (every app manifest in the registry), held in memory by each
 * gateway so the request pipeline looks ids up without a database round trip. It learns new
 * and retired manifests the way the gateway learns launches: a poll every few seconds (cheap: the
 * list of manifest ids) and a nudge on `registry.operations`.
 */
export class RegisteredOperations {
  private readonly log: Logger;
  private manifests = new Map<string, AppManifestDoc>();
  private byId = new Map<string, RegisteredOperation>();
  private unfollow?: () => Promise<void>;
  private stopped = false;
  private readonly runs = new Coalesced(() => this.refreshOnce(), () => this.stopped);

  constructor(private readonly options: RegisteredOperationsOptions) {
    this.log = options.logger ?? createLogger('gateway');
  }

  /** Loads the manifests (a database failure is logged; the poll retries) and starts following changes. */
  async start(): Promise<void> {
    await this.refresh();
    this.unfollow = followRegistry({
      refresh: () => this.refresh(),
      pollIntervalMs: this.options.pollIntervalMs ?? 2000,
      pubsub: this.options.pubsub,
      topic: MANIFEST_TOPIC,
      logger: this.log,
    });
  }

  /** The body of a registered operation, by its manifest id or by the sha256 of its body. */
  body(id: string): string | undefined {
    return this.byId.get(id)?.body;
  }

  get(id: string): RegisteredOperation | undefined {
    return this.byId.get(id);
  }

  /** Manifest ids (`client@version`) this gateway serves. */
  get manifestIds(): string[] {
    return [...this.manifests.keys()].sort();
  }

  /** Reads the manifest ids and loads new ones / drops retired ones. Concurrent calls coalesce. */
  refresh(): Promise<void> {
    return this.runs.run();
  }

  private async refreshOnce(): Promise<void> {
    if (this.stopped) return;
    try {
      const ids = new Set(await this.options.store.appManifestIds());
      const missing = [...ids].filter((id) => !this.manifests.has(id));
      const retired = [...this.manifests.keys()].filter((id) => !ids.has(id));
      if (!missing.length && !retired.length) return;
      const next = new Map(this.manifests);
      for (const id of retired) next.delete(id);
      for (const doc of await this.options.store.appManifestsByIds(missing)) next.set(doc._id, doc);
      this.install(next);
      if (missing.length) this.log.info({ manifests: missing }, 'serving newly registered operations');
      if (retired.length) this.log.info({ manifests: retired }, 'stopped serving retired operations');
    } catch (err) {
      this.log.warn({ err }, 'could not read the registered operations; keeping the current ones');
    }
  }

  private install(manifests: Map<string, AppManifestDoc>): void {
    const byId = new Map<string, RegisteredOperation>();
    // Oldest first, so an id keeps the body it was first registered with.
    for (const doc of [...manifests.values()].sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime())) {
      for (const op of doc.operations) {
        const entry = { body: op.body, name: op.name, client: doc.client, version: doc.version };
        if (!byId.has(op.id)) byId.set(op.id, entry);
        const hash = sha256(op.body);
        if (!byId.has(hash)) byId.set(hash, entry);
      }
    }
    this.manifests = manifests;
    this.byId = byId;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.unfollow?.();
    await this.runs.settled();
  }
}
