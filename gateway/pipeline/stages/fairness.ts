import { GraphQLError } from 'graphql';
import type { RateLimiter } from '../../security/rate-limit';

/** How many operations one client may have executing at once, and waiting behind them. */
export interface InFlightOptions {
  /** Operations one client may run at the same time (`CLIENT_MAX_IN_FLIGHT`, default 8; 0 = no limit). */
  maxInFlight: number;
  /** Operations that may wait for a slot; past that, RATE_LIMITED (`CLIENT_MAX_QUEUED`, default 16). */
  maxQueued: number;
}

interface Slots {
  active: number;
  waiting: Array<() => void>;
}

const rateLimited = (message: string, facts: Record<string, unknown>, retryAfterSeconds: number) =>
  new GraphQLError(message, {
    extensions: { code: 'RATE_LIMITED', ...facts, retryAfterSeconds },
  });

/**
 * Fairness between clients: requests per window (counted the same on every transport, in Redis
 * when replicas share it) and operations in flight per client, so one client's burst waits in its
 * own queue instead of filling the subgraphs' connection pools and timing everyone else out.
 */
export class Fairness {
  private readonly slots = new Map<string, Slots>();

  constructor(
    private readonly limiter: RateLimiter | undefined,
    private readonly inFlight: InFlightOptions,
  ) {}

  /** Counts one request of `clientKey`; throws RATE_LIMITED past the window's allowance. */
  async count(clientKey: string, cost = 1): Promise<void> {
    if (!this.limiter) return;
    const decision = await this.limiter.hit(clientKey, cost);
    if (decision.allowed) return;
    const retryAfter = Math.max(1, Math.ceil(decision.resetMs / 1000));
    throw rateLimited(
      `Too many requests: at most ${this.limiter.max} per ${this.limiter.windowMs / 1000} s; try again in ${retryAfter} s`,
      { limit: this.limiter.max, windowMs: this.limiter.windowMs },
      retryAfter,
    );
  }

  /**
   * Takes one of the client's execution slots (waiting in its queue when all are busy); the
   * returned function gives it back. Throws RATE_LIMITED when the queue is full too.
   */
  async acquire(clientKey: string): Promise<() => void> {
    const { maxInFlight, maxQueued } = this.inFlight;
    if (!maxInFlight) return () => {};
    let slots = this.slots.get(clientKey);
    if (!slots) {
      slots = { active: 0, waiting: [] };
      this.slots.set(clientKey, slots);
    }
    const s = slots;
    let released = false;
    const release = () => {
      if (released) return;
      released = true;
      const next = s.waiting.shift();
      if (next) return next();
      s.active -= 1;
      if (s.active === 0) this.slots.delete(clientKey);
    };
    if (s.active < maxInFlight) {
      s.active += 1;
      return release;
    }
    if (s.waiting.length >= maxQueued) {
      throw rateLimited(
        `Too many operations in flight: at most ${maxInFlight} at once and ${maxQueued} waiting per client`,
        { limit: maxInFlight, queued: maxQueued, reason: 'in-flight' },
        1,
      );
    }
    await new Promise<void>((resolve) => s.waiting.push(resolve));
    return release;
  }

  close(): Promise<void> {
    return this.limiter?.close() ?? Promise.resolve();
  }
}
