import type { Fetcher } from '@apollo/utils.fetcher';
import type { SubgraphEndpoint } from './supergraph/routing';

/** One subgraph as readiness sees it; `reason` says why it is not ready. */
export type SubgraphReadiness = { status: 'up' } | { status: 'down'; reason: string };

export interface Readiness {
  ready: boolean;
  supergraphLoaded: boolean;
  subgraphs: Record<string, SubgraphReadiness>;
}

/** How long one subgraph's readiness answer may take: a load balancer wants an answer, not a wait. */
export const READINESS_TIMEOUT_MS = 2000;

/** The subgraph's own readiness endpoint: same origin as its routing URL, path `/health/ready`. */
export function readinessUrl(routingUrl: string): string {
  return new URL('/health/ready', routingUrl).toString();
}

function failure(err: unknown): string {
  const e = err as { name?: string; cause?: { name?: string; code?: string } };
  if (e?.name === 'TimeoutError' || e?.name === 'AbortError' || e?.cause?.name === 'TimeoutError') return 'timeout';
  return e?.cause?.code === 'ECONNREFUSED' ? 'connection refused' : 'unreachable';
}

/**
 * Readiness: the supergraph is loaded and every subgraph is ready. Each subgraph is asked at its
 * own `/health/ready`, which in CityGraph's subgraphs includes their database, and its 503 reason
 * is passed on. A server that has no such endpoint (any other status than 200 or 503, e.g. the
 * subgraphs of an arbitrary supergraph in plain mode) is probed with `{ __typename }`, which any
 * GraphQL server answers. Checks are cached briefly and shared while in flight, so a load
 * balancer polling hard does not turn into load on the subgraphs.
 */
export class ReadinessProbe {
  private cached?: { at: number; value: Readiness };
  private inFlight?: Promise<Readiness>;

  constructor(
    private readonly endpoints: () => SubgraphEndpoint[] | undefined,
    private readonly fetcher: Fetcher,
    private readonly cacheMs = 1000,
    private readonly timeoutMs = READINESS_TIMEOUT_MS,
  ) {}

  check(): Promise<Readiness> {
    if (this.cached && Date.now() - this.cached.at < this.cacheMs) return Promise.resolve(this.cached.value);
    this.inFlight ??= this.run().finally(() => (this.inFlight = undefined));
    return this.inFlight;
  }

  private async run(): Promise<Readiness> {
    const endpoints = this.endpoints();
    if (!endpoints) return { ready: false, supergraphLoaded: false, subgraphs: {} };
    const results = await Promise.all(endpoints.map(async (e) => [e.name, await this.subgraph(e.url)] as const));
    const value: Readiness = {
      ready: results.every(([, r]) => r.status === 'up'),
      supergraphLoaded: true,
      subgraphs: Object.fromEntries(results),
    };
    this.cached = { at: Date.now(), value };
    return value;
  }

  private async subgraph(url: string): Promise<SubgraphReadiness> {
    try {
      const res = await this.fetcher(readinessUrl(url), { method: 'GET', signal: AbortSignal.timeout(this.timeoutMs) });
      const text = await res.text();
      if (res.status === 200) return { status: 'up' };
      if (res.status === 503) {
        let reason: unknown;
        try {
          reason = (JSON.parse(text) as { reason?: unknown }).reason;
        } catch {
          /* not ours: the status says enough */
        }
        return { status: 'down', reason: typeof reason === 'string' && reason ? reason.slice(0, 200) : 'HTTP 503' };
      }
    } catch (err) {
      return { status: 'down', reason: failure(err) };
    }
    return this.typename(url);
  }

  private async typename(url: string): Promise<SubgraphReadiness> {
    try {
      const res = await this.fetcher(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: '{ __typename }' }),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
      const body = (await res.json().catch(() => undefined)) as { data?: { __typename?: string } } | undefined;
      if (res.ok && body?.data?.__typename) return { status: 'up' };
      return { status: 'down', reason: res.ok ? 'no GraphQL answer' : `HTTP ${res.status}` };
    } catch (err) {
      return { status: 'down', reason: failure(err) };
    }
  }
}
