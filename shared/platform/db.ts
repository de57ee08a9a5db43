import mongoose from 'mongoose';

/**
 * Database commands counted per connection through the driver's command monitoring, so tests and
 * the benchmark can prove that a list of N items costs a constant number of round trips.
 */
export class CommandCounter {
  private counts = new Map<string, number>();
  private static readonly IGNORED = new Set([
    'hello', 'ismaster', 'isMaster', 'ping', 'endSessions', 'saslStart', 'saslContinue', 'buildInfo',
    'getParameter', 'killCursors',
  ]);

  record(commandName: string): void {
    if (CommandCounter.IGNORED.has(commandName)) return;
    this.counts.set(commandName, (this.counts.get(commandName) ?? 0) + 1);
  }

  get total(): number {
    let sum = 0;
    for (const n of this.counts.values()) sum += n;
    return sum;
  }

  snapshot(): Record<string, number> {
    return Object.fromEntries(this.counts);
  }

  reset(): void {
    this.counts.clear();
  }
}

/** Connections of the driver's pool, from its monitoring events (for `/metrics`). */
export interface PoolStats {
  open: number;
  inUse: number;
}

/** One subgraph's own database. */
export interface Database {
  conn: mongoose.Connection;
  counter: CommandCounter;
  pool: PoolStats;
  /** True when the server answers a ping within `timeoutMs` (default 1000). */
  ping(timeoutMs?: number): Promise<boolean>;
  close(): Promise<void>;
}

export interface ConnectOptions {
  uri: string;
  dbName: string;
  /** How long an operation waits for a reachable server before failing (ms). */
  timeoutMs?: number;
}

/**
 * Opens a connection for one subgraph. Commands are not buffered while disconnected, so an outage
 * fails fast with SERVICE_UNAVAILABLE instead of hanging; the driver keeps reconnecting by itself.
 * Writes wait for the journal, so an acknowledged submission survives a crash.
 */
export async function connectDatabase({ uri, dbName, timeoutMs = 3000 }: ConnectOptions): Promise<Database> {
  const conn = mongoose.createConnection(uri, {
    dbName,
    bufferCommands: false,
    autoIndex: false,
    autoCreate: false,
    serverSelectionTimeoutMS: timeoutMs,
    socketTimeoutMS: Math.max(timeoutMs * 10, 30000),
    monitorCommands: true,
    writeConcern: { w: 1, journal: true },
    maxPoolSize: 20,
  });
  const counter = new CommandCounter();
  const pool: PoolStats = { open: 0, inUse: 0 };
  const client = conn.getClient();
  client.on('commandStarted', (event) => counter.record(event.commandName));
  client.on('connectionCreated', () => (pool.open += 1));
  client.on('connectionClosed', () => (pool.open = Math.max(0, pool.open - 1)));
  client.on('connectionCheckedOut', () => (pool.inUse += 1));
  client.on('connectionCheckedIn', () => (pool.inUse = Math.max(0, pool.inUse - 1)));
  await conn.asPromise();
  return {
    conn,
    counter,
    pool,
    async ping(timeoutMs = 1000) {
      // Without a deadline of its own a ping waits for server selection (`timeoutMs` of the
      // connection, seconds), and a readiness check must answer sooner than its caller gives up.
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), timeoutMs)));
      const answered = conn
        .db!.admin()
        .command({ ping: 1 })
        .then(
          () => true,
          () => false,
        );
      try {
        return await Promise.race([answered, late]);
      } finally {
        clearTimeout(timer);
      }
    },
    async close() {
      await conn.close();
    },
  };
}

/** The database name a subgraph uses under a prefix: `citygraph_parking`. */
export function databaseName(prefix: string, subgraph: string): string {
  return `${prefix}_${subgraph}`;
}

/**
 * Creates indexes declared on the models (unique rules included). Run once at start-up: the
 * unique indexes are what keep double bookings out under concurrency, so they must exist.
 */
export async function syncIndexes(conn: mongoose.Connection): Promise<void> {
  for (const model of Object.values(conn.models)) {
    await model.createCollection().catch((err: { codeName?: string; code?: number }) => {
      if (err.code !== 48 && err.codeName !== 'NamespaceExists') throw err;
    });
    await createIndexesRetrying(model);
  }
}

/**
 * `createIndexes` is idempotent, so a failed attempt is tried again a few times: FerretDB on
 * PostgreSQL can report a deadlock when its own index DDL meets another session's (the GIN index
 * sync of `shared/dev/pg-indexes.ts`, or a second process starting on the same database). An error
 * that persists is thrown.
 */
async function createIndexesRetrying(model: mongoose.Model<any>, attempts = 5): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await model.createIndexes();
      return;
    } catch (err) {
      if (attempt >= attempts) throw err;
      await new Promise((resolve) => setTimeout(resolve, 100 * attempt + Math.random() * 100));
    }
  }
}
