import { ConfigError, loadSubgraphProcessConfig } from '../platform/config';
import { connectDatabase, databaseName } from '../platform/db';
import { createLogger } from '../platform/logger';
import { createPubSub } from '../platform/pubsub';
import { installGracefulShutdown } from '../platform/shutdown';
import { initTracing } from '../platform/tracing';
import type { SubgraphFactory, SubgraphName } from './subgraph-deps';

/** What every subgraph's `index.ts` does: read config, connect, listen, stop cleanly on a signal. */
export async function runSubgraph(name: SubgraphName, factory: SubgraphFactory): Promise<void> {
  const log = createLogger(name);
  try {
    // Every bad variable named at once (the city's, MONGODB_URI, logs, traces, shutdown).
    const config = loadSubgraphProcessConfig();
    initTracing(name);
    const db = await connectDatabase({ uri: config.mongodbUri, dbName: databaseName(config.dbPrefix, name), timeoutMs: config.mongodbTimeoutMs });
    const pubsub = await createPubSub(config.redisUrl);
    const server = await factory({ db, config, pubsub, clock: () => new Date(), schedule: true });
    const url = await server.listen(config.ports[name], config.host);
    log.info({ url: `${url}/graphql` }, `${name} subgraph ready at ${url}/graphql`);
    // SIGTERM / SIGINT: refuse new connections, finish requests in progress, close subscriptions
    // (1001), wait for running scheduled rules, then close pub/sub and the database and exit 0.
    installGracefulShutdown({
      name,
      servers: [server.httpServer],
      log,
      stop: async () => {
        await server.stop();
        await pubsub.close();
        await db.close();
      },
    });
  } catch (err) {
    if (err instanceof ConfigError) log.fatal({ problems: err.problems }, err.message);
    else log.fatal({ err }, `${name} subgraph failed to start`);
    process.exit(1);
  }
}
