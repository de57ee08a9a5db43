import { runCli } from '../shared/cli';
import { ConfigError } from '../shared/config';
import { runClustered } from './cluster';
import { createLogger } from '../shared/logger';
import { pathOf } from '../shared/http';
import { installGracefulShutdown } from '../shared/shutdown';
import { initTracing } from '../shared/tracing';
import { loadGatewayOptions } from './config';
import { createGatewayServer } from './server';

// Options come from the environment only; the command line takes just --help.
runCli('npm run gateway --', {
  summary: 'The gateway alone, on the committed supergraph (or the registry when MONGODB_URI is set).',
  env: {
    PORT: 'port (default 4000)',
    HOST: 'interface to bind (default 127.0.0.1)',
    SUPERGRAPH_PATH: 'supergraph file to serve (default schema/supergraph.graphql)',
  },
  notes: 'Every variable is in the README (Environment variables); `npm run config` prints the effective configuration.',
});

process.env.APOLLO_TELEMETRY_DISABLED ??= '1';

async function main(): Promise<void> {
  const options = loadGatewayOptions();
  initTracing('gateway');
  const server = await createGatewayServer(options);
  const url = await server.listen();
  console.log(`gateway ready at ${url}/graphql`);
  // SIGTERM / SIGINT: refuse new connections, finish requests in progress, then end subscriptions
  // (graphql-ws close 1001, event streams completed) and exit 0.
  installGracefulShutdown({
    name: 'gateway',
    servers: [server.httpServer],
    log: createLogger('gateway'),
    isLongLived: (req) => pathOf(req) === '/graphql/stream',
    stop: () => server.stop(),
  });
}

runClustered(main).catch((err) => {
  console.error(err instanceof ConfigError ? err.message : err);
  process.exit(1);
});
