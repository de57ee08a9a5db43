import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ApolloServer, ApolloServerOptionsWithGateway, BaseContext } from '@apollo/server';
import { createLogger, type Logger } from '../../shared/logger';
import { serveGraphQL } from '../../shared/http';
import { createHttpGuard, type HttpGuard } from './http';
import type { CostObserver } from './cost-policy';
import type { SecurityOptions } from './options';
import { securityPlugin } from './plugin';
import { MemoryRateLimitStore, RateLimiter, RedisRateLimitStore } from './rate-limit';
import { BoundedStringCache, PersistedQueryCache, TrustedOperations } from './trusted';

export { loadSecurityOptions, type SecurityOptions, type GatewayBase, type CostMode } from './options';
export { CostPolicy, type CostReport, type CostObserver } from './cost-policy';
export type { HttpGuard } from './http';
export { TrustedOperations } from './trusted';

/** The Apollo Server options the layer sets; spread them into `new ApolloServer({...})`. */
export type SecurityApolloConfig<TContext extends BaseContext> = Pick<
  ApolloServerOptionsWithGateway<TContext>,
  | 'plugins'
  | 'introspection'
  | 'includeStacktraceInErrorResponses'
  | 'hideSchemaDetailsFromClientErrors'
  | 'csrfPrevention'
  | 'persistedQueries'
  | 'allowBatchedHttpRequests'
  | 'parseOptions'
>;

export interface SecurityLayer<TContext extends BaseContext = BaseContext> {
  /** Spread into the ApolloServer options (merge `plugins` with your own). */
  apolloConfig: SecurityApolloConfig<TContext> & { plugins: NonNullable<SecurityApolloConfig<TContext>['plugins']> };
  /** The HTTP guard: `(req, res)` before reading the body, `(req, res, body)` after parsing it; true = answered. */
  httpGuard: HttpGuard;
  /**
   * Serves a /graphql request with the guard in place: a drop-in for
   * `serveGraphQL(apollo, req, res, context, bodyLimit)` of shared/http.ts.
   */
  serve(apollo: ApolloServer<TContext>, req: IncomingMessage, res: ServerResponse, context: () => Promise<TContext>): Promise<void>;
  /** Who counts against the rate limit: `sub:<role>:<subject>` of a valid token, else `ip:<address>`. */
  clientKey(req: IncomingMessage): string;
  /** The trusted operations when trusted mode is on. */
  trusted?: TrustedOperations;
  /** Closes the Redis connection and timers. */
  close(): Promise<void>;
}

export interface SecurityDeps {
  /** Shared rate-limit counters across replicas (`REDIS_URL`); in-process when unset. */
  redisUrl?: string;
  /** Verifies bearer tokens so the rate limit counts per subject (the city layer's `JWT_SECRET`); IP only when unset. */
  jwtSecret?: string;
  logger?: Logger;
  /** Receives every cost estimate with the operation's type (`COST_MODE` enforce or measure). */
  onCost?: CostObserver;
}

/**
 * Builds the gateway's hardening layer: Apollo Server options (document limits, trusted
 * operations, APQ, CSRF prevention, introspection, error masking) and the HTTP guard (body size,
 * batching, rate limit). Fails fast when trusted mode is on and the manifest cannot be read.
 */
export function createSecurityLayer<TContext extends BaseContext = BaseContext>(
  options: SecurityOptions,
  deps: SecurityDeps = {},
): SecurityLayer<TContext> {
  const log = deps.logger ?? createLogger('gateway-security');
  const trusted = options.trustedOperations ? TrustedOperations.fromFile(options.trustedOperationsManifest) : undefined;

  let limiter: RateLimiter | undefined;
  if (options.rateLimitMax > 0) {
    const store = deps.redisUrl
      ? new RedisRateLimitStore(deps.redisUrl, options.rateLimitWindowMs, log)
      : new MemoryRateLimitStore(options.rateLimitWindowMs);
    limiter = new RateLimiter(store, options.rateLimitMax, options.rateLimitWindowMs);
  }
  const { guard, clientKey } = createHttpGuard(options, limiter, deps.jwtSecret);

  const persistedQueries =
    trusted || options.apq
      ? { cache: new PersistedQueryCache(trusted, options.apq && !trusted ? new BoundedStringCache() : undefined) }
      : (false as const);

  return {
    apolloConfig: {
      plugins: [securityPlugin<TContext>(options, { trusted, onCost: deps.onCost })],
      introspection: options.introspection,
      includeStacktraceInErrorResponses: !options.production,
      hideSchemaDetailsFromClientErrors: options.production,
      csrfPrevention: options.csrfPrevention,
      persistedQueries,
      allowBatchedHttpRequests: options.batchMax > 0,
      parseOptions: options.maxTokens ? { maxTokens: options.maxTokens } : {},
    },
    httpGuard: guard,
    serve: (apollo, req, res, context) => serveGraphQL(apollo, req, res, context, options.bodyLimitBytes, guard),
    clientKey,
    trusted,
    close: async () => {
      await limiter?.close();
    },
  };
}
