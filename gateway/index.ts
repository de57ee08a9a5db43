import { ConfigError } from '../shared/config';
import { loadGatewayOptions } from './config';
import { createGatewayServer } from './server';

process.env.APOLLO_TELEMETRY_DISABLED ??= '1';

async function main(): Promise<void> {
  const options = loadGatewayOptions();
  const server = await createGatewayServer(options);
  const url = await server.listen();
  console.log(`gateway ready at ${url}/graphql`);
  const shutdown = async () => {
    await server.stop();
    process.exit(0);
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
}

main().catch((err) => {
  console.error(err instanceof ConfigError ? err.message : err);
  process.exit(1);
});
