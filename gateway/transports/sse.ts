import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ExecutionResult, GraphQLSchema } from 'graphql';
import { createHandler, TOKEN_HEADER_KEY, TOKEN_QUERY_KEY } from 'graphql-sse';
import { readBodyWithin } from '../pipeline/stages/size';
import { Refusal, trackHttpAccess, type AccessRecord, type Admitted, type Identity } from '../pipeline';
import { executeAdmitted, subscribeAdmitted, type StreamingDoorOptions } from './execute';

export type SseDoorOptions = StreamingDoorOptions;

/**
 * Delivery to one event stream. graphql-sse pulls results as fast as they come and queues them
 * itself; the gate lets it pull the next one only once the last has been written to the socket,
 * so a client that stops reading leaves its events in the hub's bounded queue, which ends the
 * subscription (SLOW_CONSUMER) when it is full.
 */
class DeliveryGate {
  private pulled = 0;
  private written = 0;
  private wake?: () => void;
  private closed = false;

  wrote(): void {
    this.written += 1;
    this.wake?.();
  }

  close(): void {
    this.closed = true;
    this.wake?.();
  }

  async ready(): Promise<void> {
    while (!this.closed && this.pulled - this.written > 0) await new Promise<void>((resolve) => (this.wake = resolve));
    this.pulled += 1;
  }

  wrap<T>(iterator: AsyncIterableIterator<T>): AsyncIterableIterator<T> {
    const gate = this;
    return {
      async next() {
        await gate.ready();
        return iterator.next();
      },
      return: () => iterator.return?.() ?? Promise.resolve({ value: undefined, done: true }),
      throw: (err: unknown) => iterator.throw?.(err) ?? Promise.reject(err),
      [Symbol.asyncIterator]() {
        return this;
      },
    };
  }
}

type OperationContext = Record<PropertyKey, unknown> & {
  identity: Identity;
  admitted: Admitted;
  /** Set in distinct-connections mode, where the operation's own response is its stream. */
  gate?: DeliveryGate;
};

/** Single-connection mode: the operation's events go to another request's stream (no gate). */
function streamsElsewhere(req: IncomingMessage): boolean {
  return Boolean(req.headers[TOKEN_HEADER_KEY]) || (req.url ?? '').includes(`${TOKEN_QUERY_KEY}=`);
}

type RequestContext = { res: ServerResponse; gate: DeliveryGate; access: AccessRecord };

const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  [JSON.stringify(body), { status, statusText: String(status), headers: { 'content-type': 'application/json; charset=utf-8', ...headers } }] as const;

/**
 * Server-Sent Events on `/graphql/stream` (graphql-sse's protocol, token in the Authorization
 * header): the body is read up to the limit, then every operation goes through the request
 * pipeline; a refusal is the request's answer (its status and the formatted errors).
 */
export function createSseDoor(options: SseDoorOptions) {
  const { pipeline } = options;
  const handler = createHandler<IncomingMessage, RequestContext, OperationContext>({
    authenticate: () => null,
    onSubscribe: async (req, params) => {
      const { access } = req.context;
      const identity = await pipeline.identify({ authorization: req.raw.headers.authorization, req: req.raw });
      if (identity instanceof Refusal) {
        access.refused(identity);
        return json(identity.status, pipeline.refusalBody(identity), identity.headers) as never;
      }
      access.identified(identity);
      const admitted = await pipeline.admit(params, options.door, identity, req.method);
      if (admitted instanceof Refusal) {
        access.refused(admitted);
        return json(admitted.status, pipeline.refusalBody(admitted), admitted.headers) as never;
      }
      access.admitted(admitted);
      return {
        schema: options.door.schema() as GraphQLSchema,
        document: admitted.document,
        operationName: admitted.operationName,
        variableValues: admitted.variables,
        contextValue: { identity, admitted, gate: streamsElsewhere(req.raw) ? undefined : req.context.gate },
      };
    },
    execute: (args) => {
      const { identity, admitted } = args.contextValue as OperationContext;
      return executeAdmitted(options, admitted, identity) as never;
    },
    subscribe: (args) => {
      const { identity, admitted, gate } = args.contextValue as OperationContext;
      const result = subscribeAdmitted(options, admitted, identity);
      return (gate && Symbol.asyncIterator in result ? gate.wrap(result as AsyncIterableIterator<ExecutionResult>) : result) as never;
    },
    onNext: (_ctx, req, result) => {
      if (!('errors' in result) || !result.errors?.length) return undefined;
      req.context.access.result(result as ExecutionResult);
      return pipeline.formatResult(result as ExecutionResult) as never;
    },
  });

  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    // access log: one line when the response (for a stream: the stream) ends
    const access = trackHttpAccess(pipeline.accessLog, options.door.transport, req, res);
    let body: string | undefined;
    if (req.method === 'POST' || req.method === 'PUT') {
      body = await readBodyWithin(req, res, options.bodyLimitBytes);
      if (body === undefined) return;
    }
    const gate = new DeliveryGate();
    const [payload, init] = await handler({
      method: req.method!,
      url: req.url!,
      headers: { get: (key) => (Array.isArray(req.headers[key]) ? (req.headers[key] as string[]).join('\n') : (req.headers[key] as string | undefined)) },
      body: body ?? '',
      raw: req,
      context: { res, gate, access },
    });
    if (typeof payload === 'string' && init.status >= 400) {
      // graphql-sse's own refusals (a request it cannot read) carry no code: give them one, and the one formatter.
      let errors: Array<{ message: string; extensions?: Record<string, unknown> }> = [];
      try {
        errors = (JSON.parse(payload) as { errors?: typeof errors }).errors ?? [];
      } catch {
        errors = [{ message: payload }];
      }
      const code = init.status === 405 ? 'METHOD_NOT_ALLOWED' : init.status === 401 ? 'UNAUTHENTICATED' : 'BAD_REQUEST';
      const refusal = Refusal.of(code, errors[0]?.message ?? init.statusText ?? 'Bad request');
      const formatted = errors.length && errors.every((e) => e.extensions?.code) ? { errors } : pipeline.refusalBody(refusal);
      const text = JSON.stringify(formatted);
      res.writeHead(init.status, { ...init.headers, 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) });
      return void res.end(text);
    }
    res.writeHead(init.status, init.statusText, init.headers);
    if (!payload || typeof payload === 'string') return void res.end(payload);
    const stream = payload as AsyncIterableIterator<string>;
    res.once('close', () => {
      gate.close();
      void stream.return?.();
    });
    for await (const chunk of stream) {
      const closed = await new Promise<boolean>((resolve) => {
        if (!res.writable) return resolve(true);
        res.write(chunk, (err) => resolve(Boolean(err)));
      });
      if (closed) break;
      if (chunk.startsWith('event: next')) gate.wrote();
    }
    gate.close();
    res.end();
  };
}
