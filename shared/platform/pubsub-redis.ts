import Redis from 'ioredis';
import { eventIterator, type PubSub } from './pubsub';

/** What every CityGraph process's Redis channels start with; a listener to all of them uses `${CHANNEL_PREFIX}*`. */
export const CHANNEL_PREFIX = 'citygraph:';

/**
 * Pub/sub through Redis, so an event published by one replica reaches subscribers connected to
 * another. One connection publishes; one subscribes on behalf of every local listener, and each
 * channel is subscribed in Redis only while someone listens to it.
 */
export class RedisPubSub implements PubSub {
  private readonly publisher: Redis;
  private readonly subscriber: Redis;
  private readonly listeners = new Map<string, Set<(payload: unknown) => void>>();

  constructor(url: string, private readonly prefix = CHANNEL_PREFIX) {
    const options = { lazyConnect: false, maxRetriesPerRequest: 2, enableOfflineQueue: true };
    this.publisher = new Redis(url, options);
    this.subscriber = new Redis(url, options);
    this.subscriber.on('message', (channel: string, message: string) => {
      const topic = channel.slice(this.prefix.length);
      const set = this.listeners.get(topic);
      if (!set) return;
      let payload: unknown;
      try {
        payload = JSON.parse(message);
      } catch {
        return;
      }
      for (const listener of set) listener(payload);
    });
    // Errors surface on publish/subscribe calls; the client reconnects by itself meanwhile.
    this.publisher.on('error', () => {});
    this.subscriber.on('error', () => {});
  }

  async publish(topic: string, payload: unknown): Promise<void> {
    await this.publisher.publish(this.prefix + topic, JSON.stringify(payload));
  }

  subscribe<T = unknown>(topic: string): AsyncIterableIterator<T> {
    return eventIterator<T>((push) => {
      let set = this.listeners.get(topic);
      if (!set) {
        set = new Set();
        this.listeners.set(topic, set);
        void this.subscriber.subscribe(this.prefix + topic);
      }
      const listener = push as (payload: unknown) => void;
      set.add(listener);
      return () => {
        set!.delete(listener);
        if (set!.size === 0) {
          this.listeners.delete(topic);
          void this.subscriber.unsubscribe(this.prefix + topic);
        }
      };
    });
  }

  /** Resolves once the subscriber connection is subscribed to every channel asked so far. */
  async ready(): Promise<void> {
    await this.subscriber.ping();
  }

  async close(): Promise<void> {
    this.listeners.clear();
    this.publisher.disconnect();
    this.subscriber.disconnect();
  }
}
