import { EventEmitter } from 'node:events';

/**
 * Events from mutations to subscribers. In-process by default; a Redis implementation (for
 * several replicas) plugs in behind the same interface.
 */
export interface PubSub {
  publish(topic: string, payload: unknown): Promise<void>;
  /** An async iterator of the payloads published on `topic` from now on. */
  subscribe<T = unknown>(topic: string): AsyncIterableIterator<T>;
  close(): Promise<void>;
}

export class InProcessPubSub implements PubSub {
  private emitter = new EventEmitter();

  constructor() {
    this.emitter.setMaxListeners(0);
  }

  async publish(topic: string, payload: unknown): Promise<void> {
    this.emitter.emit(topic, payload);
  }

  subscribe<T = unknown>(topic: string): AsyncIterableIterator<T> {
    return eventIterator<T>((push) => {
      this.emitter.on(topic, push);
      return () => this.emitter.off(topic, push);
    });
  }

  async close(): Promise<void> {
    this.emitter.removeAllListeners();
  }
}

/** Adapts a push source to a pull iterator, queueing events the consumer has not taken yet. */
export function eventIterator<T>(attach: (push: (value: T) => void) => () => void): AsyncIterableIterator<T> {
  const queue: T[] = [];
  const waiting: Array<(r: IteratorResult<T>) => void> = [];
  let done = false;
  const detach = attach((value) => {
    const resolve = waiting.shift();
    if (resolve) resolve({ value, done: false });
    else queue.push(value);
  });
  const finish = (): Promise<IteratorResult<T>> => {
    if (!done) {
      done = true;
      detach();
      for (const resolve of waiting.splice(0)) resolve({ value: undefined as never, done: true });
    }
    return Promise.resolve({ value: undefined as never, done: true });
  };
  return {
    next() {
      if (queue.length) return Promise.resolve({ value: queue.shift() as T, done: false });
      if (done) return Promise.resolve({ value: undefined as never, done: true });
      return new Promise((resolve) => waiting.push(resolve));
    },
    return: finish,
    throw: (err) => {
      void finish();
      return Promise.reject(err);
    },
    [Symbol.asyncIterator]() {
      return this;
    },
  };
}

/** Redis when `redisUrl` is set (several replicas), in-process otherwise. */
export async function createPubSub(redisUrl?: string): Promise<PubSub> {
  if (!redisUrl) return new InProcessPubSub();
  // Loaded only when configured, so the in-process default never touches a Redis client.
  const { RedisPubSub } = require('./pubsub-redis') as typeof import('./pubsub-redis');
  return new RedisPubSub(redisUrl);
}
