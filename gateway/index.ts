import { runCli } from '../shared/platform/cli';
import { ConfigError } from '../shared/platform/config';
import { runClustered } from './cluster';
import { createLogger } from '../shared/platform/logger';
import { pathOf } from '../shared/platform/http';
import { installGracefulShutdown } from '../shared/platform/shutdown';
import { initTracing } from '../shared/platform/tracing';
import { loadGatewayOptions, type GatewayOptions } from './config';
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

const log = createLogger('gateway');

async function main(options: GatewayOptions): Promise<void> {
  initTracing('gateway');
  const server = await createGatewayServer({ ...options, logger: log });
  const url = await server.listen();
  // SIGTERM / SIGINT: refuse new connections, finish requests in progress, then end subscriptions
  // (graphql-ws close 1001, event streams completed) and exit 0. Installed before "ready" is
  // said, so a supervisor that stops the gateway as soon as it is ready gets a graceful stop.
  installGracefulShutdown({
    name: 'gateway',
    servers: [server.httpServer],
    log,
    isLongLived: (req) => pathOf(req) === '/graphql/stream',
    stop: () => server.stop(),
  });
  log.info({ url: `${url}/graphql` }, `gateway ready at ${url}/graphql`);
}

// Read before the workers are forked, so every bad variable (GATEWAY_WORKERS too) is named at once.
let options: GatewayOptions | undefined;
try {
  options = loadGatewayOptions();
} catch (err) {
  fatal(err);
}
runClustered(() => main(options!)).catch(fatal);

function fatal(err: unknown): never {
  if (err instanceof ConfigError) log.fatal({ problems: err.problems }, err.message);
  else log.fatal({ err }, 'gateway failed to start');
  process.exit(1);
}
