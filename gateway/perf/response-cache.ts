import type { ApolloServerPlugin, GraphQLRequestContext, GraphQLResponse } from '@apollo/server';
import type { GatewayContext } from '../auth';

/** Settings of the response cache (`RESPONSE_CACHE`, `RESPONSE_CACHE_MAX_TTL_MS`, `RESPONSE_CACHE_MAX_ENTRIES`). */
export interface ResponseCacheOptions {
  /** Reuse whole answers for as long as the subgraphs' cache hints allow (default on). */
  enabled: boolean;
  /** Upper bound of any answer's life in ms, whatever the hints say. */
  maxTtlMs: number;
  /** Most answers kept; the oldest goes first. */
  maxEntries: number;
  /** Most bytes kept (answers measured as JSON); the oldest go first, and a larger answer is not kept. */
  maxBytes: number;
}

type SingleResult = Extract<GraphQLResponse['body'], { kind: 'single' }>['singleResult'];

interface Entry {
  expires: number;
  bytes: number;
  scope: 'PUBLIC' | 'PRIVATE';
  result: SingleResult;
}

/**
 * Whole answers to queries, reused for as long as the subgraphs say their data may be reused.
 *
 * Each subgraph declares cache hints in its SDL (`@cacheControl(maxAge, scope)`, Apollo Server's
 * cache control); Apollo Gateway folds the `Cache-Control` header of every subgraph fetch of an
 * operation into the operation's overall policy, so an answer is cacheable only when every part
 * of it is, for the shortest of their lifetimes. Anything without a hint has maxAge 0 and is
 * never cached: caching is opted into by the subgraph that owns the data.
 *
 * Answers are never shared between viewers: the key holds the viewer's verified identity (every
 * anonymous caller shares one), so a PRIVATE answer (masked phone numbers, a resident's own
 * requests) is only ever replayed to the viewer it was made for, whatever the hints say. For a
 * caller with a token the HTTP `Cache-Control` is downgraded to `private`, so a shared HTTP cache
 * never keeps it either.
 *
 * Invalidation: a mutation through this gateway empties the cache when it starts and again when
 * it has finished, and an answer computed across an invalidation is not stored. `invalidate()` is
 * also called by the server on a new supergraph, on every event a subgraph streams to a
 * subscription, and with Redis on every subgraph event and other replicas' mutations
 * (`gateway/perf/invalidation.ts`). Changes nobody announces (scheduled rules without Redis) show
 * within the hint's maxAge.
 *
 * It runs as an Apollo Server plugin after parsing, validation and `didResolveOperation`, so the
 * security layer's limits still apply to every request; a hit skips planning and every fetch.
 */
export class ResponseCache {
  private readonly entries = new Map<string, Entry>();
  private bytes = 0;
  private readonly listeners: Array<() => void> = [];
  hits = 0;
  misses = 0;
  /** Emptyings so far; an answer begun before one of them is not stored. */
  invalidations = 0;

  constructor(readonly options: ResponseCacheOptions, private readonly now: () => number = Date.now) {}

  invalidate(): void {
    this.invalidations += 1;
    this.entries.clear();
    this.bytes = 0;
  }

  /** Called after a mutation through this gateway has finished (to tell other replicas). */
  onMutation(listener: () => void): void {
    this.listeners.push(listener);
  }

  get size(): number {
    return this.entries.size;
  }

  /** Bytes held (the kept answers as JSON). */
  get heldBytes(): number {
    return this.bytes;
  }

  private keyOf(ctx: GraphQLRequestContext<GatewayContext>): string | undefined {
    if (ctx.operation?.operation !== 'query' || !ctx.queryHash) return undefined;
    const viewer = ctx.contextValue?.viewer;
    if (!viewer) return undefined;
    return `${JSON.stringify(viewer)}\n${ctx.queryHash}\n${ctx.operationName ?? ''}\n${JSON.stringify(ctx.request.variables ?? {})}`;
  }

  private drop(key: string): void {
    const entry = this.entries.get(key);
    if (!entry) return;
    this.bytes -= entry.bytes;
    this.entries.delete(key);
  }

  private store(key: string, entry: Entry): void {
    if (entry.bytes > this.options.maxBytes) return;
    this.drop(key);
    while (this.entries.size > 0 && (this.entries.size >= this.options.maxEntries || this.bytes + entry.bytes > this.options.maxBytes)) {
      this.drop(this.entries.keys().next().value!);
    }
    this.entries.set(key, entry);
    this.bytes += entry.bytes;
  }

  plugin(): ApolloServerPlugin<GatewayContext> {
    const cache = this;
    return {
      async requestDidStart() {
        let key: string | undefined;
        let hit = false;
        let mutation = false;
        let invalidationsAtStart = 0;
        return {
          async executionDidStart(ctx) {
            // Only a mutation that runs can change data: one refused before execution empties nothing.
            if (ctx.operation?.operation === 'mutation') {
              mutation = true;
              cache.invalidate();
            }
          },
          async didResolveOperation(ctx) {
            // A shared HTTP cache must never keep what a signed-in viewer was shown.
            if (ctx.contextValue?.viewer && ctx.contextValue.viewer.role !== 'anonymous') {
              ctx.overallCachePolicy.restrict({ scope: 'PRIVATE' });
            }
          },
          async responseForOperation(ctx) {
            key = cache.keyOf(ctx);
            if (!key) return null;
            const entry = cache.entries.get(key);
            const now = cache.now();
            if (entry && entry.expires > now) {
              hit = true;
              cache.hits += 1;
              ctx.overallCachePolicy.replace({ maxAge: Math.max(0, Math.floor((entry.expires - now) / 1000)), scope: entry.scope });
              return { http: ctx.response.http, body: { kind: 'single', singleResult: entry.result } };
            }
            if (entry) cache.drop(key);
            cache.misses += 1;
            invalidationsAtStart = cache.invalidations;
            return null;
          },
          async willSendResponse(ctx) {
            if (mutation) {
              cache.invalidate();
              for (const listener of cache.listeners) listener();
              return;
            }
            if (!key || hit || invalidationsAtStart !== cache.invalidations) return;
            const policy = ctx.overallCachePolicy.policyIfCacheable();
            if (!policy) return;
            const body = ctx.response.body;
            if (body.kind !== 'single' || body.singleResult.errors?.length || body.singleResult.data == null) return;
            if (ctx.response.http.status !== undefined && ctx.response.http.status !== 200) return;
            const ttl = Math.min(policy.maxAge * 1000, cache.options.maxTtlMs);
            if (ttl <= 0) return;
            // UTF-16 length: close enough to bound memory without encoding the answer twice.
            const bytes = JSON.stringify(body.singleResult).length;
            cache.store(key, { expires: cache.now() + ttl, bytes, scope: policy.scope, result: body.singleResult });
          },
        };
      },
    };
  }
}
