import type { Fetcher } from '@apollo/utils.fetcher';
import type { SubgraphEndpoint } from './supergraph/routing';

export interface Readiness {
  ready: boolean;
  supergraphLoaded: boolean;
  subgraphs: Record<string, 'up' | 'down'>;
}

/**
 * Readiness: the supergraph is loaded and every subgraph answers `{ __typename }` (a query any
 * GraphQL server answers, so this works for any supergraph). Checks are cached briefly so a
 * load balancer polling hard does not turn into load on the subgraphs.
 */
export class ReadinessProbe {
  private cached?: { at: number; value: Readiness };

  constructor(
    private readonly endpoints: () => SubgraphEndpoint[] | undefined,
    private readonly fetcher: Fetcher,
    private readonly cacheMs = 1000,
  ) {}

  async check(): Promise<Readiness> {
    const now = Date.now();
    if (this.cached && now - this.cached.at < this.cacheMs) return this.cached.value;
    const endpoints = this.endpoints();
    if (!endpoints) return { ready: false, supergraphLoaded: false, subgraphs: {} };
    const results = await Promise.all(
      endpoints.map(async (e) => {
        try {
          const res = await this.fetcher(e.url, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ query: '{ __typename }' }),
          });
          const body = (await res.json()) as { data?: { __typename?: string } };
          return [e.name, res.ok && body.data?.__typename ? 'up' : 'down'] as const;
        } catch {
          return [e.name, 'down'] as const;
        }
      }),
    );
    const subgraphs = Object.fromEntries(results) as Readiness['subgraphs'];
    const value = { ready: results.every(([, s]) => s === 'up'), supergraphLoaded: true, subgraphs };
    this.cached = { at: now, value };
    return value;
  }
}
