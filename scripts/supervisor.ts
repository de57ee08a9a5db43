import type { ChildProcess } from 'node:child_process';

/** How a supervised process is restarted after it crashes. */
export interface RestartPolicy {
  /** Wait before the first restart (ms, default 500). */
  initialDelayMs: number;
  /** Upper bound of the wait, which doubles with each crash in a row (ms, default 30000). */
  maxDelayMs: number;
  /** A process that ran this long before crashing starts the doubling over (ms, default 60000). */
  resetAfterMs: number;
}

export const DEFAULT_RESTART_POLICY: RestartPolicy = { initialDelayMs: 500, maxDelayMs: 30_000, resetAfterMs: 60_000 };

/** The wait before restart number `crashesInARow` (1 for the first crash): 0.5 s, 1 s, 2 s … up to the maximum. */
export function restartDelay(crashesInARow: number, policy: RestartPolicy = DEFAULT_RESTART_POLICY): number {
  return Math.min(policy.maxDelayMs, policy.initialDelayMs * 2 ** Math.max(0, Math.min(crashesInARow - 1, 30)));
}

/**
 * One child process of `npm start`, restarted when it exits by itself (a crash, kill -9) with
 * exponential backoff, so a process that keeps crashing does not spin, and one that crashed once
 * after running a while is back in half a second. The rest of the graph keeps serving meanwhile.
 * `stop` ends it for good: no restart is scheduled or carried out once it is called, even if the
 * child dies of the same Ctrl-C at the same moment.
 */
export class SupervisedProcess {
  proc?: ChildProcess;
  /** Restarts so far. */
  restarts = 0;
  private crashesInARow = 0;
  private startedAt = 0;
  private pending?: NodeJS.Timeout;
  private stopping = false;

  constructor(
    readonly name: string,
    private readonly spawnChild: () => ChildProcess,
    private readonly log: (line: string) => void = console.error,
    private readonly policy: RestartPolicy = DEFAULT_RESTART_POLICY,
  ) {}

  start(): ChildProcess {
    const proc = this.spawnChild();
    this.proc = proc;
    this.startedAt = Date.now();
    this.log(`${this.name} started (pid ${proc.pid}${this.restarts ? `, restart ${this.restarts}` : ''})`);
    proc.once('exit', (code, signal) => this.exited(proc, code, signal));
    return proc;
  }

  private exited(proc: ChildProcess, code: number | null, signal: NodeJS.Signals | null): void {
    if (this.stopping || proc !== this.proc) return;
    const upMs = Date.now() - this.startedAt;
    this.crashesInARow = upMs >= this.policy.resetAfterMs ? 1 : this.crashesInARow + 1;
    const delay = restartDelay(this.crashesInARow, this.policy);
    this.log(
      `${this.name} stopped unexpectedly (${signal ?? `exit code ${code}`}) after ${(upMs / 1000).toFixed(1)} s; ` +
        `restarting in ${(delay / 1000).toFixed(1)} s (crash ${this.crashesInARow} in a row)`,
    );
    this.pending = setTimeout(() => {
      this.pending = undefined;
      if (this.stopping) return;
      this.restarts += 1;
      this.start();
    }, delay);
  }

  get running(): boolean {
    return !!this.proc && this.proc.exitCode === null && this.proc.signalCode === null;
  }

  /** Stops the process (SIGTERM, SIGKILL after `graceMs`) and never restarts it. */
  stop(graceMs = 10_000): Promise<void> {
    this.stopping = true;
    clearTimeout(this.pending);
    const proc = this.proc;
    return new Promise<void>((resolve) => {
      if (!proc || proc.exitCode !== null || proc.signalCode !== null) return resolve();
      const timer = setTimeout(() => proc.kill('SIGKILL'), graceMs);
      proc.once('exit', () => {
        clearTimeout(timer);
        resolve();
      });
      proc.kill('SIGTERM');
    });
  }
}
