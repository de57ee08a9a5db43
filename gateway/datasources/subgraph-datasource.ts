import { RemoteGraphQLDataSource, type GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import type { GatewayGraphQLResponse } from '@apollo/server-gateway-interface';
import type { Fetcher } from '@apollo/utils.fetcher';
import { AsyncLocalStorage } from 'node:async_hooks';
import { Agent, fetch as undiciFetch } from 'undici';
import { VIEWER_HEADER } from '../../shared/platform/auth';
import { injectTraceHeaders } from '../../shared/platform/tracing';
import type { GatewayContext } from '../auth';
import { CircuitBreaker, type CircuitBreakerOptions } from './circuit-breaker';

/**
 * The timeout of the fetches made inside `run` (a mutation's, longer than a query's). Apollo's
 * data source hands the fetcher only method, headers and body, so the data source sets it here.
 */
const fetchTimeout = new AsyncLocalStorage<number>();

/**
 * A keep-alive HTTP client shared by every subgraph data source: connections to subgraphs are
 * reused instead of opened per fetch. Each fetch fails after `timeoutMs`, or the timeout the data
 * source set for it.
 */
export function createSubgraphFetcher(timeoutMs: number): { fetcher: Fetcher; close: () => Promise<void> } {
  const agent = new Agent({ keepAliveTimeout: 30_000, keepAliveMaxTimeout: 60_000, connections: 128, pipelining: 1 });
  const fetcher = ((url: string, init?: { signal?: AbortSignal }) => {
    // A caller's own signal (readiness checks: a shorter deadline) applies as well as the timeout.
    const timeout = AbortSignal.timeout(fetchTimeout.getStore() ?? timeoutMs);
    const signal = init?.signal ? AbortSignal.any([init.signal, timeout]) : timeout;
    return undiciFetch(url, { ...(init as object), dispatcher: agent, signal });
  }) as unknown as Fetcher;
  return { fetcher, close: () => agent.close() };
}

export interface SubgraphDataSourceOptions {
  name: string;
  url: string;
  /** The HTTP client; Apollo Gateway's default (make-fetch-happen) when undefined. */
  fetcher?: Fetcher;
  breaker: CircuitBreakerOptions;
  /** Extra attempts for queries (never mutations) after a network failure (`SUBGRAPH_RETRIES`, default 1). */
  retries: number;
  /**
   * How long a mutation's fetch may take (`SUBGRAPH_MUTATION_TIMEOUT_MS`, default 30000), longer
   * than a query's: a slow write is not reported as failed while it lands. Applies with the
   * gateway's fetcher; undefined: the query timeout.
   */
  mutationTimeoutMs?: number;
  /** Called once per fetch with its outcome and duration (metrics). */
  onFetch?: (subgraph: string, outcome: 'ok' | 'error' | 'timeout' | 'circuit_open', seconds: number) => void;
}

/** A 4xx: the subgraph is up and refused this request; retrying will not help, and it is not a fault of the subgraph. */
function isRefusal(err: unknown): boolean {
  const status = (err as { extensions?: { response?: { status?: number } } }).extensions?.response?.status;
  return status !== undefined && status >= 400 && status < 500;
}

function isTimeout(err: unknown): boolean {
  const e = err as { name?: string; cause?: { name?: string } };
  return e?.name === 'TimeoutError' || e?.name === 'AbortError' || e?.cause?.name === 'TimeoutError';
}

/**
 * A subgraph as the gateway sees it: the operation's signed viewer and request id go with every
 * fetch; a subgraph that fails answers with an error for its part of the plan (so the rest of the
 * response still arrives), queries are retried once, and a circuit breaker stops calls to a
 * subgraph that keeps failing until a probe succeeds. The breaker counts only the subgraph's own
 * faults: refused or reset connections, 5xx, garbage, and queries that time out. A 4xx refusal
 * shows the subgraph is up, and a mutation that runs past its (longer) deadline may be a slow
 * write that still lands, so neither opens the circuit. Mutations are never retried.
 */
export class SubgraphDataSource extends RemoteGraphQLDataSource<GatewayContext> {
  readonly breaker: CircuitBreaker;
  private readonly subgraphName: string;
  private readonly retries: number;
  private readonly mutationTimeoutMs?: number;
  private readonly onFetch: NonNullable<SubgraphDataSourceOptions['onFetch']>;

  constructor(options: SubgraphDataSourceOptions) {
    super(options.fetcher ? { url: options.url, fetcher: options.fetcher } : { url: options.url });
    this.subgraphName = options.name;
    this.breaker = new CircuitBreaker(options.breaker);
    this.retries = options.retries;
    this.mutationTimeoutMs = options.mutationTimeoutMs;
    this.onFetch = options.onFetch ?? (() => {});
  }

  override willSendRequest({ request, context }: GraphQLDataSourceProcessOptions<GatewayContext>): void {
    const headers = request.http?.headers;
    if (!headers || !context) return;
    if (context.viewerToken) headers.set(VIEWER_HEADER, context.viewerToken);
    if (context.requestId) headers.set('x-request-id', context.requestId);
    injectTraceHeaders((name, value) => headers.set(name, value));
  }

  override async process(options: GraphQLDataSourceProcessOptions<GatewayContext>): Promise<GatewayGraphQLResponse> {
    const idempotent = isQueryText(options.request.query ?? '');
    return guardedSubgraphCall(this.policy, idempotent, () =>
      idempotent || this.mutationTimeoutMs === undefined
        ? super.process(options)
        : fetchTimeout.run(this.mutationTimeoutMs, () => super.process(options)),
    );
  }

  private get policy(): SubgraphCallPolicy {
    return { name: this.subgraphName, breaker: this.breaker, retries: this.retries, onFetch: this.onFetch };
  }
}

/** Whether an operation text is a query (retried, shared in flight) rather than a mutation. */
export function isQueryText(text: string): boolean {
  return /^\s*(query\b|\{)/.test(text);
}

/** What `guardedSubgraphCall` applies to one subgraph's calls. */
export interface SubgraphCallPolicy {
  name: string;
  breaker: CircuitBreaker;
  /** Extra attempts for queries after a network failure. */
  retries: number;
  onFetch: NonNullable<SubgraphDataSourceOptions['onFetch']>;
}

/**
 * The policy every subgraph call goes through, whichever executor made it (Apollo's through
 * SubgraphDataSource, CityGraph's through gateway/executor/fetch.ts): circuit breaker, one retry
 * of a query after a network failure, and the failure answered as an error for this subgraph's
 * part of the plan. `attempt` throws as RemoteGraphQLDataSource does: a GraphQLError with
 * `extensions.response` (status, body) for a non-2xx answer, a `TimeoutError` past the deadline.
 */
export async function guardedSubgraphCall<T extends GatewayGraphQLResponse>(
  policy: SubgraphCallPolicy,
  idempotent: boolean,
  attempt: () => Promise<T>,
): Promise<T | GatewayGraphQLResponse> {
  const { name, breaker, onFetch } = policy;
  if (!breaker.allow()) {
    onFetch(name, 'circuit_open', 0);
    return unavailable(name, `The ${name} service is unavailable; the gateway retries it in ${Math.ceil(breaker.retryInMs() / 1000)} s`, 'SUBGRAPH_UNAVAILABLE');
  }
  let tries = 0;
  const started = process.hrtime.bigint();
  const seconds = () => Number(process.hrtime.bigint() - started) / 1e9;
  for (;;) {
    try {
      const response = await attempt();
      breaker.success();
      onFetch(name, 'ok', seconds());
      return response;
    } catch (err) {
      if (idempotent && tries < policy.retries && !isTimeout(err) && !isRefusal(err)) {
        tries += 1;
        await new Promise((r) => setTimeout(r, 25 * tries));
        continue;
      }
      const response = (err as { extensions?: { response?: { status?: number; body?: unknown } } }).extensions?.response;
      if (response?.status && isRefusal(err)) {
        // The subgraph is up and refused this request (e.g. a field it does not know yet):
        // its own errors are the answer, and its circuit stays closed (a probe closes it).
        breaker.success();
        onFetch(name, 'error', seconds());
        const body = response.body as { errors?: Array<{ message: string; extensions?: Record<string, unknown> }> } | undefined;
        if (body && Array.isArray(body.errors) && body.errors.length) return { errors: body.errors as never };
        return unavailable(name, `The ${name} service refused the request (HTTP ${response.status})`, 'SUBGRAPH_REQUEST_REFUSED');
      }
      if (isTimeout(err) && !idempotent) {
        breaker.release();
        onFetch(name, 'timeout', seconds());
        return unavailable(name, `The ${name} service did not answer the mutation in time; it may still have been applied`, 'SUBGRAPH_TIMEOUT');
      }
      breaker.failure();
      onFetch(name, isTimeout(err) ? 'timeout' : 'error', seconds());
      if (isTimeout(err)) return unavailable(name, `The ${name} service did not answer in time`, 'SUBGRAPH_TIMEOUT');
      const status = response?.status;
      return unavailable(name, status ? `The ${name} service answered HTTP ${status}` : `The ${name} service is unreachable`, 'SUBGRAPH_UNAVAILABLE');
    }
  }
}

function unavailable(subgraph: string, message: string, code: string): GatewayGraphQLResponse {
  return { errors: [{ message, extensions: { code, serviceName: subgraph } }] as never };
}
