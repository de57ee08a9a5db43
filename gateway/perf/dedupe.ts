import type { Fetcher, FetcherRequestInit, FetcherResponse } from '@apollo/utils.fetcher';
import { AsyncLocalStorage } from 'node:async_hooks';
import { UNMASKED_READ_HEADER, VIEWER_HEADER } from '../../shared/platform/auth';

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
export function viewerIdentity(token: string | undefined): string {
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
/**
 * Identical subgraph calls in flight share one: while the call for a key is under way, another
 * caller with the same key waits for its answer. The answer is never kept once it has arrived
 * (this is not a cache). The key is `subgraphCallKey`; both executors' fetchers share through this.
 */
export class InFlightShare<T> {
  private readonly inFlight = new Map<string, Promise<T>>();
  readonly stats = { shared: 0, sent: 0, refetched: 0 };

  /**
   * `exclusive` tells an answer that must reach only the caller whose call made it (one holding
   * unmasked personal data, whose read the subgraph logged): a caller that joined such a call
   * makes its own instead, so each caller's read is logged.
   */
  run(key: string, make: () => Promise<T>, exclusive?: (answer: T) => boolean): Promise<T> {
    const shared = this.inFlight.get(key);
    if (!shared) return this.lead(key, make);
    this.stats.shared += 1;
    if (!exclusive) return shared;
    return shared.then((answer) => {
      if (!exclusive(answer)) return answer;
      this.stats.shared -= 1;
      this.stats.refetched += 1;
      return make();
    });
  }

  private lead(key: string, make: () => Promise<T>): Promise<T> {
    this.stats.sent += 1;
    const shared = make();
    this.inFlight.set(key, shared);
    const done = () => this.inFlight.delete(key);
    shared.then(done, done);
    return shared;
  }
}

const isUnmaskedShared = (answer: Shared) => answer.headers.some(([name]) => name === UNMASKED_READ_HEADER);

/**
 * Which executions received a subgraph answer marked UNMASKED_READ_HEADER: the request sharing
 * (`request-sharing.ts`) runs each execution inside `trackUnmaskedReads`, and both executors'
 * subgraph clients call `noteUnmaskedRead` when such an answer reaches them, so an execution that
 * read unmasked personal data is never handed to a joined request (it executes on its own).
 */
const unmaskedReads = new AsyncLocalStorage<{ unmasked: boolean }>();

/** Marks the current execution as holding unmasked personal data (see `trackUnmaskedReads`). */
export function noteUnmaskedRead(): void {
  const store = unmaskedReads.getStore();
  if (store) store.unmasked = true;
}

/** Runs `run`; `marks.unmasked` turns true when a subgraph answer it received held unmasked personal data. */
export function trackUnmaskedReads<T>(run: () => Promise<T>): { answer: Promise<T>; marks: { unmasked: boolean } } {
  const marks = { unmasked: false };
  return { answer: unmaskedReads.run(marks, run), marks };
}

/** What makes two subgraph calls the same: the URL, the viewer's claims and the exact body. */
export function subgraphCallKey(url: string, viewerToken: string | undefined, body: string): string {
  return `${url}\n${viewerIdentity(viewerToken)}\n${body}`;
}

/**
 * Deduplicates identical subgraph queries in flight: while one fetch for the same subgraph URL,
 * the same body (operation, variables, representations) and the same viewer (the signed identity's
 * claims) is under way, another caller waits for its answer instead of sending a second request.
 * Each caller gets its own response object over the same text, so nothing is shared after parsing.
 * Mutations and non-POST requests always go out.
 */
export function dedupeFetcher(fetcher: Fetcher): Fetcher & { stats: { shared: number; sent: number; refetched: number } } {
  const share = new InFlightShare<Shared>();
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
    const shared = await share.run(subgraphCallKey(url, headerOf(init, VIEWER_HEADER), body), async () => {
      const res = await fetcher(url, init);
      const headers: [string, string][] = [];
      for (const name of ['content-type', 'cache-control', UNMASKED_READ_HEADER]) {
        const value = res.headers.get(name);
        if (value !== null) headers.push([name, value]);
      }
      return { status: res.status, statusText: res.statusText, headers, text: await res.text() };
    }, isUnmaskedShared);
    if (isUnmaskedShared(shared)) noteUnmaskedRead();
    return new SharedResponse(url, shared) as unknown as FetcherResponse;
  }) as Fetcher & { stats: { shared: number; sent: number; refetched: number } };
  wrapped.stats = share.stats;
  return wrapped;
}
