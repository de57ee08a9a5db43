import { readFileSync } from 'node:fs';
import { diff } from '@graphql-inspector/core';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { graphqlSync, parse, type GraphQLSchema } from 'graphql';
import { badInput, conflict, notFound } from '../../shared/platform/errors';
import { createLogger, type Logger } from '../../shared/platform/logger';
import type { PubSub } from '../../shared/platform/pubsub';
import { composeSubgraphs, readSupergraphConfig } from '../supergraph/compose';
import { checkAppOperations, checkClientName, checkClientVersion, MANIFEST_TOPIC, parseManifest, type BrokenAppOperation } from './app-operations';
import { apiSchemaOf, assessChange, type AffectedOperation, type BreakingChangeReport, type CheckedOperation, type SchemaChangeReport } from './checks';
import { sha256, type AppManifestDoc, type LaunchDoc, type LaunchKind, type OperationDoc, type RegistryStore, type SubgraphVersionDoc } from './store';

/** Pub/sub topic on which a new launch is announced to every gateway instance. */
export const LAUNCH_TOPIC = 'registry.launch';

export type ChangeOutcome = 'PASSED' | 'PUBLISHED' | 'NO_CHANGE' | 'COMPOSITION_ERRORS' | 'BREAKING_CHANGES' | 'SERVED_SDL_MISMATCH';

/** The published SDL is not what the running subgraph serves at its routing URL. */
export interface ServedSdlMismatch {
  subgraph: string;
  /** The URL asked (the routing URL after overrides such as `SUBGRAPH_<NAME>_URL`). */
  url: string;
  /** How the served schema differs from the published one, or why it could not be read. */
  differences: string[];
}

/** The answer to a check, publish, seed or rollback. `ok` false means refused: nothing was written. */
export interface ChangeResult {
  ok: boolean;
  outcome: ChangeOutcome;
  /** One line a person can read. */
  summary: string;
  forced: boolean;
  compositionErrors: string[];
  /** Every change to the API schema with graphql-inspector's level (breaking, dangerous, non-breaking). */
  changes: SchemaChangeReport[];
  breakingChanges: BreakingChangeReport[];
  dangerousChanges: string[];
  /** Protected operations (recorded in the window, or registered by an app) the change breaks. */
  affectedOperations: AffectedOperation[];
  /** Subgraphs whose running service does not serve the published SDL. */
  servedSdlMismatches: ServedSdlMismatch[];
  operationsChecked: number;
  /** The launch made (publish, seed, rollback) or the current one (no change). */
  launch?: LaunchDoc;
  /** The subgraph versions this change created. */
  versions: SubgraphVersionDoc[];
}

export interface PublishInput {
  subgraph: string;
  /** The SDL; or `introspectUrl` to ask the running subgraph for it (`{ _service { sdl } }`). */
  sdl?: string;
  introspectUrl?: string;
  /** Where the gateway sends this subgraph's fetches; defaults to the current one (or `introspectUrl` for a new subgraph). */
  routingUrl?: string;
  author: string;
  message?: string;
  /** Accept breaking changes that protected operations use, and an SDL the running subgraph does not serve. */
  force?: boolean;
  /** Allow a subgraph the current launch does not have (adds it to the graph). */
  newSubgraph?: boolean;
}

/** The answer to `publishOperations`. `ok` false: refused (broken operations), nothing was registered. */
export interface OperationsPublishResult {
  ok: boolean;
  outcome: 'PUBLISHED' | 'NO_CHANGE' | 'BROKEN_OPERATIONS';
  summary: string;
  /** The registered manifest (published or already there). */
  manifest?: AppManifestDoc;
  /** Each operation that does not run on the live API schema, and why. */
  broken: BrokenAppOperation[];
}

export interface SeedSubgraph {
  name: string;
  sdl: string;
  routingUrl: string;
}

export interface RegistryServiceOptions {
  store: RegistryStore;
  /** Announces launches on `registry.launch` so gateways reload at once instead of at their next poll. */
  pubsub?: PubSub;
  /** The URL actually used for a subgraph (routing overrides), for reachability probes. */
  resolveUrl?: (name: string, url: string) => string;
  /** Operations seen in this many days are checked (default 7). */
  operationWindowDays?: number;
  /** Timeout of introspection and reachability probes (default 5000 ms). */
  probeTimeoutMs?: number;
  /**
   * Compare a published SDL with what the subgraph serves at its routing URL (`_service { sdl }`)
   * and refuse a mismatch unless forced (default true). Off only where no subgraph runs.
   */
  verifyServedSdl?: boolean;
  clock?: () => Date;
  logger?: Logger;
}

