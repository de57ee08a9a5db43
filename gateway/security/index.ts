import { createLogger, type Logger } from '../../shared/platform/logger';
import type { SecurityOptions } from './options';
import { MemoryRateLimitStore, RateLimiter, RedisRateLimitStore } from './rate-limit';
import { TrustedOperations } from './trusted';

export { loadSecurityOptions, type SecurityOptions, type GatewayBase, type CostMode } from './options';
export { CostPolicy, type CostReport, type CostObserver } from './cost-policy';
export { TrustedOperations } from './trusted';

/** The shared state the request pipeline's security stages need. */
export interface SecurityState {
  /** Requests per client per window; undefined when `RATE_LIMIT_MAX=0`. */
  limiter?: RateLimiter;
  /** The trusted operations when trusted mode is on. */
  trusted?: TrustedOperations;
  close(): Promise<void>;
}

/**
 * The rate limiter (in Redis when `REDIS_URL` is set, so replicas share it; in-process otherwise)
 * and the trusted-operations manifest. Fails fast when trusted mode is on and the manifest cannot
 * be read.
 */
export function createSecurityState(options: SecurityOptions, deps: { redisUrl?: string; logger?: Logger } = {}): SecurityState {
  const log = deps.logger ?? createLogger('gateway-security');
  const trusted = options.trustedOperations ? TrustedOperations.fromFile(options.trustedOperationsManifest) : undefined;
  let limiter: RateLimiter | undefined;
  if (options.rateLimitMax > 0) {
    const store = deps.redisUrl
      ? new RedisRateLimitStore(deps.redisUrl, options.rateLimitWindowMs, log)
      : new MemoryRateLimitStore(options.rateLimitWindowMs);
    limiter = new RateLimiter(store, options.rateLimitMax, options.rateLimitWindowMs);
  }
  return { limiter, trusted, close: async () => limiter?.close() };
}
