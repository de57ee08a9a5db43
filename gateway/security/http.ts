import type { IncomingMessage, ServerResponse } from 'node:http';
import { answerTooLarge as refuseTooLarge, type HttpGuard } from '../../shared/http';
import { errorBody, type SecurityErrorCode } from './errors';
import type { SecurityOptions } from './options';
import { ClientKeys, type RateLimiter } from './rate-limit';

/**
 * The HTTP-level guard: `(req, res)` before the body is read (rate limit, declared body size),
 * `(req, res, body)` once the JSON body is parsed (batching; a batch counts as one request per
 * operation). Resolves true when it has answered the request (a refusal): the caller stops there.
 */
export type { HttpGuard };

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