interface Change {
  subgraph: string;
  sdl: string;
  routingUrl: string;
  /** An existing version (subgraph rollback) instead of a new one. */
  versionId?: string;
}

interface CurrentState {
  launch: LaunchDoc | null;
  versions: Map<string, SubgraphVersionDoc>;
}

const SUBGRAPH_NAME = /^[A-Za-z][A-Za-z0-9_-]{0,39}$/;
const MAX_ATTEMPTS = 5;

function checkName(field: string, name: unknown): string {
  if (typeof name !== 'string' || !SUBGRAPH_NAME.test(name)) {
    throw badInput(field, 'must be a subgraph name: a letter, then letters, digits, _ or - (at most 40)');
  }
  return name;
}

function checkUrl(field: string, url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw badInput(field, `"${url}" is not a URL`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw badInput(field, 'must be an http(s) URL');
  return url;
}

function checkSdl(field: string, sdl: unknown): string {
  if (typeof sdl !== 'string' || !sdl.trim()) throw badInput(field, 'is empty');
  if (sdl.length > 2_000_000) throw badInput(field, 'is larger than 2 MB');
  try {
    parse(sdl);
  } catch (err) {
    throw badInput(field, `is not valid GraphQL SDL: ${(err as Error).message}`);
  }
  return sdl;
}

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A subgraph schema printed the way @apollo/subgraph answers `_service { sdl }`. */
function serviceSdl(schema: GraphQLSchema): string {
  const result = graphqlSync({ schema, source: '{ _service { sdl } }' });
  return (result.data as { _service?: { sdl?: string } } | undefined)?._service?.sdl ?? '';
}

function emptyResult() {
  return {
    forced: false,
    compositionErrors: [] as string[],
    changes: [] as SchemaChangeReport[],
    breakingChanges: [] as SchemaChangeReport[],
    dangerousChanges: [] as string[],
    affectedOperations: [] as AffectedOperation[],
    servedSdlMismatches: [] as ServedSdlMismatch[],
    operationsChecked: 0,
    versions: [] as SubgraphVersionDoc[],
  };
}

/**
 * The schema registry: publish / check / seed / rollback of subgraph schemas, composed with
 * @apollo/composition and checked against the operations clients actually send.
 */
export class RegistryService {
  readonly store: RegistryStore;
  private readonly pubsub?: PubSub;
  private readonly resolveUrl: (name: string, url: string) => string;
  private readonly windowDays: number;
  private readonly probeTimeoutMs: number;
  private readonly verifyServedSdl: boolean;
  private readonly clock: () => Date;
  private readonly log: Logger;
  private apiCache?: { hash: string; schema: GraphQLSchema };

  constructor(options: RegistryServiceOptions) {
    this.store = options.store;
    this.pubsub = options.pubsub;
    this.resolveUrl = options.resolveUrl ?? ((_name, url) => url);
    this.windowDays = options.operationWindowDays ?? 7;
    this.probeTimeoutMs = options.probeTimeoutMs ?? 5000;
    this.verifyServedSdl = options.verifyServedSdl ?? true;
    this.clock = options.clock ?? (() => new Date());
    this.log = options.logger ?? createLogger('registry');
  }

  // ---- reads ----

  async currentLaunch(): Promise<LaunchDoc | null> {
    return this.store.currentLaunch();
  }

  async launches(limit = 50): Promise<LaunchDoc[]> {
    return this.store.listLaunches(Math.min(Math.max(limit, 1), 500));
  }

  /** The subgraphs of the current launch with their live versions. */
  async subgraphs(): Promise<SubgraphVersionDoc[]> {
    const state = await this.current();
    return [...state.versions.values()].sort((a, b) => a.subgraph.localeCompare(b.subgraph));
  }

  /** Versions of one subgraph (newest first), or of all. */
  async history(subgraph?: string, limit = 100): Promise<SubgraphVersionDoc[]> {
    if (subgraph !== undefined) checkName('subgraph', subgraph);
    const versions = await this.store.listVersions(subgraph, Math.min(Math.max(limit, 1), 1000));
    if (subgraph && !versions.length) throw notFound('Subgraph', subgraph);
    return versions;
  }

  /** The URL the gateways actually send a subgraph's fetches to (its routing URL after overrides). */
  routingUrlInUse(subgraph: string, routingUrl: string): string {
    return this.resolveUrl(subgraph, routingUrl);
  }

  /** App manifests (registered operations), newest first; `client` narrows to one app. */
  async appManifests(client?: string, limit = 100): Promise<AppManifestDoc[]> {
    if (client !== undefined) checkClientName('client', client);
    return this.store.listAppManifests(client, Math.min(Math.max(limit, 1), 1000));
  }

  async operations(sinceDays = this.windowDays): Promise<OperationDoc[]> {
    if (!Number.isFinite(sinceDays) || sinceDays <= 0 || sinceDays > 366) throw badInput('sinceDays', 'must be between 0 and 366 days');
    return this.store.operationsSince(this.since(sinceDays));
  }

  // ---- changes ----

  /** What `publish` would answer, without writing anything. */
  async check(input: PublishInput): Promise<ChangeResult> {
    const change = await this.changeFromInput(input);
    return this.propose([change], { kind: 'publish', author: input.author, message: input.message ?? '', force: !!input.force, allowNew: !!input.newSubgraph, dryRun: true, probe: true });
  }

  /**
   * Publishes a subgraph schema: composed with the current versions of the others; refused (with
   * readable errors, nothing written) on composition errors, and on breaking changes that recorded
   * operations use unless `force`. Becomes the current launch atomically.
   */
  async publish(input: PublishInput): Promise<ChangeResult> {
    const change = await this.changeFromInput(input);
    return this.propose([change], { kind: 'publish', author: input.author, message: input.message ?? '', force: !!input.force, allowNew: !!input.newSubgraph, dryRun: false, probe: true });
  }

  /**
   * Seeds (or updates) the registry from a set of subgraphs, e.g. rover's supergraph.yaml. The
   * first seed of an empty registry makes the first launch; later seeds are checked like a publish.
   */
  async seed(input: { subgraphs: SeedSubgraph[]; author: string; message?: string; force?: boolean }): Promise<ChangeResult> {
    if (!input.subgraphs.length) throw badInput('subgraphs', 'names no subgraph');
    const seen = new Set<string>();
    const changes = input.subgraphs.map((s, i) => {
      const name = checkName(`subgraphs.${i}.name`, s.name);
      if (seen.has(name)) throw badInput(`subgraphs.${i}.name`, `"${name}" is given twice`);
      seen.add(name);
      return { subgraph: name, sdl: checkSdl(`subgraphs.${i}.sdl`, s.sdl), routingUrl: checkUrl(`subgraphs.${i}.routingUrl`, s.routingUrl) };
    });
    return this.propose(changes, { kind: 'seed', author: input.author, message: input.message ?? 'seed', force: !!input.force, allowNew: true, dryRun: false, probe: false });
  }

  /** Seeds from rover's `supergraph.yaml` (paths resolved next to it). */
  async seedFromSupergraphConfig(configPath: string, author = 'seed', force = false): Promise<ChangeResult> {
    const config = readSupergraphConfig(configPath);
    return this.seed({
      subgraphs: config.subgraphs.map((s) => ({ name: s.name, routingUrl: s.routingUrl, sdl: readFileSync(s.schemaFile, 'utf8') })),
      author,
      message: `seed from ${configPath}`,
      force,
    });
  }

  /**
   * Rolls back: `{ launchId }` makes a new launch from that launch's set of versions;
   * `{ subgraph, versionId }` puts one subgraph back on an earlier version (composed with the
   * current others). A rollback is checked like a publish: one that breaks protected operations
   * (clients may have moved on to what it removes) is refused unless `force`.
   */
  async rollback(
    input: ({ launchId: string } | { subgraph: string; versionId: string }) & { author: string; message?: string; force?: boolean },
  ): Promise<ChangeResult> {
    if ('launchId' in input) return this.rollbackLaunch(input.launchId, input.author, input.message, !!input.force);
    const subgraph = checkName('subgraph', input.subgraph);
    const version = await this.store.version(String(input.versionId));
    if (!version || version.subgraph !== subgraph) throw notFound(`Version of ${subgraph}`, String(input.versionId));
    return this.propose(
      [{ subgraph, sdl: version.sdl, routingUrl: version.routingUrl, versionId: version._id }],
      { kind: 'rollback', author: input.author, message: input.message ?? `roll ${subgraph} back to ${version._id}`, force: !!input.force, allowNew: false, dryRun: false, probe: false },
    );
  }

  // ---- registered operations (trusted documents) ----

  /**
   * Registers the operations of one version of an app (Apollo's persisted query manifest). Each
   * operation is checked against the live API schema; if any is broken, nothing is written and
   * the answer names each one and why. Once stored, every gateway serves them by id within its
   * poll interval (at once with pub/sub), and schema checks protect them. A version is
   * immutable: publishing it again with the same operations is a no-op, with others refused.
   */
  async publishOperations(input: { client: string; version: string; manifest: unknown; author: string }): Promise<OperationsPublishResult> {
    const client = checkClientName('client', input.client);
    const version = checkClientVersion('version', input.version);
    if (typeof input.author !== 'string' || !input.author) throw badInput('author', 'is required');
    const operations = parseManifest(input.manifest);
    const id = `${client}@${version}`;
    const existing = await this.store.appManifest(id);
    if (existing) {
      if (existing.hash === sha256(JSON.stringify(operations))) {
        return { ok: true, outcome: 'NO_CHANGE', summary: `No change: ${id} is already registered with these ${operations.length} operation(s)`, manifest: existing, broken: [] };
      }
      throw conflict(`${id} is already registered with other operations; a published app version does not change (publish a new version, or retire this one first)`);
    }
    const launch = await this.store.currentLaunch();
    if (!launch) throw badInput('manifest', 'the registry has no launch yet to check the operations against (seed it first: npm run schema -- seed)');
    const taken = new Map<string, { body: string; by: string }>();
    for (const m of await this.store.listAppManifests(undefined, 10_000)) {
      for (const op of m.operations) if (!taken.has(op.id)) taken.set(op.id, { body: op.body, by: m._id });
    }
    const broken = checkAppOperations(this.apiSchema(launch.supergraphSdl), operations, (opId) => taken.get(opId));
    if (broken.length) {
      const names = broken.map((b) => b.name ?? b.id).join(', ');
      return {
        ok: false,
        outcome: 'BROKEN_OPERATIONS',
        summary: `Refused: ${broken.length} of ${operations.length} operation(s) of ${id} do not run on the current graph (${launch._id}): ${names}; nothing was registered`,
        broken,
      };
    }
    const { inserted, manifest } = await this.store.insertAppManifest({ client, version, operations, author: input.author });
    if (!inserted) {
      // Another publish of the same version landed between our read and our insert.
      if (manifest.hash === sha256(JSON.stringify(operations))) return { ok: true, outcome: 'NO_CHANGE', summary: `No change: ${id} is already registered`, manifest, broken: [] };
      throw conflict(`${id} was registered with other operations at the same time; nothing was changed`);
    }
    await this.announceManifest(id);
    this.log.info({ manifest: id, operations: operations.length, author: input.author }, 'app operations registered');
    return { ok: true, outcome: 'PUBLISHED', summary: `Registered ${operations.length} operation(s) of ${id} (checked against ${launch._id}); gateways serve them by id within seconds`, manifest, broken: [] };
  }

  /** Retires an app version: gateways stop serving its operations by id and checks stop protecting them. */
  async retireOperations(input: { client: string; version: string; author: string }): Promise<AppManifestDoc> {
    const id = `${checkClientName('client', input.client)}@${checkClientVersion('version', input.version)}`;
    const manifest = await this.store.appManifest(id);
    if (!manifest || !(await this.store.deleteAppManifest(id))) throw notFound('App version', id);
    await this.announceManifest(id);
    this.log.info({ manifest: id, author: input.author }, 'app operations retired');
    return manifest;
  }

  private async announceManifest(id: string): Promise<void> {
    await this.pubsub?.publish(MANIFEST_TOPIC, { manifest: id }).catch((err) => {
      // Gateways still find it at their next poll.
      this.log.warn({ err, manifest: id }, 'could not announce the app manifest');
    });
  }

  // ---- internals ----

  private since(days: number): Date {
    return new Date(this.clock().getTime() - days * 24 * 3600 * 1000);
  }

  private apiSchema(supergraphSdl: string): GraphQLSchema {
    const hash = sha256(supergraphSdl);
    if (this.apiCache?.hash === hash) return this.apiCache.schema;
    const schema = apiSchemaOf(supergraphSdl);
    this.apiCache = { hash, schema };
    return schema;
  }

  private async current(): Promise<CurrentState> {
    const launch = await this.store.currentLaunch();
    if (!launch) return { launch: null, versions: new Map() };
    const byId = await this.store.versionsByIds(launch.versions.map((v) => v.versionId));
    const versions = new Map<string, SubgraphVersionDoc>();
    for (const v of launch.versions) {
      const doc = byId.get(v.versionId);
      if (doc) versions.set(v.subgraph, doc);
    }
    return { launch, versions };
  }

  private async changeFromInput(input: PublishInput): Promise<Change> {
    const subgraph = checkName('subgraph', input.subgraph);
    if (typeof input.author !== 'string' || !input.author) throw badInput('author', 'is required');
    if (input.message !== undefined && input.message.length > 2000) throw badInput('message', 'is longer than 2000 characters');
    if (input.routingUrl !== undefined && input.routingUrl !== null) checkUrl('routingUrl', input.routingUrl);
    let sdl: string;
    if (input.sdl !== undefined && input.sdl !== null) {
      if (input.introspectUrl) throw badInput('introspectUrl', 'give either the SDL or an introspection URL, not both');
      sdl = checkSdl('sdl', input.sdl);
    } else if (input.introspectUrl) {
      sdl = checkSdl('introspectUrl', await this.introspect(checkUrl('introspectUrl', input.introspectUrl)));
    } else {
      throw badInput('sdl', 'give the subgraph SDL or an introspection URL');
    }
    // '' means "keep the current routing URL".
    return { subgraph, sdl, routingUrl: input.routingUrl || (input.introspectUrl ?? '') };
  }

  /** Asks a running subgraph for its SDL (`{ _service { sdl } }`, the federation subgraph query). */
  private async introspect(url: string): Promise<string> {
    let body: { data?: { _service?: { sdl?: string } }; errors?: Array<{ message: string }> };
    try {
      const res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: 'query __RegistryIntrospect__ { _service { sdl } }' }),
        signal: AbortSignal.timeout(this.probeTimeoutMs),
      });
      body = (await res.json()) as typeof body;
      if (!res.ok && !body?.data) throw new Error(`HTTP ${res.status}`);
    } catch (err) {
      throw badInput('introspectUrl', `could not introspect ${url}: ${(err as Error).message}`);
    }
    const sdl = body?.data?._service?.sdl;
    if (!sdl) {
      throw badInput('introspectUrl', `${url} did not answer { _service { sdl } } (is it a federation subgraph?)${body?.errors?.length ? `: ${body.errors[0].message}` : ''}`);
    }
    return sdl;
  }

  /** True when the URL answers `{ __typename }` as a GraphQL server. */
  private async reachable(name: string, url: string): Promise<string | undefined> {
    const target = this.resolveUrl(name, url);
    try {
      const res = await fetch(target, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: '{ __typename }' }),
        signal: AbortSignal.timeout(this.probeTimeoutMs),
      });
      const body = (await res.json().catch(() => ({}))) as { data?: { __typename?: string } };
      if (!body?.data?.__typename) return `${target} answered HTTP ${res.status} without a GraphQL result`;
      return undefined;
    } catch (err) {
      const cause = (err as { cause?: { code?: string; message?: string } }).cause;
      return `${target} is unreachable (${cause?.code ?? cause?.message ?? (err as Error).message})`;
    }
  }

  private async propose(
    changes: Change[],
    opts: { kind: LaunchKind; author: string; message: string; force: boolean; allowNew: boolean; dryRun: boolean; probe: boolean },
  ): Promise<ChangeResult> {
    const created: SubgraphVersionDoc[] = [];
    const probed = new Map<string, string | undefined>();
    const served = new Map<string, ServedSdlMismatch | undefined>();
    let launched = false;
    try {
      for (let attempt = 1; ; attempt++) {
        const state = await this.current();
        const next = new Map<string, { sdl: string; routingUrl: string; versionId?: string }>();
        for (const [name, v] of state.versions) next.set(name, { sdl: v.sdl, routingUrl: v.routingUrl, versionId: v._id });
        let changed = false;
        for (const c of changes) {
          const existing = state.versions.get(c.subgraph);
          if (!existing && !opts.allowNew) {
            const known = [...state.versions.keys()].sort();
            throw badInput(
              'subgraph',
              `unknown subgraph "${c.subgraph}": ${known.length ? `the graph has ${known.join(', ')} (add a new subgraph with newSubgraph / --new)` : 'the registry is empty (seed it first: npm run schema -- seed)'}`,
            );
          }
          const routingUrl = c.routingUrl || existing?.routingUrl;
          if (!routingUrl) throw badInput('routingUrl', `is required for the new subgraph "${c.subgraph}"`);
          if (opts.probe && routingUrl !== existing?.routingUrl) {
            if (!probed.has(routingUrl)) probed.set(routingUrl, await this.reachable(c.subgraph, routingUrl));
            const problem = probed.get(routingUrl);
            if (problem) throw badInput('routingUrl', `the subgraph must answer at its routing URL: ${problem}`);
          }
          const same = existing && existing.sdl === c.sdl && existing.routingUrl === routingUrl;
          if (!same) changed = true;
          const reuse = same ? existing!._id : c.versionId ?? created.find((v) => v.subgraph === c.subgraph && v.sdl === c.sdl && v.routingUrl === routingUrl)?._id;
          next.set(c.subgraph, { sdl: c.sdl, routingUrl, versionId: reuse });
        }
        const base = emptyResult();
        if (!changed) {
          return { ...base, ok: true, outcome: 'NO_CHANGE', summary: `No change: the current launch${state.launch ? ` ${state.launch._id}` : ''} already has this schema`, launch: state.launch ?? undefined };
        }

        const names = [...next.keys()].sort();
        const composed = composeSubgraphs(names.map((n) => ({ name: n, url: next.get(n)!.routingUrl, sdl: next.get(n)!.sdl })));
        if (!composed.supergraphSdl) {
          return {
            ...base,
            ok: false,
            outcome: 'COMPOSITION_ERRORS',
            compositionErrors: composed.errors,
            summary: `Refused: composition failed with ${composed.errors.length} error(s); nothing was changed`,
          };
        }
        const mismatches: ServedSdlMismatch[] = [];
        if (opts.probe && this.verifyServedSdl) {
          for (const c of changes) {
            const routingUrl = next.get(c.subgraph)!.routingUrl;
            const key = `${c.subgraph}\n${routingUrl}`;
            if (!served.has(key)) served.set(key, await this.servedSdlMismatch(c.subgraph, routingUrl, c.sdl));
            const mismatch = served.get(key);
            if (mismatch) mismatches.push(mismatch);
          }
        }
        const newApi = this.apiSchema(composed.supergraphSdl);
        const oldApi = state.launch ? this.apiSchema(state.launch.supergraphSdl) : null;
        const report = await assessChange(oldApi, newApi, oldApi ? await this.protectedOperations() : []);
        const breaking = report.affectedOperations.length > 0;
        const result = { ...base, ...report, servedSdlMismatches: mismatches, forced: (breaking || mismatches.length > 0) && opts.force };
        const changesLine = this.changesLine(report);
        if (breaking && !opts.force) {
          return { ...result, ok: false, outcome: 'BREAKING_CHANGES', summary: `Refused: ${changesLine}; nothing was changed. ${this.brokenLine(report.affectedOperations)}. Publish anyway with --force (admin API: force: true)` };
        }
        if (mismatches.length && !opts.force) {
          return {
            ...result,
            ok: false,
            outcome: 'SERVED_SDL_MISMATCH',
            summary: `Refused: ${mismatches.map((m) => `${m.subgraph} at ${m.url}`).join(', ')} does not serve this SDL (deploy the subgraph first); nothing was changed. Publish anyway with --force (admin API: force: true)`,
          };
        }
        if (opts.dryRun) {
          return { ...result, ok: true, outcome: 'PASSED', summary: `Check passed: composes; ${changesLine}${result.forced ? ' (--force given)' : ''}` };
        }

        const versions: Array<{ subgraph: string; versionId: string }> = [];
        for (const name of names) {
          const entry = next.get(name)!;
          if (!entry.versionId) {
            const doc = await this.store.insertVersion({ subgraph: name, sdl: entry.sdl, routingUrl: entry.routingUrl, author: opts.author, message: opts.message });
            created.push(doc);
            entry.versionId = doc._id;
          }
          versions.push({ subgraph: name, versionId: entry.versionId });
        }
        const launch = await this.store.insertLaunch({
          kind: opts.kind,
          versions,
          supergraphSdl: composed.supergraphSdl,
          author: opts.author,
          message: opts.message,
          previousLaunchId: state.launch?._id ?? null,
          forced: result.forced,
          ...(opts.kind === 'rollback' ? { rolledBackTo: versions.filter((v) => changes.some((c) => c.versionId === v.versionId)).map((v) => v.versionId).join(', ') } : {}),
        });
        if (await this.store.compareAndSetCurrent(state.launch?._id ?? null, launch)) {
          launched = true;
          await this.store.markLaunched(launch._id);
          launch.status = 'launched';
          await this.announce(launch);
          const own = created.filter((v) => versions.some((x) => x.versionId === v._id));
          this.log.info({ launch: launch._id, kind: opts.kind, author: opts.author, forced: result.forced }, 'schema launched');
          return { ...result, ok: true, outcome: 'PUBLISHED', summary: `Launched ${launch._id}: ${changesLine}${result.forced ? ' (forced)' : ''}`, launch, versions: own };
        }
        // Another publish moved the current launch first: recompose on top of it.
        await this.store.deleteLaunch(launch._id);
        if (attempt >= MAX_ATTEMPTS) {
          throw conflict('Another publish changed the graph at the same time, several times in a row; nothing was changed. Try again.');
        }
        await pause(10 + Math.random() * 40 * attempt);
      }
    } finally {
      if (!launched) for (const v of created) await this.store.deleteVersion(v._id).catch(() => {});
    }
  }

  private async rollbackLaunch(launchId: string, author: string, message: string | undefined, force: boolean): Promise<ChangeResult> {
    const id = String(launchId).trim();
    const normalized = /^\d+$/.test(id) ? `L${id}` : id;
    for (let attempt = 1; ; attempt++) {
      const target = await this.store.launch(normalized);
      if (!target || target.status !== 'launched') throw notFound('Launch', id);
      const current = await this.store.currentLaunch();
      const base = emptyResult();
      if (current && current.supergraphHash === target.supergraphHash) {
        return { ...base, ok: true, outcome: 'NO_CHANGE', summary: `No change: the current launch ${current._id} already serves the supergraph of ${target._id}`, launch: current };
      }
      const oldApi = current ? this.apiSchema(current.supergraphSdl) : null;
      const report = await assessChange(oldApi, this.apiSchema(target.supergraphSdl), oldApi ? await this.protectedOperations() : []);
      const breaking = report.affectedOperations.length > 0;
      if (breaking && !force) {
        return {
          ...base,
          ...report,
          ok: false,
          outcome: 'BREAKING_CHANGES',
          summary: `Refused: rolling back to ${target._id} makes ${this.changesLine(report)}; nothing was changed. ${this.brokenLine(report.affectedOperations)}. Roll back anyway with --force (admin API: force: true)`,
        };
      }
      const launch = await this.store.insertLaunch({
        kind: 'rollback',
        versions: target.versions,
        supergraphSdl: target.supergraphSdl,
        author,
        message: message ?? `roll back to ${target._id}`,
        previousLaunchId: current?._id ?? null,
        rolledBackTo: target._id,
        forced: breaking,
      });
      if (await this.store.compareAndSetCurrent(current?._id ?? null, launch)) {
        await this.store.markLaunched(launch._id);
        launch.status = 'launched';
        await this.announce(launch);
        this.log.info({ launch: launch._id, rolledBackTo: target._id, author, forced: breaking }, 'schema rolled back');
        const line = breaking ? `; it breaks ${report.affectedOperations.length} protected operation(s) (forced)` : '';
        return { ...base, ...report, forced: breaking, ok: true, outcome: 'PUBLISHED', summary: `Launched ${launch._id}: rolled back to ${target._id}${line}`, launch };
      }
      await this.store.deleteLaunch(launch._id);
      if (attempt >= MAX_ATTEMPTS) throw conflict('Another publish changed the graph at the same time; nothing was changed. Try again.');
      await pause(10 + Math.random() * 40 * attempt);
    }
  }

  /** `2 breaking, 1 dangerous, 3 non-breaking change(s); 1 protected operation affected` */
  private changesLine(report: { changes: SchemaChangeReport[]; affectedOperations: AffectedOperation[] }): string {
    if (!report.changes.length) return 'no changes to the API schema';
    const count = (level: string) => report.changes.filter((c) => c.level === level).length;
    const levels = `${count('BREAKING')} breaking, ${count('DANGEROUS')} dangerous, ${count('NON_BREAKING')} non-breaking change(s)`;
    return count('BREAKING') ? `${levels}, ${report.affectedOperations.length} protected operation(s) affected` : levels;
  }

  /** `It breaks GetPrices of ios@2.1 (registered), TopProducts of web (recorded, 57 requests in 7 days)` */
  private brokenLine(affected: AffectedOperation[]): string {
    const one = (a: AffectedOperation) =>
      `${a.operationName ?? '(anonymous)'} of ${a.clientName}${a.clientVersion ? `@${a.clientVersion}` : ''} (${a.source === 'registered' ? 'registered' : `recorded, ${a.count} request(s) in ${this.windowDays} days`})`;
    const shown = affected.slice(0, 5).map(one).join(', ');
    return `It breaks ${shown}${affected.length > 5 ? ` and ${affected.length - 5} more` : ''}`;
  }

  /**
   * What the checks protect: the operations clients sent in the window, and every operation an
   * app registered (they run by id, whether or not anyone sent them lately).
   */
  private async protectedOperations(): Promise<CheckedOperation[]> {
    const recorded: CheckedOperation[] = (await this.store.operationsSince(this.since(this.windowDays))).map((o) => ({
      key: o._id,
      signatureHash: o.signatureHash,
      operationName: o.operationName,
      body: o.body,
      clientName: o.clientName,
      clientVersion: o.clientVersion ?? null,
      source: 'recorded',
      count: o.count,
      lastSeen: o.lastSeen,
    }));
    const registered: CheckedOperation[] = (await this.store.listAppManifests(undefined, 10_000)).flatMap((m) =>
      m.operations.map((op) => ({
        key: `${m._id}:${op.id}`,
        signatureHash: op.id,
        operationName: op.name,
        body: op.body,
        clientName: m.client,
        clientVersion: m.version,
        source: 'registered' as const,
        count: 0,
        lastSeen: m.createdAt,
      })),
    );
    return [...recorded, ...registered];
  }

  /**
   * Compares a published SDL with what the subgraph serves at the URL the gateways use. Both go
   * through `buildSubgraphSchema` and its `_service { sdl }` printing, so formatting, ordering of
   * the federation definitions and `extend` spellings do not count; fields, types and directives do.
   */
  private async servedSdlMismatch(subgraph: string, routingUrl: string, sdl: string): Promise<ServedSdlMismatch | undefined> {
    const url = this.resolveUrl(subgraph, routingUrl);
    let servedSdl: string;
    try {
      servedSdl = await this.introspect(url);
    } catch (err) {
      return { subgraph, url, differences: [`could not read the SDL it serves: ${(err as Error).message.replace(/^introspectUrl: /, '')}`] };
    }
    let published: GraphQLSchema;
    let served: GraphQLSchema;
    try {
      published = buildSubgraphSchema({ typeDefs: parse(sdl) });
      served = buildSubgraphSchema({ typeDefs: parse(servedSdl) });
    } catch (err) {
      return { subgraph, url, differences: [`the SDL it serves is not a valid subgraph schema: ${(err as Error).message}`] };
    }
    if (serviceSdl(published) === serviceSdl(served)) return undefined;
    const differences = (await diff(served, published)).map((c) => `the published SDL: ${c.message}`);
    return { subgraph, url, differences: differences.length ? differences : ['the SDLs differ in directives or descriptions'] };
  }

  private async announce(launch: LaunchDoc): Promise<void> {
    if (!this.pubsub) return;
    await this.pubsub.publish(LAUNCH_TOPIC, { launchId: launch._id }).catch((err) => {
      // Gateways still find it at their next poll.
      this.log.warn({ err, launch: launch._id }, 'could not announce the launch');
    });
  }
}
