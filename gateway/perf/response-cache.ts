import type { ApolloServerPlugin, GraphQLRequestContext, GraphQLResponse } from '@apollo/server';
import type { GatewayContext } from '../auth';

/** Settings of the public response cache (`RESPONSE_CACHE_TTL_MS`, `RESPONSE_CACHE_MAX_ENTRIES`). */
export interface ResponseCacheOptions {
  /** How long an answer is reused, in ms; 0 turns the cache off (the default). */
  ttlMs: number;
  /** Most answers kept; the oldest goes first. */
  maxEntries: number;
}

interface Entry {
  expires: number;
  result: Extract<GraphQLResponse['body'], { kind: 'single' }>['singleResult'];
}

/**
 * A short-lived cache of whole answers to public queries: queries sent without a token (the
 * anonymous viewer) whose answer has no error. Nothing a token could change is ever cached:
 * a request with any viewer other than anonymous neither reads nor fills it. The key is the
 * document's hash, the operation name, the variables and the viewer class (`anonymous`).
 *
 * It runs as an Apollo Server plugin after parsing, validation and `didResolveOperation`, so the
 * security layer's limits still apply to every request; a hit skips planning and every subgraph
 * fetch. A mutation through this gateway empties the cache (its effects show at once); changes
 * made elsewhere (scheduled rules, another replica) show within the TTL. `invalidate()` empties
 * it on demand (e.g. from subgraph events).
 */
export class ResponseCache {
  private readonly entries = new Map<string, Entry>();
  hits = 0;
  misses = 0;

  constructor(readonly options: ResponseCacheOptions, private readonly now: () => number = Date.now) {}

  invalidate(): void {
    this.entries.clear();
  }

  get size(): number {
    return this.entries.size;
  }

  private keyOf(ctx: GraphQLRequestContext<GatewayContext>): string | undefined {
    if (ctx.operation?.operation !== 'query') return undefined;
    const viewer = ctx.contextValue?.viewer;
    if (!viewer || viewer.role !== 'anonymous') return undefined;
    if (!ctx.queryHash) return undefined;
    return `anonymous\n${ctx.queryHash}\n${ctx.operationName ?? ''}\n${JSON.stringify(ctx.request.variables ?? {})}`;
  }

  plugin(): ApolloServerPlugin<GatewayContext> {
    const cache = this;
    return {
      async requestDidStart() {
        let key: string | undefined;
        let hit = false;
        return {
          async didResolveOperation(ctx) {
            if (ctx.operation?.operation === 'mutation') cache.invalidate();
          },
          async responseForOperation(ctx) {
            key = cache.keyOf(ctx);
            if (!key) return null;
            const entry = cache.entries.get(key);
            if (entry && entry.expires > cache.now()) {
              hit = true;
              cache.hits += 1;
              return { http: ctx.response.http, body: { kind: 'single', singleResult: entry.result } };
            }
            if (entry) cache.entries.delete(key);
            cache.misses += 1;
            return null;
          },
          async willSendResponse(ctx) {
            if (!key || hit) return;
            const body = ctx.response.body;
            if (body.kind !== 'single' || body.singleResult.errors?.length || body.singleResult.data == null) return;
            if (ctx.response.http.status !== undefined && ctx.response.http.status !== 200) return;
            if (cache.entries.size >= cache.options.maxEntries) {
              const oldest = cache.entries.keys().next().value;
              if (oldest !== undefined) cache.entries.delete(oldest);
            }
            cache.entries.set(key, { expires: cache.now() + cache.options.ttlMs, result: body.singleResult });
          },
        };
      },
    };
  }
}
