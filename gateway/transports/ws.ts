import type { IncomingMessage, Server } from 'node:http';
import type { ExecutionArgs, ExecutionResult, GraphQLSchema } from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer } from 'ws';
import { Refusal, type Admitted, type Identity } from '../pipeline';
import { limitMessageSize } from '../pipeline/stages/size';
import { executeAdmitted, subscribeAdmitted, type StreamingDoorOptions } from './execute';

export interface WebSocketDoorOptions extends StreamingDoorOptions {
  httpServer: Server;
}

/** What the pipeline hands graphql-ws's execute/subscribe for one operation. */
interface OperationContext {
  identity: Identity;
  admitted: Admitted;
}

/**
 * graphql-ws on `/graphql`, by the protocol: the token comes in `connection_init`
 * (`authorization: "Bearer …"`) or the upgrade request's Authorization header; each `subscribe`
 * message goes through the request pipeline; a refusal or an operation's errors go in that
 * operation's own `error` / `next` message and the socket stays open for the others.
 */
export function attachWebSocketDoor(options: WebSocketDoorOptions) {
  const { pipeline, apollo } = options;
  const wsServer = new WebSocketServer({ server: options.httpServer, path: '/graphql', maxPayload: options.bodyLimitBytes * 4 });
  wsServer.on('connection', (socket) =>
    limitMessageSize(socket, options.bodyLimitBytes, (id) =>
      JSON.stringify({
        id,
        type: 'error',
        payload: pipeline.refusalBody(Refusal.of('PAYLOAD_TOO_LARGE', `The message is larger than ${options.bodyLimitBytes} bytes`, { limit: options.bodyLimitBytes })).errors,
      }),
    ),
  );
  type Extra = { request: IncomingMessage; identity?: Identity };
  const server = useServer<Record<string, unknown>, Extra>(
    {
      onConnect: async (ctx) => {
        const params = ctx.connectionParams ?? {};
        const given = params.authorization ?? params.Authorization ?? (params.token ? `Bearer ${String(params.token)}` : undefined);
        const identity = await pipeline.identify({
          authorization: typeof given === 'string' ? given : ctx.extra.request.headers.authorization,
          req: ctx.extra.request,
        });
        if (identity instanceof Refusal) return false;
        ctx.extra.identity = identity;
        return true;
      },
      onSubscribe: async (ctx, _id, payload) => {
        const identity = ctx.extra.identity!;
        const admitted = await pipeline.admit(payload, options.door, identity);
        if (admitted instanceof Refusal) return admitted.errors;
        const operation: OperationContext = { identity, admitted };
        const args: ExecutionArgs = {
          schema: options.door.schema() as GraphQLSchema,
          document: admitted.document,
          operationName: admitted.operationName,
          variableValues: admitted.variables,
          contextValue: operation,
        };
        return args;
      },
      execute: (args) => {
        const { identity, admitted } = args.contextValue as OperationContext;
        return executeAdmitted(apollo, admitted, options.context(identity)) as Promise<ExecutionResult>;
      },
      subscribe: (args) => {
        const { identity, admitted } = args.contextValue as OperationContext;
        return subscribeAdmitted(options, admitted, identity);
      },
      onNext: (_ctx, _id, _payload, _args, result) => (result.errors?.length ? (pipeline.formatResult(result) as ExecutionResult) : undefined),
      onError: (_ctx, _id, _payload, errors) => errors.map((e) => pipeline.format(e)) as never,
    },
    wsServer,
  );
  return {
    async close() {
      await server.dispose();
      await new Promise<void>((resolve) => wsServer.close(() => resolve()));
    },
  };
}
