import type { Logger } from '../platform/logger';
import type { PubSub } from '../platform/pubsub';
import { publishAfterCommit } from './publish';

/** How `ReferenceData` loads, applies and shares one set of reference data. */
export interface ReferenceDataOptions<T> {
  /** Names the data in logs and in its pub/sub topic (`reference-data.<name>`). */
  name: string;
  /** Reads the whole set from the database (the source of truth). */
  load: () => Promise<T>;
  /** Installs a freshly loaded set where synchronous code reads it. */
  apply: (value: T) => void;
  /** The subgraph's pub/sub (Redis across replicas): change notices travel on it. */
  pubsub: PubSub;
  /**
   * Reloads this often even without a notice (ms; default 300 000, 0 = never): a notice lost in a
   * Redis outage, or a change written by a script, is picked up within this.
   */
  refreshMs?: number;
  log?: Logger;
}

/**
 * Reference data read synchronously from memory but kept in the database and editable: loaded
 * at start, reloaded in every replica when any replica announces a change, and periodically as a
 * safety net. Until the first load succeeds, whatever `apply` last installed (a built-in default)
 * stays in force; a failed reload keeps the last good set and is logged.
 */
export class ReferenceData<T> {
  private stream?: AsyncIterableIterator<unknown>;
  private timer?: NodeJS.Timeout;
  private inFlight?: Promise<void>;
  private queued?: Promise<void>;
  private stopped = false;
  /** Loads applied so far (tests and logs read it). */
  loads = 0;

  constructor(private readonly options: ReferenceDataOptions<T>) {}

  get topic(): string {
    return `reference-data.${this.options.name}`;
  }

  /** Loads once (throws if that fails: a subgraph should not serve without it), then listens for notices. */
  async start(): Promise<void> {
    await this.loadNow();
    this.stream = this.options.pubsub.subscribe(this.topic);
    void this.listen(this.stream);
    const every = this.options.refreshMs ?? 300_000;
    if (every > 0) {
      this.timer = setInterval(() => void this.reload(), every);
      this.timer.unref();
    }
  }

  /**
   * Reloads from the database. A call while a load runs gets one follow-up load after it (shared
   * by every such call), since the running load may have read before the caller's change.
   */
  reload(): Promise<void> {
    if (this.stopped) return Promise.resolve();
    if (!this.inFlight) {
      this.inFlight = this.runLoad();
      return this.inFlight;
    }
    this.queued ??= this.inFlight.then(() => {
      this.queued = undefined;
      this.inFlight = this.runLoad();
      return this.inFlight;
    });
    return this.queued;
  }

  /**
   * After a write to the data: reloads here before returning (so this replica's next read sees
   * it), then tells the other replicas. Never throws for the notice (`publishAfterCommit`).
   */
  async changed(detail: Record<string, unknown> = {}): Promise<void> {
    await this.reload();
    await publishAfterCommit(this.options.pubsub, this.topic, { ...detail, at: new Date().toISOString() }, this.options.log);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    await this.stream?.return?.();
    await this.inFlight;
  }

  private runLoad(): Promise<void> {
    const run: Promise<void> = this.loadNow()
      .catch((err) => this.options.log?.warn({ data: this.options.name, err: (err as Error).message }, 'reference data reload failed; keeping the last set'))
      .then(() => {
        if (this.inFlight === run) this.inFlight = undefined;
      });
    return run;
  }

  private async loadNow(): Promise<void> {
    const value = await this.options.load();
    this.options.apply(value);
    this.loads += 1;
  }

  private async listen(stream: AsyncIterableIterator<unknown>): Promise<void> {
    try {
      for await (const _notice of stream) await this.reload();
    } catch (err) {
      this.options.log?.warn({ data: this.options.name, err: (err as Error).message }, 'reference data notices stopped');
    }
  }
}
