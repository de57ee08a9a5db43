import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { ApolloServer } from '@apollo/server';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { parse } from 'graphql';
import { loadGatewayOptions } from '../../gateway/config';
import { createGatewayServer, type GatewayServer } from '../../gateway/server';
import { composeSubgraphs } from '../../gateway/supergraph/compose';
import { listen, serveGraphQL } from '../../shared/platform/http';

export interface TinySubgraph {
  /** The GraphQL endpoint (`…/graphql`). */
  url: string;
  server: Server;
  apollo: ApolloServer;
  stop(): Promise<void>;
}

/**
 * A small federated subgraph (any SDL, no database) on a free port, for gateway tests that need
 * subgraphs they can make misbehave: `intercept` sees every request first and answers it itself
 * by returning true.
 */
export async function startTinySubgraph(
  sdl: string,
  resolvers: any,
  intercept?: (req: IncomingMessage, res: ServerResponse) => boolean | Promise<boolean>,
): Promise<TinySubgraph> {
  const apollo = new ApolloServer({ schema: buildSubgraphSchema({ typeDefs: parse(sdl), resolvers }) });
  await apollo.start();
  const server = createServer((req, res) => {
    void (async () => {
      if (intercept && (await intercept(req, res))) return;
      await serveGraphQL(apollo, req, res, async () => ({}));
    })();
  });
  const url = await listen(server, 0);
  return {
    url: `${url}/graphql`,
    server,
    apollo,
    async stop() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await apollo.stop();
    },
  };
}

const HELLO_SDL = `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])
  type Query { hello: String! }
`;

export interface HelloGraph {
  supergraphSdl: string;
  /**
   * A gateway over the subgraph, on a free port, with its options read from `env` (city layer
   * off, `NODE_ENV=test` unless given) as a deployment's are. Stopped by `stop`.
   */
  gateway(env?: NodeJS.ProcessEnv): Promise<{ gateway: GatewayServer; origin: string; port: number }>;
  stop(): Promise<void>;
}

/** The smallest graph: one subgraph answering `{ hello }` with "world", and gateways over it. */
export async function startHelloGraph(): Promise<HelloGraph> {
  const subgraph = await startTinySubgraph(HELLO_SDL, { Query: { hello: () => 'world' } });
  const supergraphSdl = composeSubgraphs([{ name: 'hello', url: subgraph.url, sdl: HELLO_SDL }]).supergraphSdl!;
  const gateways: GatewayServer[] = [];
  return {
    supergraphSdl,
    async gateway(env = {}) {
      const options = loadGatewayOptions({ NODE_ENV: 'test', CITY_AUTH: 'off', ...env });
      const gateway = await createGatewayServer({ ...options, port: 0, supergraph: { kind: 'sdl', sdl: supergraphSdl } });
      gateways.push(gateway);
      const origin = await gateway.listen(0);
      return { gateway, origin, port: Number(new URL(origin).port) };
    },
    async stop() {
      for (const g of gateways) await g.stop();
      await subgraph.stop();
    },
  };
}
