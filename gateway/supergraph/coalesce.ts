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
