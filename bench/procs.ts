import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createWriteStream, existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

/** A child process the benchmark started, with its log file. */
export interface Child {
  name: string;
  proc: ChildProcess;
  log: string;
  stop(): Promise<void>;
}

/**
 * Starts `node <args>` with its output appended to `<logDir>/<name>.log`; with `cpus` (a
 * `taskset` CPU list such as `0`) pinned to those cores, its workers and threads included
 * (`taskset` execs node, so the pid is node's).
 */
export function startNode(name: string, args: string[], env: NodeJS.ProcessEnv, logDir: string, cwd: string, cpus?: string): Child {
  const log = path.join(logDir, `${name}.log`);
  const out = createWriteStream(log, { flags: 'a' });
  const [cmd, argv] = cpus === undefined ? [process.execPath, args] : ['taskset', ['-c', cpus, process.execPath, ...args]];
  const proc = spawn(cmd, argv, { cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  proc.stdout!.pipe(out);
  proc.stderr!.pipe(out);
  return {
    name,
    proc,
    log,
    stop: () =>
      new Promise<void>((resolve) => {
        if (proc.exitCode !== null || proc.signalCode !== null) return resolve();
        const timer = setTimeout(() => proc.kill('SIGKILL'), 8000);
        proc.once('exit', () => {
          clearTimeout(timer);
          resolve();
        });
        proc.kill('SIGTERM');
      }),
  };
}

/** The last lines of a child's log, for error messages. */
export function tail(file: string, lines = 30): string {
  try {
    return readFileSync(file, 'utf8').trim().split('\n').slice(-lines).join('\n');
  } catch {
    return '';
  }
}

/** Polls until `check` resolves true, or fails after `timeoutMs` (or when the child exits). */
export async function waitUntil(what: string, check: () => Promise<boolean>, child?: Child, timeoutMs = 90_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child && (child.proc.exitCode !== null || child.proc.signalCode !== null)) {
      throw new Error(`${child.name} exited while waiting for ${what}:\n${tail(child.log)}`);
    }
    try {
      if (await check()) return;
    } catch {
      /* not up yet */
    }
    if (Date.now() > deadline) throw new Error(`${what} not ready after ${timeoutMs / 1000} s${child ? `:\n${tail(child.log)}` : ''}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

function childrenOf(pid: number): number[] {
  const out: number[] = [];
  try {
    for (const tid of readdirSync(`/proc/${pid}/task`)) {
      const text = readFileSync(`/proc/${pid}/task/${tid}/children`, 'utf8').trim();
      if (text) out.push(...text.split(/\s+/).map(Number));
    }
  } catch {
    /* gone */
  }
  return out;
}

/** The process and all its descendants (cluster workers). */
export function processTree(pid: number): number[] {
  const all = [pid];
  for (let i = 0; i < all.length; i += 1) all.push(...childrenOf(all[i]));
  return all;
}

function rssKb(pid: number): number {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) : 0;
  } catch {
    return 0;
  }
}

/**
 * Samples the resident memory of a process tree every 200 ms (VmRSS summed over the primary and
 * its workers) and keeps the peak.
 */
export function sampleRss(pid: number, intervalMs = 200): { stop(): number } {
  let peakKb = 0;
  const sample = () => {
    const total = processTree(pid).reduce((sum, p) => sum + rssKb(p), 0);
    if (total > peakKb) peakKb = total;
  };
  sample();
  const timer = setInterval(sample, intervalMs);
  return {
    stop() {
      clearInterval(timer);
      sample();
      return Math.round((peakKb / 1024) * 10) / 10;
    },
  };
}

/** CPU seconds (user + system) a process tree has used so far, from /proc/<pid>/stat. */
export function cpuSeconds(pid: number): number {
  const tick = 100; // USER_HZ on Linux
  let total = 0;
  for (const p of processTree(pid)) {
    try {
      const stat = readFileSync(`/proc/${p}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      total += (Number(fields[11]) + Number(fields[12])) / tick;
    } catch {
      /* gone */
    }
  }
  return total;
}

/** Whether this machine can pin processes to cores: Linux `taskset` and at least two CPUs. */
export function canPin(cpuCount: number): boolean {
  return cpuCount >= 2 && spawnSync('taskset', ['-p', String(process.pid)], { stdio: 'ignore' }).status === 0;
}

/**
 * Moves a process tree (every thread of `pid` and of all its descendants) onto `cpus`. Processes
 * started by them afterwards inherit it (PostgreSQL's backends, cluster workers).
 */
export function pinProcessTree(pid: number, cpus: string): void {
  for (const p of processTree(pid)) {
    const r = spawnSync('taskset', ['-a', '-p', '-c', cpus, String(p)], { stdio: ['ignore', 'ignore', 'pipe'] });
    // A process may have exited between listing and pinning; anything else is a real failure.
    if (r.status !== 0 && existsSync(`/proc/${p}`)) throw new Error(`taskset -a -p -c ${cpus} ${p} failed: ${r.stderr.toString().trim()}`);
  }
}

/** The 1-minute load average. */
export function loadAverage(): number[] {
  return readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).map(Number);
}
