import type { IncomingMessage, Server } from 'node:http';
import type { ApolloServer } from '@apollo/server';
import { print, type ExecutionArgs, type ExecutionResult, type GraphQLSchema } from 'graphql';
import { createHandler } from 'graphql-sse/lib/use/http';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer } from 'ws';
import { ANONYMOUS, type Viewer } from '../../shared/auth';
import type { GatewayContext } from '../auth';
import type { SubscriptionHub } from './hub';

export interface TransportOptions {
  httpServer: Server;
  apollo: ApolloServer<GatewayContext>;
  hub: SubscriptionHub;
  /** The API schema clients validate against (changes on supergraph updates). */
  schema: () => GraphQLSchema;
  /** Builds the context from an Authorization value; throws UNAUTHENTICATED for a bad token. */
  context: (authorization: string | undefined, req: IncomingMessage) => GatewayContext;
}

function clientKeyOf(viewer: Viewer, req: IncomingMessage): string {
  return viewer === ANONYMOUS || viewer.role === 'anonymous' ? `ip:${req.socket.remoteAddress ?? 'unknown'}` : `sub:${viewer.role}:${viewer.subject}`;
}

/** Queries and mutations sent over a subscription transport run through Apollo Server as usual. */
async function executeThroughApollo(apollo: ApolloServer<GatewayContext>, args: ExecutionArgs): Promise<ExecutionResult> {
  const response = await apollo.executeOperation(
    { query: print(args.document), variables: (args.variableValues ?? {}) as Record<string, unknown>, operationName: args.operationName ?? undefined },
    { contextValue: args.contextValue as GatewayContext },
  );
  if (response.body.kind !== 'single') return { errors: [] };
  return response.body.singleResult as ExecutionResult;
}

/**
 * Serves subscriptions to clients over graphql-ws (WebSocket on `/graphql`, token in the
 * `connection_init` payload as `authorization: "Bearer …"`) and over Server-Sent Events
 * (graphql-sse's protocol on `/graphql/stream`, token in the Authorization header).
 */
export function attachSubscriptionTransports(options: TransportOptions) {
  const { hub, apollo } = options;
  const wsServer = new WebSocketServer({ server: options.httpServer, path: '/graphql' });
  type Extra = { request: IncomingMessage; gatewayContext?: GatewayContext };
  const ws = useServer<Record<string, unknown>, Extra>(
    {
      schema: () => options.schema(),
      onConnect: (ctx) => {
        const params = ctx.connectionParams ?? {};
        const auth = (params.authorization ?? params.Authorization ?? (params.token ? `Bearer ${String(params.token)}` : undefined)) as string | undefined;
        try {
          const context = options.context(auth ?? ctx.extra.request.headers.authorization, ctx.extra.request);
          ctx.extra.gatewayContext = { ...context, clientKey: clientKeyOf(context.viewer, ctx.extra.request) };
          return true;
        } catch {
          return false;
        }
      },
      context: (ctx) => ctx.extra.gatewayContext,
      subscribe: (args) => {
        const context = args.contextValue as GatewayContext;
        return hub.subscribe({
          document: args.document,
          operationName: args.operationName,
          variables: (args.variableValues ?? {}) as Record<string, unknown>,
          context,
          clientKey: context.clientKey ?? 'unknown',
        });
      },
      execute: (args) => executeThroughApollo(apollo, args),
    },
    wsServer,
  );

  const sse = createHandler<GatewayContext>({
    schema: () => options.schema(),
    authenticate: () => null,
    context: (req) => {
      const raw = req.raw as IncomingMessage;
      const ctx = options.context(raw.headers.authorization, raw);
      return { ...ctx, clientKey: clientKeyOf(ctx.viewer, raw) };
    },
    subscribe: (args) =>
      hub.subscribe({
        document: args.document,
        operationName: args.operationName,
        variables: (args.variableValues ?? {}) as Record<string, unknown>,
        context: args.contextValue,
        clientKey: args.contextValue.clientKey ?? 'unknown',
      }) as never,
    execute: (args) => executeThroughApollo(apollo, args as ExecutionArgs) as never,
  });

  return {
    /** Handles `/graphql/stream`; returns false for other paths. */
    sse,
    async close() {
      await ws.dispose();
      await new Promise<void>((resolve) => wsServer.close(() => resolve()));
    },
    clientKeyOf,
  };
}
