import { connectDatabase, databaseName, type Database } from '../platform/db';
import { SUBGRAPH_NAMES, type SubgraphName } from '../subgraph/subgraph-deps';

/** `scale`: N times the demo's records (`npm run seed -- --scale N`); seeds that do not scale ignore it. */
export type SeedFn = (db: Database, opts: { now: Date; onProgress?: (done: number, total: number) => void; scale?: number }) => Promise<void>;

/** Each subgraph's seed, loaded lazily so a missing one names itself. */
export async function loadSeed(name: SubgraphName): Promise<SeedFn> {
  const mod = require(`../../subgraphs/${name}/seed`) as { seed: SeedFn };
  return mod.seed;
}

/**
 * Seeds every subgraph's database on `uri` (idempotent: safe to run on every start; it refreshes
 * the demo's time-dependent records relative to now).
 */
export async function seedAll(
  uri: string,
  prefix: string,
  onProgress: (name: SubgraphName, done: number, total: number) => void = () => {},
  now = new Date(),
  scale = 1,
): Promise<void> {
  for (const name of SUBGRAPH_NAMES) {
    const db = await connectDatabase({ uri, dbName: databaseName(prefix, name), timeoutMs: 10000 });
    try {
      const seed = await loadSeed(name);
      await seed(db, { now, scale, onProgress: (done, total) => onProgress(name, done, total) });
    } finally {
      await db.close();
    }
  }
}
