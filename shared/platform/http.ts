import type { IncomingMessage, ServerResponse } from 'node:http';
import { HeaderMap, type ApolloServer, type BaseContext } from '@apollo/server';

/** Default request body limit: GraphQL documents are small; anything larger is refused early. */
export const DEFAULT_BODY_LIMIT = 1024 * 1024;

/** How much of a refused body is read and dropped before the connection is cut anyway. */
export const TOO_LARGE_DRAIN_BYTES = 64 * 1024 * 1024;
/** How long a refused body may take to arrive before the connection is cut anyway. */
export const TOO_LARGE_DRAIN_MS = 30_000;

/**
 * Answers 413 and closes the connection once the client has sent its body. The answer is written
 * at once, but ending the response would close the socket while the client still sends, and the
 * kernel then resets the connection: the client (Node's fetch and undici among them) sees EPIPE
 * or ECONNRESET instead of the 413. So the rest of the body is read and dropped, and only then is
 * the response ended (with `connection: close`). A client that sends more than
 * `TOO_LARGE_DRAIN_BYTES` or takes longer than `TOO_LARGE_DRAIN_MS` is cut off.
 */
export function answerTooLarge(req: IncomingMessage, res: ServerResponse, limit: number, declared?: number, render?: TooLargeRenderer): true {
  const extensions = declared !== undefined ? { code: 'PAYLOAD_TOO_LARGE', limit, actual: declared } : { code: 'PAYLOAD_TOO_LARGE', limit };
  const message = `The request body is larger than ${limit} bytes`;
  const { contentType, payload } = render?.(message) ?? { contentType: 'application/json; charset=utf-8', payload: JSON.stringify({ errors: [{ message, extensions }] }) };
  res.writeHead(413, { 'content-type': contentType, 'content-length': Buffer.byteLength(payload), connection: 'close' });
  res.write(payload);
  let drained = 0;
  const finish = () => {
    clearTimeout(timer);
    req.off('data', onData);
    if (!res.writableEnded) res.end();
  };
  const cut = () => {
    finish();
    req.destroy();
  };
  const onData = (chunk: Buffer) => {
    drained += chunk.length;
    if (drained > TOO_LARGE_DRAIN_BYTES) cut();
  };
  const timer = setTimeout(cut, TOO_LARGE_DRAIN_MS);
  timer.unref();
  if (req.complete) {
    finish();
    return true;
  }
  req.on('data', onData);
  req.once('end', finish);
  req.once('close', finish);
  req.resume();
  return true;
}

/** The 413's body in a door's own format (Open311's error list); GraphQL's `errors` otherwise. */
export type TooLargeRenderer = (message: string) => { contentType: string; payload: string };

/** Reads the body up to `limit` bytes; undefined when larger (the 413 is then already answered). */
export function readBody(req: IncomingMessage, res: ServerResponse, limit = DEFAULT_BODY_LIMIT, render?: TooLargeRenderer): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let over = false;
    const onData = (chunk: Buffer) => {
      if (over) return;
      size += chunk.length;
      if (size > limit) {
        over = true;
        chunks.length = 0;
        req.off('data', onData);
        answerTooLarge(req, res, limit, undefined, render);
        resolve(undefined);
        return;
      }
      chunks.push(chunk);
    };
    req.on('data', onData);
    req.on('end', () => {
      if (!over) resolve(Buffer.concat(chunks).toString('utf8'));
    });
    req.on('error', (err) => (over ? undefined : reject(err)));
  });
}

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const payload = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(payload) });
  res.end(payload);
}

function graphqlError(res: ServerResponse, status: number, code: string, message: string): void {
  sendJson(res, status, { errors: [{ message, extensions: { code } }] });
}

/**
 * Serves one GraphQL HTTP request with Apollo Server on plain `node:http`: no framework sits
 * between the socket and the executor, which keeps both the gateway and the subgraphs lean.
 */
export async function serveGraphQL<TContext extends BaseContext>(
  server: ApolloServer<TContext>,
  req: IncomingMessage,
  res: ServerResponse,
  context: () => Promise<TContext>,
  bodyLimit = DEFAULT_BODY_LIMIT,
): Promise<void> {
  const headers = new HeaderMap();
  for (const [key, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers.set(key, Array.isArray(value) ? value.join(', ') : value);
  }
  let body: unknown;
  if (req.method === 'POST') {
    const raw = await readBody(req, res, bodyLimit);
    if (raw === undefined) return;
    if ((headers.get('content-type') ?? '').includes('application/json')) {
      try {
        body = raw.length ? JSON.parse(raw) : undefined;
      } catch {
        return graphqlError(res, 400, 'BAD_REQUEST', 'The request body is not valid JSON');
      }
    } else {
      body = raw;
    }
  }
  const url = req.url ?? '/';
  const q = url.indexOf('?');
  const result = await server.executeHTTPGraphQLRequest({
    httpGraphQLRequest: { method: req.method ?? 'GET', headers, search: q >= 0 ? url.slice(q) : '', body },
    context,
  });
  for (const [key, value] of result.headers) res.setHeader(key, value);
  res.statusCode = result.status ?? 200;
  if (result.body.kind === 'complete') {
    res.end(result.body.string);
    return;
  }
  for await (const chunk of result.body.asyncIterator) res.write(chunk);
  res.end();
}

/** The path of a request without its query string. */
export function pathOf(req: IncomingMessage): string {
  const url = req.url ?? '/';
  const q = url.indexOf('?');
  return q >= 0 ? url.slice(0, q) : url;
}

/** Starts listening and resolves with the URL (port 0 picks a free port). */
export function listen(server: import('node:http').Server, port: number, host = '127.0.0.1'): Promise<string> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      const address = server.address();
      const actual = typeof address === 'object' && address ? address.port : port;
      resolve(`http://${host}:${actual}`);
    });
  });
}
