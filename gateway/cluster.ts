import cluster, { type Worker } from 'node:cluster';
import os from 'node:os';
import { ConfigError } from '../shared/platform/config';
import { createLogger } from '../shared/platform/logger';

/**
 * How many gateway processes serve the port (`GATEWAY_WORKERS`: a number, or `auto` for one per
 * core; default 1, which runs the gateway in this process with no cluster at all).
 */
export function gatewayWorkers(value: string | undefined = process.env.GATEWAY_WORKERS): number {
  const v = value?.trim();
  if (!v) return 1;
  if (v === 'auto') return Math.max(1, os.availableParallelism());
  if (!/^\d+$/.test(v) || Number(v) < 1 || Number(v) > 256) {
    throw new ConfigError([{ variable: 'GATEWAY_WORKERS', message: `a number from 1 to 256, or "auto" (got "${value}")` }]);
  }
  return Number(v);
}

/**
 * Runs `main` (which builds the gateway and listens) in this process, or with `GATEWAY_WORKERS`
 * above 1 in that many `node:cluster` workers sharing the port: the primary only forks, restarts a
 * worker that dies (unless they keep dying at start), and on SIGTERM/SIGINT stops the workers
 * (each closes cleanly) and exits when they have. Each worker is a complete gateway: in-process
 * state (caches, in-memory rate limits, subscriptions) is per worker; `REDIS_URL` shares rate limits.
 */
export async function runClustered(main: () => Promise<void>): Promise<void> {
  const workers = gatewayWorkers();
  if (workers <= 1 || !cluster.isPrimary) return main();

  const log = createLogger('gateway');
  let stopping = false;
  const starts: number[] = [];
  const fork = (): Worker => {
    starts.push(Date.now());
    return cluster.fork();
  };
  cluster.on('exit', (worker, code, signal) => {
    if (stopping) {
      if (Object.keys(cluster.workers ?? {}).length === 0) process.exit(0);
      return;
    }
    const recent = starts.filter((t) => Date.now() - t < 30_000).length;
    if (recent > workers * 3) {
      log.error({ pid: worker.process.pid, code, signal }, `gateway worker ${worker.process.pid} exited (${signal ?? code}); workers keep dying at start, stopping`);
      stopping = true;
      for (const w of Object.values(cluster.workers ?? {})) w?.process.kill('SIGTERM');
      process.exitCode = 1;
      if (Object.keys(cluster.workers ?? {}).length === 0) process.exit(1);
      return;
    }
    log.warn({ pid: worker.process.pid, code, signal }, `gateway worker ${worker.process.pid} exited (${signal ?? `code ${code}`}); starting another`);
    fork();
  });
  const stop = () => {
    if (stopping) return;
    stopping = true;
    const live = Object.values(cluster.workers ?? {});
    if (live.length === 0) process.exit(0);
    for (const w of live) w?.process.kill('SIGTERM');
    setTimeout(() => process.exit(0), 15_000).unref();
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
  for (let i = 0; i < workers; i += 1) fork();
  log.info({ workers }, `gateway primary ${process.pid}: ${workers} workers`);
}
