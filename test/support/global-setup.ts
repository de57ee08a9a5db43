import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ferretBackend, startFerret } from '../../shared/dev/ferret';

/**
 * One real FerretDB per test run, on a free port and a temporary directory, over the backend
 * `FERRETDB_BACKEND` names (default: an embedded PostgreSQL on a free port of its own).
 */
export default async function globalSetup(): Promise<void> {
  // Apollo's packages otherwise report anonymous usage over the network.
  process.env.APOLLO_TELEMETRY_DISABLED = '1';
  if (process.env.TEST_MONGODB_URI) return;
  const dir = mkdtempSync(path.join(os.tmpdir(), 'citygraph-test-'));
  const ferret = await startFerret(path.join(dir, ferretBackend()), 0, (line) => console.log(line));
  process.env.TEST_MONGODB_URI = ferret.uri;
  process.env.TEST_FERRETDB_BACKEND = ferret.backend;
  (globalThis as { __FERRET__?: unknown }).__FERRET__ = { ferret, dir };
}
