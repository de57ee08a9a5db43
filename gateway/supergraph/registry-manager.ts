import { Coalesced, followRegistry } from './coalesce';
import os from 'node:os';
import type { SupergraphManager, SupergraphSdlHook } from '@apollo/gateway';

type SupergraphSdlHookOptions = Parameters<SupergraphSdlHook>[0];
import { createLogger, type Logger } from '../../shared/platform/logger';
import type { PubSub } from '../../shared/platform/pubsub';
import { LAUNCH_TOPIC } from '../registry/service';
import type { LaunchDoc, RegistryStore } from '../registry/store';
import { probeSupergraphSubgraphs } from './health-probe';
import { demoteSubgraphEnforcedFeatures } from './security-features';

export interface RegistrySupergraphManagerOptions {
  store: RegistryStore;
  /** Listens on `registry.launch` for an immediate reload (polling still runs as the safety net). */
  pubsub?: PubSub;
  /** How often the current launch is read (default 2000 ms; 0 turns polling off). */
  pollIntervalMs?: number;
  /** This gateway instance, as recorded on launches it applied or rejected (default `<hostname>:<pid>`). */
  instance?: string;
  /** Called when the registry is empty at start (e.g. seed it from supergraph.yaml); the launch it makes is served. */
  seedIfEmpty?: () => Promise<unknown>;
  /** The supergraph served while the registry is empty (and no seed made a launch). */
  fallbackSdl?: () => string | Promise<string>;
  /** Routing overrides (`SUBGRAPH_<NAME>_URL`), so health checks probe the URLs actually used. */
  resolveUrl?: (name: string, url: string) => string;
  /** Timeout of each subgraph health probe (default 3000 ms). */
  healthCheckTimeoutMs?: number;
  logger?: Logger;
  /** Hooks for metrics and tests. */
  onApplied?: (launchId: string) => void;
  onRejected?: (launchId: string, reason: string) => void;
  /**
   * Turns a launch's supergraph into what the gateway loads (default: `@authenticated`-style
   * security links demoted, as gateway/server.ts loads files; see security-features.ts).
   */
  prepareSdl?: (supergraphSdl: string) => string;
}

/**
 * Apollo Gateway's `SupergraphManager` over the schema registry: serves the current launch, and
 * when the pointer moves (poll, or a nudge on `registry.launch`) health-checks the new launch's
 * subgraphs first, then swaps the schema with `update` (Apollo Gateway swaps between requests:
 * in-flight requests finish on the schema they started with). A launch that fails its health
 * check is not applied; it is recorded on the launch (`rejectedBy`), logged, and retried at the
 * next poll, so it applies once its subgraphs are up.
 */
export class RegistrySupergraphManager implements SupergraphManager {
  private readonly log: Logger;
  private readonly instance: string;
  private readonly prepare: (supergraphSdl: string) => string;
  private hooks?: SupergraphSdlHookOptions;
  private unfollow?: () => Promise<void>;
  private readonly runs = new Coalesced(() => this.refreshOnce(), () => this.stopped);
  private stopped = false;
  private applied: string | null = null;
  private readonly rejected = new Map<string, string>();

  constructor(private readonly options: RegistrySupergraphManagerOptions) {
    this.log = options.logger ?? createLogger('gateway');
    this.instance = options.instance ?? `${os.hostname()}:${process.pid}`;
    this.prepare = options.prepareSdl ?? demoteSubgraphEnforcedFeatures;
  }

  /** The launch this gateway serves (null: the fallback supergraph). */
  get appliedLaunchId(): string | null {
    return this.applied;
  }

  /** Launches this gateway refused to apply, with the reason (until one applies). */
  get rejections(): ReadonlyMap<string, string> {
    return this.rejected;
  }

  async initialize(hooks: SupergraphSdlHookOptions): Promise<{ supergraphSdl: string; cleanup: () => Promise<void> }> {
    this.hooks = hooks;
    const { store } = this.options;
    let launch = await store.currentLaunch();
    if (!launch && this.options.seedIfEmpty) {
      await this.options.seedIfEmpty();
      launch = await store.currentLaunch();
    }
    let supergraphSdl: string;
    if (launch) {
      supergraphSdl = this.prepare(launch.supergraphSdl);
      this.applied = launch._id;
      await this.report(launch._id, 'applied');
      this.log.info({ launch: launch._id }, 'serving the registry launch');
    } else if (this.options.fallbackSdl) {
      supergraphSdl = this.prepare(await this.options.fallbackSdl());
      this.log.warn('the schema registry is empty: serving the fallback supergraph until a launch exists');
    } else {
      throw new Error('The schema registry has no launch yet: seed it (npm run schema -- seed) or give a fallback supergraph');
    }
    this.unfollow = followRegistry({
      refresh: () => this.refresh(),
      pollIntervalMs: this.options.pollIntervalMs ?? 2000,
      pubsub: this.options.pubsub,
      topic: LAUNCH_TOPIC,
      logger: this.log,
    });
    return { supergraphSdl, cleanup: () => this.stop() };
  }

  /** Reads the current launch and applies it if it is new and healthy. Concurrent calls coalesce. */
  refresh(): Promise<void> {
    return this.runs.run();
  }

  private async refreshOnce(): Promise<void> {
    if (this.stopped || !this.hooks) return;
    let launch: LaunchDoc | null;
    try {
      const id = await this.options.store.currentLaunchId();
      if (!id || id === this.applied) return;
      launch = await this.options.store.launch(id);
    } catch (err) {
      this.log.warn({ err }, 'could not read the schema registry; keeping the current supergraph');
      return;
    }
    if (!launch || this.stopped) return;
    let sdl: string;
    try {
      sdl = this.prepare(launch.supergraphSdl);
      await probeSupergraphSubgraphs(sdl, {
        resolveUrl: this.options.resolveUrl,
        timeoutMs: this.options.healthCheckTimeoutMs,
      });
      await this.hooks.healthCheck(sdl);
    } catch (err) {
      return this.reject(launch._id, (err as Error).message);
    }
    if (this.stopped) return;
    try {
      this.hooks.update(sdl);
    } catch (err) {
      return this.reject(launch._id, `the gateway refused the supergraph: ${(err as Error).message}`);
    }
    this.applied = launch._id;
    this.rejected.delete(launch._id);
    this.log.info({ launch: launch._id }, 'applied a new schema launch');
    this.options.onApplied?.(launch._id);
    await this.report(launch._id, 'applied');
  }

  private async reject(launchId: string, reason: string): Promise<void> {
    const first = !this.rejected.has(launchId);
    this.rejected.set(launchId, reason);
    if (!first) return;
    this.log.error({ launch: launchId, reason }, 'schema launch not applied: health check failed');
    this.options.onRejected?.(launchId, reason);
    await this.report(launchId, 'rejected', reason);
  }

  private async report(launchId: string, what: 'applied' | 'rejected', reason?: string): Promise<void> {
    const entry = { instance: this.instance, at: new Date(), ...(reason ? { reason } : {}) };
    try {
      if (what === 'applied') await this.options.store.reportApplied(launchId, entry);
      else await this.options.store.reportRejected(launchId, entry);
    } catch (err) {
      this.log.warn({ err, launch: launchId }, 'could not record on the launch');
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.unfollow?.();
    await this.runs.settled();
  }
}
