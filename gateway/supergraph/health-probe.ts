import { subgraphEndpoints } from './routing';

export interface ProbeOptions {
  /** The URL actually used for a subgraph (routing overrides such as `SUBGRAPH_<NAME>_URL`). */
  resolveUrl?: (name: string, url: string) => string;
  /** How long each subgraph may take to answer (default 3000 ms). */
  timeoutMs?: number;
}

/**
 * Checks that every subgraph a supergraph names answers `{ __typename }` at its routing URL.
 * Throws one error naming each subgraph that does not. (Apollo Gateway's own `healthCheck` goes
 * through the data sources, and the gateway's data source answers failures as partial results
 * instead of throwing, so it cannot see a subgraph that is down: this probe can.)
 */
export async function probeSupergraphSubgraphs(supergraphSdl: string, options: ProbeOptions = {}): Promise<void> {
  const resolve = options.resolveUrl ?? ((_n: string, url: string) => url);
  const timeoutMs = options.timeoutMs ?? 3000;
  const endpoints = subgraphEndpoints(supergraphSdl);
  if (!endpoints.length) throw new Error('The supergraph names no subgraphs (no join__Graph enum)');
  const problems = (
    await Promise.all(
      endpoints.map(async (e) => {
        const url = resolve(e.name, e.url);
        try {
          const res = await fetch(url, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ query: 'query __RegistryHealthCheck__ { __typename }' }),
            signal: AbortSignal.timeout(timeoutMs),
          });
          const body = (await res.json().catch(() => undefined)) as { data?: { __typename?: string } } | undefined;
          if (!body?.data?.__typename) return `${e.name} (${url}): HTTP ${res.status} without a GraphQL result`;
          return undefined;
        } catch (err) {
          const cause = (err as { cause?: { code?: string } }).cause;
          return `${e.name} (${url}): ${cause?.code ?? (err as Error).message}`;
        }
      }),
    )
  ).filter((p): p is string => !!p);
  if (problems.length) throw new Error(`subgraph health check failed: ${problems.join('; ')}`);
}
