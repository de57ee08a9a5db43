import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { ROOT_DIR } from './schema';

/**
 * The embedded database: FerretDB 1.24.2 over SQLite, built from `tools/ferretdb` with Go on first
 * use. `FERRETDB_BIN` points at another binary (for example a `ferretdb` installed by hand).
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

export interface FerretInstance {
  uri: string;
  port: number;
  process: ChildProcess;
  stop(): Promise<void>;
}

/** Starts FerretDB on SQLite files under `dataDir`, on `port` (a free one when 0). */
export async function startFerret(dataDir: string, port = 0, log?: (line: string) => void): Promise<FerretInstance> {
  const bin = ensureFerretBinary(log);
  mkdirSync(dataDir, { recursive: true });
  const actualPort = port || (await freePort());
  const child = spawn(
    bin,
    ['--handler=sqlite', `--sqlite-url=file:${dataDir.endsWith('/') ? dataDir : `${dataDir}/`}`, `--listen-addr=127.0.0.1:${actualPort}`, '--telemetry=disable', '--log-level=error'],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => {
    stderr = (stderr + d.toString()).slice(-4000);
  });
  const exited = new Promise<never>((_, reject) =>
    child.once('exit', (code) => reject(new Error(`FerretDB exited (code ${code}): ${stderr}`))),
  );
  await Promise.race([waitForPort(actualPort), exited]);
  exited.catch(() => {});
  return {
    uri: `mongodb://127.0.0.1:${actualPort}/`,
    port: actualPort,
    process: child,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
