import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { startContainmentIndexSync } from './pg-indexes';
import { startPostgres, type PostgresInstance } from './postgres';
import { ROOT_DIR } from '../platform/schema';

/**
 * The embedded database: FerretDB 1.24.2, built from `tools/ferretdb` with Go on first use, over
 * an embedded PostgreSQL (the default) or SQLite (`FERRETDB_BACKEND=sqlite`). `FERRETDB_BIN`
 * points at another binary (for example a `ferretdb` installed by hand).
 */
export const FERRETDB_BIN = path.join(ROOT_DIR, '.data', 'bin', 'ferretdb');

/** Builds the FerretDB binary if it is not there yet and returns its path. */
export function ensureFerretBinary(log: (line: string) => void = () => {}): string {
  const custom = process.env.FERRETDB_BIN;
  if (custom) {
    if (!existsSync(custom)) throw new Error(`FERRETDB_BIN points at ${custom}, which does not exist`);
    return custom;
  }
  if (existsSync(FERRETDB_BIN)) return FERRETDB_BIN;
  const go = spawnSync('go', ['version'], { encoding: 'utf8' });
  if (go.error || go.status !== 0) {
    throw new Error(
      'FerretDB is not built yet and Go is not installed, so it cannot be built.\n' +
        'Install Go 1.24 or newer (https://go.dev/dl/), or set MONGODB_URI to a MongoDB server, ' +
        'or set FERRETDB_BIN to a FerretDB 1.24 binary.',
    );
  }
  log('Building FerretDB 1.24.2 with Go (first run only, about a minute)…');
  mkdirSync(path.dirname(FERRETDB_BIN), { recursive: true });
  const build = spawnSync('go', ['build', '-o', FERRETDB_BIN, '.'], {
    cwd: path.join(ROOT_DIR, 'tools', 'ferretdb'),
    stdio: ['ignore', 'inherit', 'inherit'],
    env: { ...process.env, GOFLAGS: '-mod=mod' },
  });
  if (build.status !== 0) throw new Error('Building FerretDB failed (see the Go output above)');
  return FERRETDB_BIN;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

export function waitForPort(port: number, timeoutMs = 20000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  return new Promise((resolve, reject) => {
    const attempt = () => {
      const socket = net.connect(port, '127.0.0.1');
      socket.once('connect', () => {
        socket.destroy();
        resolve();
      });
      socket.once('error', () => {
        socket.destroy();
        if (Date.now() > deadline) reject(new Error(`nothing listens on port ${port} after ${timeoutMs} ms`));
        else setTimeout(attempt, 100);
      });
    };
    attempt();
  });
}

export type FerretBackend = 'postgresql' | 'sqlite';

/** `FERRETDB_BACKEND`: `postgresql` (default; `pg` is accepted too) or `sqlite`. */
export function ferretBackend(env: NodeJS.ProcessEnv = process.env): FerretBackend {
  const value = (env.FERRETDB_BACKEND ?? '').trim().toLowerCase();
  if (value === '' || value === 'postgresql' || value === 'pg' || value === 'postgres') return 'postgresql';
  if (value === 'sqlite') return 'sqlite';
  throw new Error(`FERRETDB_BACKEND must be postgresql or sqlite, not "${env.FERRETDB_BACKEND}"`);
}

export interface FerretInstance {
  uri: string;
  port: number;
  backend: FerretBackend;
  /** FerretDB's process (PostgreSQL, when it is the backend, is a process of its own). */
  process: ChildProcess;
  /**
   * Adds the PostgreSQL indexes FerretDB's queries can use for the indexes created so far (done
   * every 2 s anyway; call it after creating indexes to have them at once). 0 on SQLite.
   */
  syncIndexes(): Promise<number>;
  /** Stops FerretDB, then its PostgreSQL. */
  stop(): Promise<void>;
}

export interface StartFerretOptions {
  /** Default: `FERRETDB_BACKEND`. */
  backend?: FerretBackend;
  /** A cluster kept across runs (`npm start`) syncs its writes; throw-away ones (tests) do not. */
  durable?: boolean;
}

/**
 * Starts the embedded database on `port` (a free one when 0) with its data in `dataDir`: SQLite
 * files, or a PostgreSQL cluster (initialised on first use, then reused) that listens on a free
 * port of its own and that FerretDB's `postgresql` handler uses.
 */
export async function startFerret(dataDir: string, port = 0, log?: (line: string) => void, options: StartFerretOptions = {}): Promise<FerretInstance> {
  const backend = options.backend ?? ferretBackend();
  const bin = ensureFerretBinary(log);
  const actualPort = port || (await freePort());
  let postgres: PostgresInstance | undefined;
  let handlerArgs: string[];
  if (backend === 'postgresql') {
    postgres = await startPostgres({ dataDir, port: await freePort(), durable: options.durable ?? false }, waitForPort);
    // FerretDB holds one pool connection per statement of a bulk write until the bulk ends, so
    // its default pool of 50 deadlocks on a bulk of 50 updates; 100 (PostgreSQL allows 120).
    handlerArgs = ['--handler=postgresql', `--postgresql-url=${postgres.url}?pool_max_conns=100`];
  } else {
    mkdirSync(dataDir, { recursive: true });
    handlerArgs = ['--handler=sqlite', `--sqlite-url=file:${dataDir.endsWith('/') ? dataDir : `${dataDir}/`}`];
  }
  const child = spawn(bin, [...handlerArgs, `--listen-addr=127.0.0.1:${actualPort}`, '--telemetry=disable', '--log-level=error'], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => {
    stderr = (stderr + d.toString()).slice(-4000);
  });
  const exited = new Promise<never>((_, reject) =>
    child.once('exit', (code) => reject(new Error(`FerretDB exited (code ${code}): ${stderr}`))),
  );
  try {
    await Promise.race([waitForPort(actualPort), exited]);
  } catch (err) {
    await postgres?.stop();
    throw err;
  }
  exited.catch(() => {});
  // FerretDB's own indexes serve none of its queries on PostgreSQL: see pg-indexes.ts.
  const indexSync = postgres ? startContainmentIndexSync(postgres.url, 2000, (err) => log?.(`containment index sync: ${err.message}`)) : undefined;
  const stopFerret = () =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
    });
  return {
    uri: `mongodb://127.0.0.1:${actualPort}/`,
    port: actualPort,
    backend,
    process: child,
    syncIndexes: async () => (indexSync ? indexSync.syncNow() : 0),
    async stop() {
      await indexSync?.stop();
      await stopFerret();
      await postgres?.stop();
    },
  };
}
