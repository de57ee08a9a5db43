/**
 * Containment indexes for FerretDB 1.24 over PostgreSQL. FerretDB pushes an equality down as
 * `_jsonb->'field' @> '<value>'` and creates each MongoDB index as a btree over
 * `(_jsonb->'field')`, which PostgreSQL cannot use for `@>`: so every pushed-down query, `_id`
 * lookups included, is a sequential scan of the whole table (measured on 9,750 requests: 330 ms
 * for one `_id`, 346 ms for one community's requests). A GIN index over the same expression
 * serves `@>` (0.06 ms and 33 ms on the same rows), so for every field of every index FerretDB
 * made, this adds one. It changes nothing FerretDB or the subgraphs see (same tables, same
 * answers); on MongoDB none of this runs, its own indexes serve the same queries.
 *
 * The subgraphs create their indexes when they start, after the database is up, so the embedded
 * database runs this sync every few seconds while it runs (a cheap read of `pg_indexes` when
 * nothing is new). `CONCURRENTLY`: writes go on while an index of a large table builds.
 */
import { createHash } from 'node:crypto';

interface PgClient {
  connect(): Promise<void>;
  query(sql: string, values?: unknown[]): Promise<{ rows: Array<Record<string, string>> }>;
  end(): Promise<void>;
  on(event: 'error', listener: (err: Error) => void): void;
}

/** `(_jsonb -> 'field'::text)` in a FerretDB index definition. */
const FIELD = /\(_jsonb -> '([^']+)'::text\)/g;

/** The GIN indexes missing for the btree indexes FerretDB created: `CREATE INDEX` statements. */
export function missingContainmentIndexes(indexes: Array<{ schemaname: string; tablename: string; indexdef: string; indexname: string }>): string[] {
  const present = new Set(indexes.map((i) => `${i.schemaname}.${i.indexname}`));
  const wanted = new Map<string, string>();
  for (const idx of indexes) {
    if (!idx.indexdef.includes('USING btree')) continue;
    for (const m of idx.indexdef.matchAll(FIELD)) {
      const field = m[1];
      const hash = createHash('sha1').update(`${idx.tablename}.${field}`).digest('hex').slice(0, 10);
      const name = `${idx.tablename.slice(0, 40)}_${hash}_gin`;
      if (present.has(`${idx.schemaname}.${name}`)) continue;
      const literal = field.replace(/'/g, "''");
      wanted.set(`${idx.schemaname}.${name}`, `CREATE INDEX CONCURRENTLY IF NOT EXISTS "${name}" ON "${idx.schemaname}"."${idx.tablename}" USING gin ((_jsonb -> '${literal}'))`);
    }
  }
  return [...wanted.values()];
}

/** Creates the missing containment indexes once; returns how many it created. */
export async function syncContainmentIndexes(client: PgClient): Promise<number> {
  const { rows } = await client.query(
    "SELECT schemaname, tablename, indexname, indexdef FROM pg_indexes WHERE schemaname NOT IN ('pg_catalog', 'information_schema') AND tablename NOT LIKE '\\_ferretdb%'",
  );
  const statements = missingContainmentIndexes(rows as never);
  for (const sql of statements) await client.query(sql);
  return statements.length;
}

/** Keeps the containment indexes in step with FerretDB's until `stop()`. */
export function startContainmentIndexSync(url: string, everyMs = 2000, onError: (err: Error) => void = () => {}): { stop(): Promise<void>; syncNow(): Promise<number> } {
  const { Client } = require('pg') as { Client: new (config: { connectionString: string }) => PgClient };
  const client = new Client({ connectionString: url });
  client.on('error', onError);
  const connected = client.connect();
  let running: Promise<number> = Promise.resolve(0);
  let stopped = false;
  const syncNow = () => {
    running = running.then(async () => {
      if (stopped) return 0;
      await connected;
      return syncContainmentIndexes(client);
    }).catch((err: Error) => {
      onError(err);
      return 0;
    });
    return running;
  };
  const timer = setInterval(() => void syncNow(), everyMs);
  timer.unref();
  void syncNow();
  return {
    syncNow,
    async stop() {
      clearInterval(timer);
      await running;
      stopped = true;
      await connected.catch(() => {});
      await client.end().catch(() => {});
    },
  };
}
