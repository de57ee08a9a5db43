import type { IncomingMessage, ServerResponse } from 'node:http';
import type { WebSocket } from 'ws';
import { answerTooLarge, readBody, type TooLargeRenderer } from '../../../shared/platform/http';

/**
 * The size stage, first of all: nothing larger than `BODY_LIMIT_BYTES` is read into memory on
 * any door.
 */

/**
 * An HTTP body (GraphQL over HTTP, SSE, admin) up to the limit: a larger declared or streamed
 * body is answered 413 PAYLOAD_TOO_LARGE and drained, never buffered. Undefined when refused.
 */
export async function readBodyWithin(req: IncomingMessage, res: ServerResponse, limit: number, render?: TooLargeRenderer): Promise<string | undefined> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) {
    answerTooLarge(req, res, limit, declared, render);
    return undefined;
  }
  return readBody(req, res, limit, render);
}

const ID_IN_MESSAGE = /"id"\s*:\s*"([^"\\]{1,128})"/;

/**
 * graphql-ws messages above the limit are refused per operation (an `error` message for its id,
 * from `refusal`) and the socket stays open. ws itself closes a socket with 1009 (Message Too Big)
 * for a frame over its `maxPayload` — four times the limit — without buffering it, so no client
 * can make the gateway hold more than that per message.
 */
export function limitMessageSize(socket: WebSocket, limit: number, refusal: (id: string) => string): void {
  const emit = socket.emit.bind(socket);
  socket.emit = ((event: string, ...args: unknown[]) => {
    if (event === 'message') {
      const data = args[0] as Buffer | Buffer[] | ArrayBuffer;
      const size = Array.isArray(data) ? data.reduce((n, b) => n + b.length, 0) : (data as Buffer).byteLength;
      if (size > limit) {
        const head = (Array.isArray(data) ? data[0] : Buffer.from(data as Buffer)).subarray(0, 512).toString('utf8');
        const id = ID_IN_MESSAGE.exec(head)?.[1];
        if (id && /"type"\s*:\s*"subscribe"/.test(head)) socket.send(refusal(id));
        else socket.close(1009, 'PAYLOAD_TOO_LARGE');
        return true;
      }
    }
    return emit(event, ...args);
  }) as typeof socket.emit;
}
