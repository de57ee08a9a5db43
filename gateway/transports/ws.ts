import type { IncomingMessage, Server } from 'node:http';
import type { ExecutionArgs, ExecutionResult, GraphQLSchema } from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer } from 'ws';
import { AccessRecord, Refusal, type Admitted, type Identity } from '../pipeline';
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
  const { pipeline } = options;
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
  // `access`: the access record of each operation in progress on this socket, by its id.
  type Extra = { request: IncomingMessage; identity?: Identity; access?: Map<string, AccessRecord> };
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
      onSubscribe: async (ctx, id, payload) => {
        const identity = ctx.extra.identity!;
        const access = new AccessRecord(pipeline.accessLog, options.door.transport);
        access.identified(identity);
        const admitted = await pipeline.admit(payload, options.door, identity);
        if (admitted instanceof Refusal) {
          access.refused(admitted);
          access.finish(admitted.status);
          return admitted.errors;
        }
        access.admitted(admitted);
        (ctx.extra.access ??= new Map()).set(id, access);
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
        return executeAdmitted(options, admitted, identity) as Promise<ExecutionResult>;
      },
      subscribe: (args) => {
        const { identity, admitted } = args.contextValue as OperationContext;
        return subscribeAdmitted(options, admitted, identity);
      },
      onNext: (ctx, id, _payload, _args, result) => {
        if (!result.errors?.length) return undefined;
        ctx.extra.access?.get(id)?.result(result);
        return pipeline.formatResult(result) as ExecutionResult;
      },
      // Called when an operation ends: its result sent, its subscription over, or its socket closed.
      onComplete: (ctx, id) => {
        ctx.extra.access?.get(id)?.finish(200);
        ctx.extra.access?.delete(id);
      },
      onError: (ctx, id, _payload, errors) => {
        ctx.extra.access?.get(id)?.result({ errors });
        return errors.map((e) => pipeline.format(e)) as never;
      },
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
