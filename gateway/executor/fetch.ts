import { EventEmitter } from 'node:events';
import { STATUS_CODES } from 'node:http';
import { GraphQLError } from 'graphql';
import { Pool } from 'undici';
import { parseCacheControlHeader } from '@apollo/gateway/dist/datasources/parseCacheControlHeader';
import { UNMASKED_READ_HEADER, VIEWER_HEADER } from '../../shared/platform/auth';
import { injectTraceHeaders } from '../../shared/platform/tracing';
import { CircuitBreaker, type CircuitBreakerOptions } from '../datasources/circuit-breaker';
import { guardedSubgraphCall, type SubgraphDataSourceOptions } from '../datasources/subgraph-datasource';
import { InFlightShare, noteUnmaskedRead, subgraphCallKey } from '../perf/dedupe';

/** What a subgraph answers: the GraphQL response body, parsed once. */
export interface SubgraphAnswer {
  data?: Record<string, any> | null;
  errors?: Array<{ message: string; path?: ReadonlyArray<string | number>; extensions?: Record<string, unknown> }>;
  extensions?: Record<string, unknown>;
}

/** What reaches the subgraph besides the operation: identity, request id, the cache hints sink. */
export interface CallContext {
  viewerToken?: string;
  requestId?: string;
  /** Apollo Server's overall cache policy for the operation: each answer's `Cache-Control` restricts it. */
  cachePolicy?: { restrict(hint: { maxAge?: number; scope?: 'PUBLIC' | 'PRIVATE' }): void };
}

export interface SubgraphClientOptions {
  /** A query's deadline (`SUBGRAPH_TIMEOUT_MS`). */
  timeoutMs: number;
  /** A mutation's deadline (`SUBGRAPH_MUTATION_TIMEOUT_MS`); the query deadline when undefined. */
  mutationTimeoutMs?: number;
  breaker: CircuitBreakerOptions;
  /** Extra attempts for queries after a network failure (`SUBGRAPH_RETRIES`). */
  retries: number;
  /** Identical queries in flight share one call (`SUBGRAPH_DEDUPE`). */
  dedupe: boolean;
  onFetch?: SubgraphDataSourceOptions['onFetch'];
}

/** A received answer before parsing: shared between callers of one in-flight call as text. */
interface Received {
  status: number;
  contentType?: string;
  cacheControl?: string;
  /** The subgraph marked it UNMASKED_READ_HEADER: it reaches only the caller whose call made it. */
  unmasked: boolean;
  text: string;
}

class TimeoutError extends Error {
  override name = 'TimeoutError';
}

/**
 * CityGraph's executor's HTTP client to the subgraphs: one keep-alive undici `Pool` per subgraph
 * origin and `pool.request` (no WHATWG fetch: no streams, no AbortController per call), the
 * answer read as text and parsed once per caller. The deadline, circuit breaker, retry and error
 * answers are the ones Apollo's executor gets (`guardedSubgraphCall`), sharing is `InFlightShare`.
 */
export class SubgraphClients {
  private readonly pools = new Map<string, Pool>();
  private readonly breakers = new Map<string, CircuitBreaker>();
  private readonly share = new InFlightShare<Received>();

  constructor(private readonly options: SubgraphClientOptions) {}

  get stats(): { shared: number; sent: number } {
    return this.share.stats;
  }

  breaker(name: string): CircuitBreaker {
    let breaker = this.breakers.get(name);
    if (!breaker) this.breakers.set(name, (breaker = new CircuitBreaker(this.options.breaker)));
    return breaker;
  }

  /**
   * Calls a subgraph; failures come back as the errors of this subgraph's part, never thrown.
   * `breaker` is the subgraph's data source's (one per subgraph, whichever executor calls it).
   */
  async call(name: string, url: string, body: string, isQuery: boolean, ctx: CallContext, breaker = this.breaker(name)): Promise<SubgraphAnswer> {
    const policy = { name, breaker, retries: this.options.retries, onFetch: this.options.onFetch ?? (() => {}) };
    return guardedSubgraphCall(policy, isQuery, async () => {
      const received =
        isQuery && this.options.dedupe
          ? await this.share.run(subgraphCallKey(url, ctx.viewerToken, body), () => this.send(url, body, ctx, this.options.timeoutMs), (r) => r.unmasked)
          : await this.send(url, body, ctx, isQuery ? this.options.timeoutMs : (this.options.mutationTimeoutMs ?? this.options.timeoutMs));
      if (received.unmasked) noteUnmaskedRead();
      return answerOf(url, received, ctx);
    }) as Promise<SubgraphAnswer>;
  }

