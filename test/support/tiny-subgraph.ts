import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { ApolloServer } from '@apollo/server';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { parse } from 'graphql';
import { listen, serveGraphQL } from '../../shared/http';

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
