import type { Logger } from '../../shared/platform/logger';
import type { PubSub } from '../../shared/platform/pubsub';

/**
 * Wraps a task so that calls arriving while it runs coalesce into one more run after it, never
 * two at once: a burst of file events or launch nudges becomes at most one extra reload.
 */
export class Coalesced {
  private running?: Promise<void>;
  private again = false;

  constructor(
    private readonly task: () => Promise<void>,
    private readonly stopped: () => boolean,
  ) {}

  run(): Promise<void> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = (async () => {
      try {
        do {
          this.again = false;
          await this.task();
        } while (this.again && !this.stopped());
      } finally {
        this.running = undefined;
      }
    })();
    return this.running;
  }

  /** Resolves when the run in progress (if any) is over. */
  async settled(): Promise<void> {
    await this.running?.catch(() => {});
  }
}

/**
 * How gateways follow the registry: `refresh` every `pollIntervalMs` (0: never; the safety net
 * when a nudge is lost) and whenever something is published on `topic` (at once, across replicas
 * with Redis). Returns the function that stops following.
 */
export function followRegistry(options: { refresh: () => unknown; pollIntervalMs: number; pubsub?: PubSub; topic: string; logger: Logger }): () => Promise<void> {
  const timer = options.pollIntervalMs > 0 ? setInterval(() => void options.refresh(), options.pollIntervalMs) : undefined;
  timer?.unref();
  const subscription = options.pubsub?.subscribe(options.topic);
  if (subscription) {
    void (async () => {
      try {
        for await (const _event of subscription) void options.refresh();
      } catch (err) {
        options.logger.warn({ err }, `${options.topic} subscription ended; polling continues`);
      }
    })();
  }
  return async () => {
    if (timer) clearInterval(timer);
    await subscription?.return?.();
  };
}
