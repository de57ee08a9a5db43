import { readFileSync } from 'node:fs';
import { parse, type GraphQLSchema } from 'graphql';
import { badInput, conflict, notFound } from '../../shared/errors';
import { createLogger, type Logger } from '../../shared/logger';
import type { PubSub } from '../../shared/pubsub';
import { composeSubgraphs, readSupergraphConfig } from '../supergraph/compose';
import { apiSchemaOf, assessChange, type AffectedOperation, type BreakingChangeReport } from './checks';
import { sha256, type LaunchDoc, type LaunchKind, type OperationDoc, type RegistryStore, type SubgraphVersionDoc } from './store';

/** Pub/sub topic on which a new launch is announced to every gateway instance. */
export const LAUNCH_TOPIC = 'registry.launch';

export type ChangeOutcome = 'PASSED' | 'PUBLISHED' | 'NO_CHANGE' | 'COMPOSITION_ERRORS' | 'BREAKING_CHANGES';

/** The answer to a check, publish, seed or rollback. `ok` false means refused: nothing was written. */
export interface ChangeResult {
  ok: boolean;
  outcome: ChangeOutcome;
  /** One line a person can read. */
  summary: string;
  forced: boolean;
  compositionErrors: string[];
  breakingChanges: BreakingChangeReport[];
  dangerousChanges: string[];
  /** Recorded operations (seen in the window) the change breaks. */
  affectedOperations: AffectedOperation[];
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
  /** Accept breaking changes that recorded operations use. */
  force?: boolean;
  /** Allow a subgraph the current launch does not have (adds it to the graph). */
  newSubgraph?: boolean;
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
  private readonly clock: () => Date;
  private readonly log: Logger;
  private apiCache?: { hash: string; schema: GraphQLSchema };

  constructor(options: RegistryServiceOptions) {
    this.store = options.store;
    this.pubsub = options.pubsub;
    this.resolveUrl = options.resolveUrl ?? ((_name, url) => url);
    this.windowDays = options.operationWindowDays ?? 7;
    this.probeTimeoutMs = options.probeTimeoutMs ?? 5000;
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
   * current others). Rollbacks are not blocked by operation checks (they are how a bad launch is
   * undone); the answer lists what they break.
   */
  async rollback(input: { launchId: string; author: string; message?: string } | { subgraph: string; versionId: string; author: string; message?: string }): Promise<ChangeResult> {
    if ('launchId' in input) return this.rollbackLaunch(input.launchId, input.author, input.message);
    const subgraph = checkName('subgraph', input.subgraph);
    const version = await this.store.version(String(input.versionId));
    if (!version || version.subgraph !== subgraph) throw notFound(`Version of ${subgraph}`, String(input.versionId));
    return this.propose(
      [{ subgraph, sdl: version.sdl, routingUrl: version.routingUrl, versionId: version._id }],
      { kind: 'rollback', author: input.author, message: input.message ?? `roll ${subgraph} back to ${version._id}`, force: true, allowNew: false, dryRun: false, probe: false },
    );
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
        const base = { forced: false, compositionErrors: [], breakingChanges: [], dangerousChanges: [], affectedOperations: [], operationsChecked: 0, versions: [] };
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
        const newApi = this.apiSchema(composed.supergraphSdl);
        const oldApi = state.launch ? this.apiSchema(state.launch.supergraphSdl) : null;
        const operations = oldApi ? await this.store.operationsSince(this.since(this.windowDays)) : [];
        const report = assessChange(oldApi, newApi, operations);
        const breaking = report.affectedOperations.length > 0;
        const result = { ...base, ...report, forced: breaking && opts.force };
        const changesLine = report.breakingChanges.length
          ? `${report.breakingChanges.length} breaking change(s), ${report.affectedOperations.length} recorded operation(s) affected`
          : 'no breaking changes';
        if (breaking && !opts.force) {
          return { ...result, ok: false, outcome: 'BREAKING_CHANGES', summary: `Refused: ${changesLine} (in the last ${this.windowDays} days); nothing was changed. Use force to publish anyway` };
        }
        if (opts.dryRun) {
          return { ...result, ok: true, outcome: 'PASSED', summary: `Check passed: composes; ${changesLine}${breaking ? ' (force given)' : ''}` };
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

  private async rollbackLaunch(launchId: string, author: string, message?: string): Promise<ChangeResult> {
    const id = String(launchId).trim();
    const normalized = /^\d+$/.test(id) ? `L${id}` : id;
    for (let attempt = 1; ; attempt++) {
      const target = await this.store.launch(normalized);
      if (!target || target.status !== 'launched') throw notFound('Launch', id);
      const current = await this.store.currentLaunch();
      const base = { forced: false, compositionErrors: [], breakingChanges: [], dangerousChanges: [], affectedOperations: [], operationsChecked: 0, versions: [] };
      if (current && current.supergraphHash === target.supergraphHash) {
        return { ...base, ok: true, outcome: 'NO_CHANGE', summary: `No change: the current launch ${current._id} already serves the supergraph of ${target._id}`, launch: current };
      }
      const oldApi = current ? this.apiSchema(current.supergraphSdl) : null;
      const report = assessChange(oldApi, this.apiSchema(target.supergraphSdl), oldApi ? await this.store.operationsSince(this.since(this.windowDays)) : []);
      const launch = await this.store.insertLaunch({
        kind: 'rollback',
        versions: target.versions,
        supergraphSdl: target.supergraphSdl,
        author,
        message: message ?? `roll back to ${target._id}`,
        previousLaunchId: current?._id ?? null,
        rolledBackTo: target._id,
        forced: report.affectedOperations.length > 0,
      });
      if (await this.store.compareAndSetCurrent(current?._id ?? null, launch)) {
        await this.store.markLaunched(launch._id);
        launch.status = 'launched';
        await this.announce(launch);
        this.log.info({ launch: launch._id, rolledBackTo: target._id, author }, 'schema rolled back');
        const line = report.affectedOperations.length ? `; it breaks ${report.affectedOperations.length} recorded operation(s)` : '';
        return { ...base, ...report, forced: report.affectedOperations.length > 0, ok: true, outcome: 'PUBLISHED', summary: `Launched ${launch._id}: rolled back to ${target._id}${line}`, launch };
      }
      await this.store.deleteLaunch(launch._id);
      if (attempt >= MAX_ATTEMPTS) throw conflict('Another publish changed the graph at the same time; nothing was changed. Try again.');
      await pause(10 + Math.random() * 40 * attempt);
    }
  }

  private async announce(launch: LaunchDoc): Promise<void> {
    if (!this.pubsub) return;
    await this.pubsub.publish(LAUNCH_TOPIC, { launchId: launch._id }).catch((err) => {
      // Gateways still find it at their next poll.
      this.log.warn({ err, launch: launch._id }, 'could not announce the launch');
    });
  }
}
