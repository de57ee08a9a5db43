import type { Fetcher, FetcherRequestInit, FetcherResponse } from '@apollo/utils.fetcher';
import { VIEWER_HEADER } from '../../shared/platform/auth';

/** What an in-flight subgraph answer is shared as: each caller gets its own Response over the same text. */
interface Shared {
  status: number;
  statusText: string;
  headers: [string, string][];
  text: string;
}

const QUERY = /^\s*(query\b|\{)/;

/**
 * What RemoteGraphQLDataSource reads of a response (ok, status, headers.get, json/text), over text
 * already received: cheaper than building a WHATWG Response (streams) for every caller.
 */
class SharedResponse {
  readonly ok: boolean;
  readonly status: number;
  readonly statusText: string;
  readonly redirected = false;
  readonly headers: { get(name: string): string | null; has(name: string): boolean };
  private used = false;

  constructor(readonly url: string, private readonly shared: Shared) {
    this.ok = shared.status >= 200 && shared.status < 300;
    this.status = shared.status;
    this.statusText = shared.statusText;
    const map = new Map(shared.headers);
    this.headers = { get: (name) => map.get(name.toLowerCase()) ?? null, has: (name) => map.has(name.toLowerCase()) };
  }

  get bodyUsed(): boolean {
    return this.used;
  }

  async text(): Promise<string> {
    this.used = true;
    return this.shared.text;
  }

  async json(): Promise<unknown> {
    this.used = true;
    return JSON.parse(this.shared.text);
  }

  clone(): SharedResponse {
    return new SharedResponse(this.url, this.shared);
  }
}

/** The viewer's claims without the per-signature times, so two signatures of one viewer match. */
function viewerIdentity(token: string | undefined): string {
  if (!token) return '-';
  const payload = token.split('.')[1];
  if (!payload) return token;
  try {
    const { iat: _iat, exp: _exp, ...claims } = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>;
    return JSON.stringify(claims);
  } catch {
    return token;
  }
}

function headerOf(init: FetcherRequestInit | undefined, name: string): string | undefined {
  const headers = init?.headers as unknown;
  if (!headers) return undefined;
  if (typeof (headers as { get?: unknown }).get === 'function') return (headers as { get(n: string): string | null }).get(name) ?? undefined;
  const record = headers as Record<string, string>;
  return record[name] ?? Object.entries(record).find(([k]) => k.toLowerCase() === name)?.[1];
}

/**
 * Deduplicates identical subgraph queries in flight: while one fetch for the same subgraph URL,
 * the same body (operation, variables, representations) and the same viewer (the signed identity's
 * claims) is under way, another caller waits for its answer instead of sending a second request.
 * Each caller gets its own response object over the same text, so nothing is shared after parsing.
 * Mutations and non-POST requests always go out. The answer is never kept once it has arrived:
 * this is not a cache, only requests that overlap in time share one.
 */
export function dedupeFetcher(fetcher: Fetcher): Fetcher & { stats: { shared: number; sent: number } } {
  const inFlight = new Map<string, Promise<Shared>>();
  const stats = { shared: 0, sent: 0 };
  const wrapped = (async (url: string, init?: FetcherRequestInit): Promise<FetcherResponse> => {
    const body = init?.body;
    if (init?.method !== 'POST' || typeof body !== 'string') return fetcher(url, init);
    let query: unknown;
    try {
      query = (JSON.parse(body) as { query?: unknown }).query;
    } catch {
      return fetcher(url, init);
    }
    if (typeof query !== 'string' || !QUERY.test(query)) return fetcher(url, init);
    const key = `${url}\n${viewerIdentity(headerOf(init, VIEWER_HEADER))}\n${body}`;
    let shared = inFlight.get(key);
    if (shared) stats.shared += 1;
    else {
      stats.sent += 1;
      shared = (async () => {
        const res = await fetcher(url, init);
        const headers: [string, string][] = [];
        for (const name of ['content-type', 'cache-control']) {
          const value = res.headers.get(name);
          if (value !== null) headers.push([name, value]);
        }
        return { status: res.status, statusText: res.statusText, headers, text: await res.text() };
      })();
      inFlight.set(key, shared);
      const done = () => inFlight.delete(key);
      shared.then(done, done);
    }
    return new SharedResponse(url, await shared) as unknown as FetcherResponse;
  }) as Fetcher & { stats: { shared: number; sent: number } };
  wrapped.stats = stats;
  return wrapped;
}
