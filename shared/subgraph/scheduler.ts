import type { Logger } from '../platform/logger';

/** A time-driven rule: processes what is due at `now` and returns how many items it handled. */
export interface ScheduledJob {
  name: string;
  /** How often it runs (ms). */
  everyMs: number;
  run: (now: Date) => Promise<number>;
}

/**
 * Runs scheduled rules in every replica. Safe with several replicas because each job claims
 * every due item with an atomic conditional update, so an item is processed once whichever
 * replica gets there first; and it catches up after downtime because jobs select by "due at or
 * before now", not by "due in the last interval". Runs of one job never overlap in a process.
 */
export class Scheduler {
  private timers: NodeJS.Timeout[] = [];
  private running = new Map<string, Promise<void>>();
  private stopped = false;

  constructor(
    private readonly jobs: ScheduledJob[],
    private readonly clock: () => Date,
    private readonly log?: Logger,
  ) {}

  start(): void {
    for (const job of this.jobs) {
      // Spread the first runs so replicas started together do not collide every time.
      const first = setTimeout(() => void this.runOnce(job), Math.floor(Math.random() * Math.min(job.everyMs, 1000)));
      const every = setInterval(() => void this.runOnce(job), job.everyMs);
      first.unref();
      every.unref();
      this.timers.push(first, every);
    }
  }

  /** Runs one job now (unless it is already running) and resolves when it is done. */
  runOnce(job: ScheduledJob): Promise<void> {
    const current = this.running.get(job.name);
    if (current || this.stopped) return current ?? Promise.resolve();
    const run = job
      .run(this.clock())
      .then((handled) => {
        if (handled > 0) this.log?.info({ job: job.name, handled }, 'scheduled rule ran');
      })
      .catch((err) => this.log?.warn({ job: job.name, err: (err as Error).message }, 'scheduled rule failed; will retry'))
      .finally(() => this.running.delete(job.name));
    this.running.set(job.name, run);
    return run;
  }

  /** Runs the job named `name` now, as its timer would (tests drive the rules with a fake clock this way). */
  runNamed(name: string): Promise<void> {
    const job = this.jobs.find((j) => j.name === name);
    if (!job) return Promise.reject(new Error(`No scheduled job named ${name}`));
    return this.runOnce(job);
  }

  /** Stops scheduling and waits for runs in progress. */
  async stop(): Promise<void> {
    this.stopped = true;
    for (const t of this.timers) clearTimeout(t);
    this.timers = [];
    await Promise.all(this.running.values());
  }
}
