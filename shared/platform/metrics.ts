import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

const SECONDS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
const COSTS = [1, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000, 50000, 100000, 1000000];
const OPERATION_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;
const MAX_OPERATION_NAMES = 200;

/**
 * The `route` label of an HTTP request: its path when it is one of the process's `routes`, the
 * prefix when it starts with one of `prefixes` (the dashboard's files), else `other`. Label values
 * stay bounded whatever paths clients invent: each distinct value is a series kept for the life of
 * the process.
 */
export function routeLabel(path: string, routes: ReadonlySet<string>, prefixes: readonly string[] = []): string {
  if (routes.has(path)) return path;
  for (const prefix of prefixes) if (path.startsWith(prefix)) return prefix;
  return 'other';
}

/**
 * Prometheus metrics of one process, served at `/metrics`. Operation names become labels only
 * when well formed and among the first 200 seen, so a client cannot explode the series count.
 */
export class Metrics {
  readonly registry = new Registry();
  readonly httpRequests: Counter<'route' | 'status'>;
  readonly operations: Histogram<'operation' | 'type'>;
  readonly errors: Counter<'code'>;
  readonly subgraphFetches: Histogram<'subgraph' | 'outcome'>;
  private readonly names = new Set<string>();

  constructor(service: string) {
    this.registry.setDefaultLabels({ service });
    collectDefaultMetrics({ register: this.registry });
    this.httpRequests = new Counter({ name: 'http_requests_total', help: 'HTTP requests by route and status', labelNames: ['route', 'status'], registers: [this.registry] });
    this.operations = new Histogram({
      name: 'graphql_operation_duration_seconds',
      help: 'GraphQL operations by name and type, with their duration',
      labelNames: ['operation', 'type'],
      buckets: SECONDS,
      registers: [this.registry],
    });
    this.errors = new Counter({ name: 'graphql_errors_total', help: 'GraphQL errors by extensions.code', labelNames: ['code'], registers: [this.registry] });
    this.subgraphFetches = new Histogram({
      name: 'subgraph_fetch_duration_seconds',
      help: 'Gateway fetches to subgraphs by subgraph and outcome',
      labelNames: ['subgraph', 'outcome'],
      buckets: SECONDS,
      registers: [this.registry],
    });
  }

  /** Reports the database pool's connections (open, in use) at each scrape. */
  trackDbPool(pool: { open: number; inUse: number }): void {
    new Gauge({
      name: 'mongodb_pool_connections',
      help: 'MongoDB driver pool connections by state',
      labelNames: ['state'],
      registers: [this.registry],
      collect() {
        this.set({ state: 'open' }, pool.open);
        this.set({ state: 'in_use' }, pool.inUse);
      },
    });
  }

  /** Reports open subscriptions and shared upstream streams at each scrape. */
  trackSubscriptions(stats: () => { subscriptions: number; streams: number }): void {
    new Gauge({
      name: 'graphql_subscriptions_open',
      help: 'Open client subscriptions, and the shared upstream streams serving them',
      labelNames: ['kind'],
      registers: [this.registry],
      collect() {
        const s = stats();
        this.set({ kind: 'client' }, s.subscriptions);
        this.set({ kind: 'upstream' }, s.streams);
      },
    });
  }

  /** Reports the gateway's response cache (entries now; hits, misses and emptyings so far) at each scrape. */
  trackResponseCache(cache: { size: number; hits: number; misses: number; invalidations: number }): void {
    new Gauge({
      name: 'gateway_response_cache_entries',
      help: 'Answers held by the response cache',
      registers: [this.registry],
      collect() {
        this.set(cache.size);
      },
    });
    new Counter({
      name: 'gateway_response_cache_events_total',
      help: 'Response cache lookups by result (hit, miss), and emptyings (invalidation)',
      labelNames: ['event'],
      registers: [this.registry],
      collect() {
        this.reset();
        this.inc({ event: 'hit' }, cache.hits);
        this.inc({ event: 'miss' }, cache.misses);
        this.inc({ event: 'invalidation' }, cache.invalidations);
      },
    });
  }

  /** Reports inbound request sharing (executions others could join, requests that joined one) at each scrape. */
  trackRequestSharing(sharing: { led: number; shared: number }): void {
    new Counter({
      name: 'gateway_request_sharing_total',
      help: 'Queries by their part in inbound in-flight request sharing: led (executed, open to joiners) or shared (answered by another request\'s execution)',
      labelNames: ['role'],
      registers: [this.registry],
      collect() {
        this.reset();
        this.inc({ role: 'led' }, sharing.led);
        this.inc({ role: 'shared' }, sharing.shared);
      },
    });
  }

  /** Reports the gateway's cost estimates (`graphql_operation_cost`, by operation type); returns the observer. */
  trackOperationCost(): (cost: number, type: string) => void {
    const histogram = new Histogram({
      name: 'graphql_operation_cost',
      help: 'Estimated cost of GraphQL operations (@cost / @listSize model), by operation type',
      labelNames: ['type'],
      buckets: COSTS,
      registers: [this.registry],
    });
    return (cost, type) => histogram.observe({ type }, Number.isFinite(cost) ? cost : Number.MAX_SAFE_INTEGER);
  }

  operationLabel(name: string | null | undefined): string {
    if (!name) return 'anonymous';
    if (this.names.has(name)) return name;
    if (!OPERATION_NAME.test(name) || this.names.size >= MAX_OPERATION_NAMES) return 'other';
    this.names.add(name);
    return name;
  }

  /** Records operation durations and error codes from Apollo Server's request lifecycle. */
  plugin<T extends BaseContext>(): ApolloServerPlugin<T> {
    const metrics = this;
    return {
      async requestDidStart() {
        const started = process.hrtime.bigint();
        return {
          async willSendResponse(ctx) {
            const seconds = Number(process.hrtime.bigint() - started) / 1e9;
            metrics.operations.observe({ operation: metrics.operationLabel(ctx.operationName), type: ctx.operation?.operation ?? 'unknown' }, seconds);
            const body = ctx.response.body;
            const errors = body.kind === 'single' ? body.singleResult.errors : body.initialResult.errors;
            for (const e of errors ?? []) metrics.errors.inc({ code: String(e.extensions?.code ?? 'UNKNOWN') });
          },
        };
      },
    };
  }

  async render(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }
}
