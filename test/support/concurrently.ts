import { gatewayOptions } from './gateway';
import type { RunningGraph } from './graph';
import type { GraphQLResponse } from './subgraph';

/**
 * Runs `n` attempts at once and waits for all of them, whatever each one does. Every attempt is
 * created in the same tick, after a shared start signal, so none gets a head start from the time
 * it takes to build the others (a loop of `await`s, or a slow argument, would serialise them and
 * hide the race the test is about). The results are in attempt order; a rejected attempt is a
 * `rejected` entry, never a thrown error, so a test can count winners and losers.
 *
 * Every capacity and per-resident limit test at 50 or more attempts goes through this.
 */
export async function concurrently<T>(n: number, attempt: (i: number) => Promise<T>): Promise<PromiseSettledResult<T>[]> {
  if (!Number.isInteger(n) || n < 1) throw new Error(`concurrently: n must be a positive integer, not ${n}`);
  let go!: () => void;
  const start = new Promise<void>((resolve) => {
    go = resolve;
  });
  const running = Array.from({ length: n }, (_, i) => start.then(() => attempt(i)));
  go();
  return Promise.allSettled(running);
}

/** The values of settled attempts, in order; throws the first rejection (a test's own failure, not a refusal). */
export function values<T>(settled: PromiseSettledResult<T>[]): T[] {
  return settled.map((r) => {
    if (r.status === 'rejected') throw r.reason;
    return r.value;
  });
}

/** How many answers carry each outcome: the root field's data (`ok`) or the first error's code. */
export function outcomes(answers: Array<GraphQLResponse<any>>, field: string): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const a of answers) {
    const key = a.data?.[field] ? 'ok' : String(a.errors?.[0]?.extensions?.code ?? `HTTP ${a.status}`);
    counts[key] = (counts[key] ?? 0) + 1;
  }
  return counts;
}

/**
 * A second gateway over `graph`'s subgraphs whose per-client fairness lets a burst of one client
 * through: no in-flight or queue limit, no rate limit. The default gateway (8 in flight, 16
 * queued per client) refuses most of a 50-attempt burst from one token with RATE_LIMITED, so a
 * test of a subgraph rule through it would test the gateway instead. Everything else (identity,
 * the signed viewer header, query planning) is the gateway's own.
 */
export async function startBurstGateway(graph: RunningGraph): Promise<{
  url: string;
  query<T = any>(query: string, variables?: Record<string, unknown>, token?: string): Promise<GraphQLResponse<T>>;
  stop(): Promise<void>;
}> {
  const security = { ...gatewayOptions({}).security, maxInFlight: 0, maxQueued: 0, rateLimitMax: 0 };
  const { server, url } = await graph.startGateway({ security });
  return {
    url,
    async query(query, variables = {}, token) {
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      if (token) headers.authorization = `Bearer ${token}`;
      const res = await fetch(url, { method: 'POST', headers, body: JSON.stringify({ query, variables }) });
      const body = (await res.json()) as GraphQLResponse;
      return { status: res.status, data: body.data, errors: body.errors };
    },
    stop: () => server.stop(),
  };
}
