import type { IncomingMessage, ServerResponse } from 'node:http';
import { HeaderMap, type ApolloServer, type BaseContext } from '@apollo/server';
import { errorBody, type SecurityErrorCode } from './errors';
import type { SecurityOptions } from './options';
import { ClientKeys, type RateLimiter } from './rate-limit';

/**
 * The HTTP-level guard: `(req, res)` before the body is read (rate limit, declared body size),
 * `(req, res, body)` once the JSON body is parsed (batching; a batch counts as one request per
 * operation). Resolves true when it has answered the request (a refusal): the caller stops there.
 */
export type HttpGuard = (req: IncomingMessage, res: ServerResponse, body?: unknown) => Promise<boolean>;

function refuse(
  res: ServerResponse,
  status: number,
  code: SecurityErrorCode,
  message: string,
  facts: Record<string, unknown> = {},
  headers: Record<string, string> = {},
): true {
  const payload = JSON.stringify(errorBody(code, message, facts));
  if (!res.headersSent) {
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(payload), ...headers });
  }
  res.end(payload);
  return true;
}

/** Answers 413 and closes the connection without reading an oversized body into memory. */
export function refuseTooLarge(req: IncomingMessage, res: ServerResponse, limit: number, declared?: number): true {
  refuse(
    res,
    413,
    'PAYLOAD_TOO_LARGE',
    `The request body is larger than ${limit} bytes`,
    declared !== undefined ? { limit, actual: declared } : { limit },
    { connection: 'close' },
  );
  // Let the client finish sending (so it reads the answer instead of a reset), discarding the
  // bytes; a client that keeps sending far past the limit is cut off.
  let drained = 0;
  const cap = Math.max(limit * 16, 16 * 1024 * 1024);
  req.on('data', (chunk: Buffer) => {
    drained += chunk.length;
    if (drained > cap) req.destroy();
  });
  req.resume();
  setTimeout(() => req.destroy(), 10_000).unref();
  return true;
}

export function createHttpGuard(
  options: SecurityOptions,
  limiter: RateLimiter | undefined,
  jwtSecret: string | undefined,
): { guard: HttpGuard; clientKey: (req: IncomingMessage) => string } {
  const keys = new WeakMap<IncomingMessage, string>();
  const clientKeys = new ClientKeys(jwtSecret, options.trustProxyHops);
  const clientKey = (req: IncomingMessage): string => {
    let key = keys.get(req);
    if (!key) {
      key = clientKeys.of(req);
      keys.set(req, key);
    }
    return key;
  };

  const count = async (req: IncomingMessage, res: ServerResponse, cost: number): Promise<boolean> => {
    if (!limiter) return false;
    const decision = await limiter.hit(clientKey(req), cost);
    if (decision.allowed) return false;
    const retryAfter = Math.max(1, Math.ceil(decision.resetMs / 1000));
    return refuse(
      res,
      429,
      'RATE_LIMITED',
      `Too many requests: at most ${limiter.max} per ${limiter.windowMs / 1000} s; try again in ${retryAfter} s`,
      { limit: limiter.max, windowMs: limiter.windowMs, retryAfterSeconds: retryAfter },
      { 'retry-after': String(retryAfter) },
    );
  };

  const guard: HttpGuard = async (req, res, body) => {
    if (body === undefined) {
      const declared = Number(req.headers['content-length']);
      if (Number.isFinite(declared) && declared > options.bodyLimitBytes) return refuseTooLarge(req, res, options.bodyLimitBytes, declared);
      return count(req, res, 1);
    }
    if (Array.isArray(body)) {
      if (options.batchMax === 0) {
        return refuse(res, 400, 'BATCHING_NOT_ALLOWED', 'Batched requests (a JSON array of operations) are not accepted; send one operation per request', {
          limit: 0,
          actual: body.length,
        });
      }
      if (body.length > options.batchMax) {
        return refuse(res, 400, 'BATCH_LIMIT_EXCEEDED', `The batch has ${body.length} operations; the limit is ${options.batchMax}`, {
          limit: options.batchMax,
          actual: body.length,
        });
      }
      if (body.length > 1) return count(req, res, body.length - 1);
    }
    return false;
  };
  return { guard, clientKey };
}

/** Reads the body up to `limit` bytes; undefined when larger (the 413 is then already answered). */
function readLimited(req: IncomingMessage, res: ServerResponse, limit: number): Promise<string | undefined> {
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
        refuseTooLarge(req, res, limit);
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

/**
 * Serves one GraphQL HTTP request with Apollo Server on plain node:http, like `serveGraphQL` of
 * shared/http.ts, with the security guard at both of its points and an oversized body answered
 * with 413 (and the connection closed) instead of being read.
 */
export async function serveSecuredGraphQL<TContext extends BaseContext>(
  server: ApolloServer<TContext>,
  req: IncomingMessage,
  res: ServerResponse,
  context: () => Promise<TContext>,
  guard: HttpGuard,
  bodyLimit: number,
): Promise<void> {
  if (await guard(req, res)) return;
  const headers = new HeaderMap();
  for (const [key, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers.set(key, Array.isArray(value) ? value.join(', ') : value);
  }
  let body: unknown;
  if (req.method === 'POST') {
    const raw = await readLimited(req, res, bodyLimit);
    if (raw === undefined) return;
    if ((headers.get('content-type') ?? '').includes('application/json')) {
      try {
        body = raw.length ? JSON.parse(raw) : undefined;
      } catch {
        const payload = JSON.stringify({ errors: [{ message: 'The request body is not valid JSON', extensions: { code: 'BAD_REQUEST' } }] });
        res.writeHead(400, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(payload) });
        res.end(payload);
        return;
      }
    } else {
      body = raw;
    }
    if (await guard(req, res, body)) return;
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
