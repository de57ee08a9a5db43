import Redis from 'ioredis';
import type { ResponseCache } from './response-cache';

/** The channel prefix every CityGraph process publishes its events under (shared/pubsub-redis.ts). */
const PREFIX = 'citygraph:';
const GATEWAY_MUTATION = `${PREFIX}gateway.mutation`;

/**
 * Keeps the response caches of several gateway replicas honest through Redis: every event a
 * subgraph publishes (its data changed: a mutation, a scheduled rule) and every mutation another
 * gateway replica served empties this replica's cache. Without Redis there is nothing to hear
 * (the subgraphs' in-process events stay in their own processes), and answers live at most as
 * long as their cache hints allow.
 */
export class CacheInvalidationBus {
  private readonly subscriber: Redis;
  private readonly publisher: Redis;
  /** Events heard, for tests and metrics. */
  heard = 0;

  constructor(redisUrl: string, cache: ResponseCache) {
    const options = { maxRetriesPerRequest: 2, enableOfflineQueue: true };
    this.subscriber = new Redis(redisUrl, options);
    this.publisher = new Redis(redisUrl, options);
    // Errors surface as missed invalidations, bounded by the hints' maxAge; the clients reconnect.
    this.subscriber.on('error', () => {});
    this.publisher.on('error', () => {});
    this.subscriber.on('pmessage', () => {
      this.heard += 1;
      cache.invalidate();
    });
    cache.onMutation(() => void this.publisher.publish(GATEWAY_MUTATION, '{}').catch(() => {}));
  }

  /** Resolves once the pattern subscription is in place. */
  async start(): Promise<void> {
    await this.subscriber.psubscribe(`${PREFIX}*`);
  }

  async close(): Promise<void> {
    this.subscriber.disconnect();
    this.publisher.disconnect();
  }
}