  private pool(url: URL): Pool {
    let pool = this.pools.get(url.origin);
    if (!pool) {
      pool = new Pool(url.origin, { connections: 128, pipelining: 1, keepAliveTimeout: 30_000, keepAliveMaxTimeout: 60_000 });
      this.pools.set(url.origin, pool);
    }
    return pool;
  }

  private async send(url: string, body: string, ctx: CallContext, timeoutMs: number): Promise<Received> {
    const target = new URL(url);
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (ctx.viewerToken) headers[VIEWER_HEADER] = ctx.viewerToken;
    if (ctx.requestId) headers['x-request-id'] = ctx.requestId;
    injectTraceHeaders((name, value) => (headers[name] = value));
    // undici takes an EventEmitter as its signal: a timer that emits `abort` costs far less than
    // an AbortSignal.timeout per call.
    const signal = new EventEmitter();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      signal.emit('abort');
    }, timeoutMs);
    try {
      const res = await this.pool(target).request({
        path: target.pathname + target.search,
        method: 'POST',
        headers,
        body,
        signal,
        headersTimeout: 0,
        bodyTimeout: 0,
      });
      const text = await res.body.text();
      const contentType = res.headers['content-type'];
      const cacheControl = res.headers['cache-control'];
      return {
        status: res.statusCode,
        contentType: Array.isArray(contentType) ? contentType[0] : contentType,
        cacheControl: Array.isArray(cacheControl) ? cacheControl.join(', ') : cacheControl,
        unmasked: res.headers[UNMASKED_READ_HEADER] !== undefined,
        text,
      };
    } catch (err) {
      if (timedOut) throw new TimeoutError(`The subgraph did not answer within ${timeoutMs} ms`);
      throw err;
    } finally {
      clearTimeout(timer);
    }
  }

  async close(): Promise<void> {
    await Promise.all([...this.pools.values()].map((p) => p.close()));
    this.pools.clear();
  }
}

function isJson(contentType: string | undefined): boolean {
  return !!contentType && (contentType.startsWith('application/json') || contentType.startsWith('application/graphql-response+json'));
}

/** The answer as RemoteGraphQLDataSource reads it (same errors for non-2xx and non-JSON bodies). */
function answerOf(url: string, received: Received, ctx: CallContext): SubgraphAnswer {
  const body: unknown = isJson(received.contentType) ? JSON.parse(received.text) : received.text;
  if (received.status < 200 || received.status > 299) {
    const statusText = STATUS_CODES[received.status] ?? '';
    const code = received.status === 401 ? 'UNAUTHENTICATED' : received.status === 403 ? 'FORBIDDEN' : undefined;
    throw new GraphQLError(`${received.status}: ${statusText}`, {
      extensions: { response: { url, status: received.status, statusText, body }, ...(code ? { code } : {}) },
    });
  }
  if (body === null || typeof body !== 'object' || Array.isArray(body)) throw new Error(`Expected JSON response body, but received: ${String(body)}`);
  if (ctx.cachePolicy) ctx.cachePolicy.restrict(cacheHintOf(received.cacheControl));
  return body as SubgraphAnswer;
}

/** A subgraph's `Cache-Control` as a cache hint, read as Apollo's data source reads it. */
function cacheHintOf(header: string | undefined): { maxAge: number; scope?: 'PUBLIC' | 'PRIVATE' } {
  const parsed = parseCacheControlHeader(header);
  const hint: { maxAge: number; scope?: 'PUBLIC' | 'PRIVATE' } = { maxAge: 0 };
  const maxAge = parsed['max-age'];
  if (typeof maxAge === 'string' && /^[0-9]+$/.test(maxAge)) hint.maxAge = +maxAge;
  if (parsed['private'] === true) hint.scope = 'PRIVATE';
  if (parsed['public'] === true) hint.scope = 'PUBLIC';
  return hint;
}
