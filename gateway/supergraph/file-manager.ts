import { Coalesced } from './coalesce';
import { watch, type FSWatcher } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { SupergraphManager, SupergraphSdlHook } from '@apollo/gateway';

type SupergraphSdlHookOptions = Parameters<SupergraphSdlHook>[0];
import { parse } from 'graphql';
import { createLogger, type Logger } from '../../shared/platform/logger';
import { probeSupergraphSubgraphs } from './health-probe';
import { demoteSubgraphEnforcedFeatures } from './security-features';

export interface FileSupergraphManagerOptions {
  /** The supergraph file (`SUPERGRAPH_PATH`, default `schema/supergraph.graphql`). */
  path: string;
  /** Changes settle for this long before the file is read (default 250 ms): editors write in steps. */
  debounceMs?: number;
  /** Routing overrides (`SUBGRAPH_<NAME>_URL`), so health checks probe the URLs actually used. */
  resolveUrl?: (name: string, url: string) => string;
  /** Timeout of each subgraph health probe (default 3000 ms). */
  healthCheckTimeoutMs?: number;
  logger?: Logger;
  onApplied?: (supergraphSdl: string) => void;
  onRejected?: (reason: string) => void;
  /** Turns the file into what the gateway loads (default: security links demoted, see security-features.ts). */
  prepareSdl?: (supergraphSdl: string) => string;
}

/**
 * Apollo Gateway's `SupergraphManager` without a registry: serves a supergraph file and reloads
 * it when it changes (`npm run compose` rewrites it), the same safe way as registry launches:
 * the new supergraph must parse and its subgraphs must answer a health check before `update`
 * swaps it in; otherwise the gateway keeps serving the previous one and logs why.
 *
 * The directory is watched rather than the file, so editors and tools that replace the file
 * (write a temporary file, then rename) are seen too.
 */
export class FileSupergraphManager implements SupergraphManager {
  private readonly log: Logger;
  private readonly file: string;
  private readonly prepare: (supergraphSdl: string) => string;
  private hooks?: SupergraphSdlHookOptions;
  private watcher?: FSWatcher;
  private timer?: NodeJS.Timeout;
  private readonly runs = new Coalesced(() => this.reloadOnce(), () => this.stopped);
  private stopped = false;
  private applied = '';
  private lastRejection?: string;

  constructor(private readonly options: FileSupergraphManagerOptions) {
    this.log = options.logger ?? createLogger('gateway');
    this.file = path.resolve(options.path);
    this.prepare = options.prepareSdl ?? demoteSubgraphEnforcedFeatures;
  }

  /** Why the last change was not applied (cleared when one applies). */
  get rejection(): string | undefined {
    return this.lastRejection;
  }

  async initialize(hooks: SupergraphSdlHookOptions): Promise<{ supergraphSdl: string; cleanup: () => Promise<void> }> {
    this.hooks = hooks;
    const raw = await readFile(this.file, 'utf8');
    this.applied = raw;
    const supergraphSdl = this.prepare(raw);
    const base = path.basename(this.file);
    this.watcher = watch(path.dirname(this.file), { persistent: false }, (_event, filename) => {
      if (filename && filename.toString() !== base) return;
      this.schedule();
    });
    this.watcher.on('error', (err) => this.log.warn({ err, file: this.file }, 'stopped watching the supergraph file'));
    return { supergraphSdl, cleanup: () => this.stop() };
  }

  private schedule(): void {
    if (this.stopped) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.reload(), this.options.debounceMs ?? 250);
    this.timer.unref();
  }

  /** Reads the file and applies it if it changed and is healthy. Concurrent calls coalesce. */
  reload(): Promise<void> {
    return this.runs.run();
  }

  private async reloadOnce(): Promise<void> {
    if (this.stopped || !this.hooks) return;
    let sdl: string;
    try {
      sdl = await readFile(this.file, 'utf8');
    } catch (err) {
      // Removed or being replaced: the next event brings the new file.
      this.log.warn({ err, file: this.file }, 'could not read the supergraph file; keeping the current supergraph');
      return;
    }
    if (sdl === this.applied || !sdl.trim()) return;
    try {
      parse(sdl);
    } catch (err) {
      return this.reject(`the file is not valid GraphQL: ${(err as Error).message}`);
    }
    const prepared = this.prepare(sdl);
    try {
      await probeSupergraphSubgraphs(prepared, { resolveUrl: this.options.resolveUrl, timeoutMs: this.options.healthCheckTimeoutMs });
      await this.hooks.healthCheck(prepared);
    } catch (err) {
      return this.reject((err as Error).message);
    }
    if (this.stopped) return;
    try {
      this.hooks.update(prepared);
    } catch (err) {
      return this.reject(`the gateway refused the supergraph: ${(err as Error).message}`);
    }
    this.applied = sdl;
    this.lastRejection = undefined;
    this.log.info({ file: this.file }, 'reloaded the supergraph file');
    this.options.onApplied?.(sdl);
  }

  private reject(reason: string): void {
    this.lastRejection = reason;
    this.log.error({ file: this.file, reason }, 'supergraph file change not applied');
    this.options.onRejected?.(reason);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.watcher?.close();
    await this.runs.settled();
  }
}
