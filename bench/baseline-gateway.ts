/**
 * The benchmark's baseline: a plain Apollo Gateway + Apollo Server with default settings
 * (`startStandaloneServer`, the gateway's default make-fetch-happen fetcher, default caches), on the
 * same supergraph with the same routing overrides. The only custom code is what MyCity needs: the
 * bearer token's viewer is signed for the subgraphs in `willSendRequest`, as CityGraph does.
 *
 * Env: PORT, SUPERGRAPH_PATH, SUBGRAPH_<NAME>_URL, JWT_SECRET, INTERNAL_SECRET.
 */
import { readFileSync } from 'node:fs';
import { ApolloGateway, RemoteGraphQLDataSource } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { startStandaloneServer } from '@apollo/server/standalone';
import { ANONYMOUS, signViewer, VIEWER_HEADER, verifyUserToken, type Viewer } from '../shared/platform/auth';

process.env.APOLLO_TELEMETRY_DISABLED ??= '1';

interface Context {
  viewer: Viewer;
}

async function main(): Promise<void> {
  const jwtSecret = process.env.JWT_SECRET!;
  const internalSecret = process.env.INTERNAL_SECRET!;
  const gateway = new ApolloGateway({
    supergraphSdl: readFileSync(process.env.SUPERGRAPH_PATH!, 'utf8'),
    buildService: ({ name, url }) =>
      new (class extends RemoteGraphQLDataSource<Context> {
        override willSendRequest({ request, context }: Parameters<RemoteGraphQLDataSource<Context>['willSendRequest'] & {}>[0]) {
          request.http?.headers.set(VIEWER_HEADER, signViewer(context?.viewer ?? ANONYMOUS, internalSecret));
        }
      })({ url: process.env[`SUBGRAPH_${name.toUpperCase()}_URL`] ?? url }),
  });
  const server = new ApolloServer<Context>({ gateway });
  const { url } = await startStandaloneServer(server, {
    listen: { port: Number(process.env.PORT ?? 4000), host: '127.0.0.1' },
    context: async ({ req }) => {
      const m = /^Bearer\s+(.+)$/i.exec(req.headers.authorization ?? '');
      return { viewer: m ? verifyUserToken(m[1], jwtSecret) : ANONYMOUS };
    },
  });
  console.log(`baseline gateway ready at ${url}`);
  const stop = async () => {
    await server.stop();
    process.exit(0);
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
