import path from 'node:path';
import net from 'node:net';
import { z } from 'zod';
import { parseEnv, type CityConfig } from '../shared/platform/config';
import { ferretBackend, startFerret, type FerretBackend, type FerretInstance } from '../shared/dev/ferret';
import { ROOT_DIR } from '../shared/platform/schema';

/** The embedded database lives here and survives restarts: one folder per backend. */
export const EMBEDDED_DATA_DIRS: Record<FerretBackend, string> = {
  postgresql: path.join(ROOT_DIR, '.data', 'postgres'),
  sqlite: path.join(ROOT_DIR, '.data', 'ferretdb'),
};

function portOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect(port, '127.0.0.1');
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });
}

/**
 * The database the scripts use: `MONGODB_URI` when set; otherwise the embedded FerretDB on
 * `FERRETDB_PORT` (default 27117), started here unless one is already running there, over the
 * backend `FERRETDB_BACKEND` names (default: PostgreSQL).
 */
export async function openDatabase(config: CityConfig, log: (line: string) => void): Promise<{ uri: string; ferret?: FerretInstance }> {
  if (config.mongodbUri) return { uri: config.mongodbUri };
  const { FERRETDB_PORT: port } = parseEnv({ FERRETDB_PORT: z.coerce.number().int().min(1).max(65535).default(27117) });
  if (await portOpen(port)) {
    log(`Using the embedded FerretDB already running on 127.0.0.1:${port}`);
    return { uri: `mongodb://127.0.0.1:${port}/` };
  }
  const backend = ferretBackend();
  // FERRETDB_DATA_DIR: another folder (a second checkout's own data, a measurement's scratch copy).
  const dir = process.env.FERRETDB_DATA_DIR ? path.resolve(process.env.FERRETDB_DATA_DIR) : EMBEDDED_DATA_DIRS[backend];
  const what = backend === 'postgresql' ? 'an embedded PostgreSQL' : 'SQLite';
  log(`Starting the embedded FerretDB (${what} under ${path.relative(ROOT_DIR, dir)}/) on 127.0.0.1:${port}`);
  const ferret = await startFerret(dir, port, log, { backend, durable: true });
  return { uri: ferret.uri, ferret };
}
