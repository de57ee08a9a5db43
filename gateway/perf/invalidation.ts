import Redis from 'ioredis';
import { CHANNEL_PREFIX } from '../../shared/platform/pubsub-redis';
import type { ResponseCache } from './response-cache';

const GATEWAY_MUTATION = `${CHANNEL_PREFIX}gateway.mutation`;

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

  constructor(redisUrl: string, cache: ResponseCache) {
    const options = { maxRetriesPerRequest: 2, enableOfflineQueue: true };
    this.subscriber = new Redis(redisUrl, options);
    this.publisher = new Redis(redisUrl, options);
    // While Redis is away, events are missed: answers then live at most their hint's maxAge.
    this.publisher.on('error', () => {});
    this.subscriber.on('error', () => {});
    this.subscriber.on('pmessage', () => cache.invalidate());
    // On every (re)connection: subscribe, and forget what may have changed unheard meanwhile.
    this.subscriber.on('ready', () => {
      cache.invalidate();
      this.subscriber.psubscribe(`${CHANNEL_PREFIX}*`).then(() => this.onSubscribed(), () => {});
    });
    cache.onMutation(() => void this.publisher.publish(GATEWAY_MUTATION, '{}').catch(() => {}));
  }

  private onSubscribed: () => void = () => {};
  private readonly subscribed = new Promise<boolean>((resolve) => {
    this.onSubscribed = () => resolve(true);
  });

  /**
   * Waits (at most `timeoutMs`) for the pattern subscription; never fails, so a gateway starts and
   * serves while Redis is down (true when subscribed).
   */
  async start(timeoutMs = 2000): Promise<boolean> {
    return Promise.race([this.subscribed, new Promise<boolean>((r) => setTimeout(() => r(false), timeoutMs).unref())]);
  }

  async close(): Promise<void> {
    this.subscriber.disconnect();
    this.publisher.disconnect();
  }
}
