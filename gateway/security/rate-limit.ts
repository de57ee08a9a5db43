import Redis from 'ioredis';
import type { Logger } from '../../shared/platform/logger';

/** The outcome of counting one request (or a batch of `cost` operations) for a client. */
export interface RateDecision {
  allowed: boolean;
  /** Requests counted in the current window, including this one. */
  count: number;
  /** Milliseconds until the window resets. */
  resetMs: number;
}

/** Where the per-client counters live: in this process, or in Redis shared by every replica. */
export interface RateLimitStore {
  /** Adds `cost` to the client's counter of the current window and returns the new count. */
  hit(key: string, cost: number, windowMs: number): Promise<{ count: number; resetMs: number }>;
  close(): Promise<void>;
}

/** Fixed-window counters in a Map, swept once per window. */
export class MemoryRateLimitStore implements RateLimitStore {
  private readonly windows = new Map<string, { count: number; resetAt: number }>();
  private readonly sweeper: NodeJS.Timeout;

  constructor(windowMs: number) {
    this.sweeper = setInterval(() => {
      const now = Date.now();
      for (const [key, w] of this.windows) if (w.resetAt <= now) this.windows.delete(key);
    }, windowMs);
    this.sweeper.unref();
  }

  async hit(key: string, cost: number, windowMs: number): Promise<{ count: number; resetMs: number }> {
    return this.hitSync(key, cost, windowMs);
  }

  hitSync(key: string, cost: number, windowMs: number): { count: number; resetMs: number } {
    const now = Date.now();
    let w = this.windows.get(key);
    if (!w || w.resetAt <= now) {
      w = { count: 0, resetAt: now + windowMs };
      this.windows.set(key, w);
    }
    w.count += cost;
    return { count: w.count, resetMs: w.resetAt - now };
  }

  async close(): Promise<void> {
    clearInterval(this.sweeper);
    this.windows.clear();
  }
}

// INCRBY + PEXPIRE on the first hit of a window, atomically; returns the count and the time left.
const HIT_SCRIPT = `
local count = redis.call('INCRBY', KEYS[1], ARGV[1])
if count == tonumber(ARGV[1]) then redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then redis.call('PEXPIRE', KEYS[1], ARGV[2]); ttl = tonumber(ARGV[2]) end
return { count, ttl }
`;

/**
 * Fixed-window counters in Redis, shared by every gateway replica. When Redis does not answer
 * within `timeoutMs` the request is counted in this process instead (never refused for an outage,
 * never let through uncounted).
 */
export class RedisRateLimitStore implements RateLimitStore {
  private readonly redis: Redis;
  private readonly fallback: MemoryRateLimitStore;

  constructor(
    url: string,
    windowMs: number,
    private readonly log?: Logger,
    private readonly prefix = 'citygraph:ratelimit:',
    private readonly timeoutMs = 250,
  ) {
    this.redis = new Redis(url, { maxRetriesPerRequest: 1, enableOfflineQueue: false, commandTimeout: timeoutMs, lazyConnect: false });
    // One warning per outage, not one per reconnection attempt.
    let down = false;
    this.redis.on('error', (err) => {
      if (!down) this.log?.warn({ err: err.message }, 'rate limit store: redis unavailable, counting in-process');
      down = true;
    });
    this.redis.on('ready', () => {
      if (down) this.log?.info('rate limit store: redis back');
      down = false;
    });
    this.redis.defineCommand('citygraphRateHit', { numberOfKeys: 1, lua: HIT_SCRIPT });
    this.fallback = new MemoryRateLimitStore(windowMs);
  }

  /** Resolves once connected (tests; the gateway does not wait: it falls back meanwhile). */
  async ready(): Promise<void> {
    if (this.redis.status === 'ready') return;
    await new Promise<void>((resolve, reject) => {
      this.redis.once('ready', () => resolve());
      setTimeout(() => reject(new Error('redis did not become ready')), 3000).unref();
    });
  }

  async hit(key: string, cost: number, windowMs: number): Promise<{ count: number; resetMs: number }> {
    if (this.redis.status !== 'ready') return this.fallback.hitSync(key, cost, windowMs);
    try {
      const [count, ttl] = (await (this.redis as unknown as { citygraphRateHit(k: string, c: number, w: number): Promise<[number, number]> })
        .citygraphRateHit(this.prefix + key, cost, windowMs)) ?? [0, 0];
      return { count: Number(count), resetMs: Number(ttl) };
    } catch {
      return this.fallback.hitSync(key, cost, windowMs);
    }
  }

  async close(): Promise<void> {
    await this.fallback.close();
    this.redis.disconnect();
  }
}

/** Counts requests per client: `max` per `windowMs`. */
export class RateLimiter {
  constructor(
    private readonly store: RateLimitStore,
    readonly max: number,
    readonly windowMs: number,
  ) {}

  async hit(key: string, cost = 1): Promise<RateDecision> {
    const { count, resetMs } = await this.store.hit(key, cost, this.windowMs);
    return { allowed: count <= this.max, count, resetMs: Math.max(0, resetMs) };
  }

  close(): Promise<void> {
    return this.store.close();
  }
}
