import { existsSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { ConfigProblems, loadCityConfig, loadProcessOptions, parseEnv, type CityConfig } from '../shared/platform/config';
import { gatewayWorkers } from './cluster';
import { ROOT_DIR } from '../shared/platform/schema';
import { loadSecurityOptions, type SecurityOptions } from './security/options';
import { loadPerfOptions, type PerfOptions } from './perf/options';
import { loadIdentityOptions, type IdentityOptions } from './identity';
import type { MetricsEndpointOptions } from './metrics-endpoint';
import type { ConnectionLimitOptions } from './limits/connections';
import type { Logger } from '../shared/platform/logger';

/** Where the gateway's supergraph comes from. */
export type SupergraphSource =
  /** A supergraph SDL given directly (tests, embedding). */
  | { kind: 'sdl'; sdl: string }
  /** A composed supergraph file, e.g. `schema/supergraph.graphql`. */
  | { kind: 'file'; path: string }
  /** A rover `supergraph.yaml` composed with @apollo/composition at start. */
  | { kind: 'compose'; configPath: string };

/** Where and how the schema registry runs. */
export interface RegistryOptions {
  /** The database holding `<prefix>_registry`. */
  mongodbUri: string;
  dbPrefix: string;
  /** Admins' tokens are verified with this secret (the city `JWT_SECRET`). */
  jwtSecret: string;
  /** Redis carries launch nudges between gateway replicas (`REDIS_URL`); in-process otherwise. */
  redisUrl?: string;
  /** How often each gateway reads the current launch (`REGISTRY_POLL_MS`, default 2000; 0: pub/sub only). */
  pollIntervalMs: number;
  /** Days of recorded operations that checks protect (`REGISTRY_OPERATION_WINDOW_DAYS`, default 7). */
  operationWindowDays: number;
  /** How often recorded usage is written (`REGISTRY_USAGE_FLUSH_MS`, default 5000). */
  usageFlushIntervalMs: number;
  /** Seed the registry from `supergraph.yaml` when it is empty (`REGISTRY_SEED`, default on). */
  seedConfigPath?: string;
  /** This instance's name on launches (`REGISTRY_INSTANCE`). */
  instance?: string;
}

/** The city layer: identity from bearer tokens, forwarded to subgraphs as a signed viewer. */
export interface CityAuthOptions {
  /** HS256 secret of residents', clerks' and admins' bearer tokens. */
  jwtSecret: string;
  /** HS256 secret used to sign the viewer forwarded to subgraphs (`x-citygraph-viewer`). */
  internalSecret: string;
}

export interface GatewayOptions {
  /** TCP port (`PORT`, default 4000; 0 picks a free one). */
  port: number;
  /** Interface to bind (`HOST`, default 127.0.0.1). */
  host: string;
  /** The supergraph to serve. */
  supergraph: SupergraphSource;
  /**
   * Routing URL overrides by subgraph name. `SUBGRAPH_<NAME>_URL` variables apply too; the
   * supergraph's own routing URLs are the fallback.
   */
  subgraphUrls: Record<string, string>;
  /** How long one subgraph fetch may take before it fails (`SUBGRAPH_TIMEOUT_MS`, default 10000). */
  subgraphTimeoutMs: number;
  /**
   * How long a mutation's subgraph fetch may take (`SUBGRAPH_MUTATION_TIMEOUT_MS`, default 30000):
   * longer than a query's, so a slow write is not reported as failed while it lands. A mutation
   * that runs past it answers `SUBGRAPH_TIMEOUT` but does not count against the circuit breaker.
   */
  subgraphMutationTimeoutMs: number;
  /**
   * Who executes the query plans (`GATEWAY_EXECUTOR`): `citygraph` (default), CityGraph's own
   * executor (gateway/executor: undici pools, merge in place, compiled result shaping, `@defer`),
   * or `apollo`, @apollo/gateway's executeQueryPlan, kept for comparison (no `@defer`). Undefined:
   * `citygraph`.
   */
  executor?: 'citygraph' | 'apollo';
  /** Production hides internal error details and stack traces (`NODE_ENV=production`). */
  production: boolean;
  /** Whether introspection is answered (`INTROSPECTION`, default: on outside production). */
  introspection: boolean;
  /** Largest accepted request body in bytes (`BODY_LIMIT_BYTES`, default 1 MiB). */
  bodyLimitBytes: number;
  /**
   * The city-specific layer, switched on by `CITY_AUTH=on` (the default). Off, the gateway is a
   * plain Federation 2 gateway that forwards nothing but the operation.
   */
  cityAuth?: CityAuthOptions;
  /**
   * How bearer tokens are verified (gateway/identity): HS256 with the city secret, an OIDC
   * provider's JWKS, the longest lifetime. The secrets and the on/off switch come from `cityAuth`.
   */
  identity?: Pick<IdentityOptions, 'hs256Tokens' | 'oidc' | 'maxTokenLifetimeS'>;
  /** Serves the community dashboard page at `/dashboard` (`DASHBOARD`, default on with the city layer). */
  dashboard?: boolean;
  /**
   * Serves GraphiQL to browsers that open `/graphql` or `/` (a GET accepting `text/html` without a
   * `query` parameter) (`IDE=on|off`, default on outside production). Every other request goes to
   * the GraphQL door as before. (The registry's admin page at `/admin` comes with the registry.)
   */
  ide?: boolean;
  /** Per-subgraph circuit breaker (`CIRCUIT_FAILURE_THRESHOLD`, default 5; `CIRCUIT_COOLDOWN_MS`, default 5000). */
  circuitBreaker: { failureThreshold: number; cooldownMs: number };
  /** Extra attempts for a failed query fetch; mutations are never retried (`SUBGRAPH_RETRIES`, default 1). */
  subgraphRetries: number;
  /** Hardening against abusive clients: document limits, rate limits, batching, trusted operations (see gateway/security). */
  security: SecurityOptions;
  /** Redis for state shared across gateway replicas (rate limits); in-process when unset (`REDIS_URL`). */
  redisUrl?: string;
  /**
   * The schema registry the gateway serves launches from (on by default when `MONGODB_URI` is
   * set: `SCHEMA_REGISTRY=on|off`). Off, the supergraph comes from `supergraph` and, for a file,
   * is reloaded when the file changes (`SUPERGRAPH_WATCH`, default on).
   */
  registry?: RegistryOptions;
  /** Reload a supergraph file when it changes (no registry). */
  watchSupergraph: boolean;
  /**
   * Subscription limits (`SUBSCRIPTIONS_MAX_PER_CLIENT`, default 50; `SUBSCRIPTIONS_MAX_TOTAL`,
   * default 10000; `SUBSCRIPTION_QUEUE_MAX`, default 100: events a subscriber may leave unread
   * before it is ended with SLOW_CONSUMER).
   */
  subscriptions: { maxPerClient: number; maxTotal: number; maxQueue: number };
  /** Internal errors keep their stack traces in answers (`DEBUG_ERRORS=on`; never in production). */
  debugErrors: boolean;
  /**
   * Progressive override labels switched on for every request (`OVERRIDE_LABELS`, comma-separated;
   * `percent(x)` labels are drawn per operation whatever this says). See gateway/plan/override.ts.
   */
  overrideLabels: string[];
  /** Performance levers: subgraph HTTP client, public response cache (`gateway/perf`); defaults when absent. */
  perf?: PerfOptions;
  /**
   * Who may read `/metrics` and where: `METRICS_TOKEN` (a bearer token it then needs) and
   * `METRICS_PORT` (a listener of its own, and nothing on the main port). In production with
   * neither, the main port does not serve it (404).
   */
  metrics: MetricsEndpointOptions;
  /**
   * Slow and greedy clients: `HEADERS_TIMEOUT_MS` (10000) for a request's headers,
   * `REQUEST_TIMEOUT_MS` (30000) for the whole request (408 and closed past them), and
   * `MAX_CONNECTIONS_PER_IP` (256; 0: no cap) open TCP connections per client address.
   */
  connections: ConnectionLimitOptions;
  /** The process's logger, access log included (tests pass one that captures); `createLogger('gateway')` otherwise. */
  logger?: Logger;
}

const DEFAULT_SUPERGRAPH = path.join(ROOT_DIR, 'schema', 'supergraph.graphql');
const DEFAULT_SUPERGRAPH_CONFIG = path.join(ROOT_DIR, 'supergraph.yaml');

/** The gateway's own variables (the security, performance and identity groups have theirs). */
const gatewayShape = {
    NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
    PORT: z.coerce.number().int().min(0).max(65535).default(4000),
    HOST: z.string().default('127.0.0.1'),
    SUPERGRAPH_PATH: z.string().optional(),
    SUPERGRAPH_CONFIG: z.string().optional(),
    SUBGRAPH_TIMEOUT_MS: z.coerce.number().int().min(50).max(300000).default(10000),
    SUBGRAPH_MUTATION_TIMEOUT_MS: z.coerce.number().int().min(50).max(600000).default(30000),
    /** Who executes query plans: CityGraph's executor, or Apollo Gateway's for comparison. */
    GATEWAY_EXECUTOR: z.enum(['citygraph', 'apollo']).default('citygraph'),
    INTROSPECTION: z.enum(['on', 'off']).optional(),
    BODY_LIMIT_BYTES: z.coerce.number().int().min(1024).max(100 * 1024 * 1024).default(1024 * 1024),
    CITY_AUTH: z.enum(['on', 'off']).default('on'),
    REDIS_URL: z.string().trim().optional().transform((v) => (v ? v : undefined)).pipe(z.url().optional()),
    CIRCUIT_FAILURE_THRESHOLD: z.coerce.number().int().min(1).max(1000).default(5),
    CIRCUIT_COOLDOWN_MS: z.coerce.number().int().min(100).max(600000).default(5000),
    SUBGRAPH_RETRIES: z.coerce.number().int().min(0).max(5).default(1),
    DASHBOARD: z.enum(['on', 'off']).optional(),
    /** GraphiQL at `/graphql` and `/` for browsers; default on outside production. */
    IDE: z.enum(['on', 'off']).optional(),
    SCHEMA_REGISTRY: z.enum(['on', 'off']).optional(),
    REGISTRY_POLL_MS: z.coerce.number().int().min(0).max(3_600_000).default(2000),
    REGISTRY_OPERATION_WINDOW_DAYS: z.coerce.number().int().min(1).max(365).default(7),
    REGISTRY_USAGE_FLUSH_MS: z.coerce.number().int().min(100).max(600_000).default(5000),
    REGISTRY_SEED: z.enum(['on', 'off']).default('on'),
    REGISTRY_INSTANCE: z.string().max(200).optional(),
    SUPERGRAPH_WATCH: z.enum(['on', 'off']).default('on'),
    SUBSCRIPTIONS_MAX_PER_CLIENT: z.coerce.number().int().min(1).max(100000).default(50),
    SUBSCRIPTIONS_MAX_TOTAL: z.coerce.number().int().min(1).max(10000000).default(10000),
    SUBSCRIPTION_QUEUE_MAX: z.coerce.number().int().min(1).max(100000).default(100),
    DEBUG_ERRORS: z.enum(['on', 'off']).default('off'),
    OVERRIDE_LABELS: z
      .string()
      .default('')
      .refine((v) => v.split(',').every((l) => !l.trim() || /^[A-Za-z_][\w.:()-]*$/.test(l.trim())), 'comma-separated labels (letters, digits, _ . : ( ) -)'),
    /** Bearer token `/metrics` requires; unset: none (and, in production, no `/metrics` on the main port). */
    METRICS_TOKEN: z
      .string()
      .optional()
      .transform((v) => (v ? v : undefined))
      .pipe(z.string().min(16, 'must be at least 16 characters').regex(/^[\x21-\x7e]+$/, 'printable ASCII without spaces').optional()),
    /** Port of a listener serving only `/metrics` (0: a free one); unset: `/metrics` is on the main port. */
    METRICS_PORT: z.coerce.number().int().min(0).max(65535).optional(),
    /** Milliseconds a client may take to send a request's headers (not more than REQUEST_TIMEOUT_MS). */
    HEADERS_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).default(10_000),
    /** Milliseconds a client may take to send a whole request, body included. */
    REQUEST_TIMEOUT_MS: z.coerce.number().int().min(100).max(3_600_000).default(30_000),
    /** Open TCP connections one client address may hold; 0 turns the cap off (behind a proxy, every client has the proxy's address). */
    MAX_CONNECTIONS_PER_IP: z.coerce.number().int().min(0).max(1_000_000).default(256),
  };

/**
 * Reads the gateway's options from the environment. Every group (the gateway's own variables,
 * the city layer, security, performance, identity, logs and workers) is read even when an
 * earlier one failed, and one ConfigError names every bad variable of them all.
 */
export function loadGatewayOptions(env: NodeJS.ProcessEnv = process.env): GatewayOptions {
  const problems = new ConfigProblems();
  const parsed = problems.attempt(() => parseEnv(gatewayShape, env));
  // A group that failed still lets the others be read, on defaults for what they take from it.
  const e = parsed ?? parseEnv(gatewayShape, {});
  const production = (parsed ? e.NODE_ENV : env.NODE_ENV) === 'production';
  if (parsed && e.HEADERS_TIMEOUT_MS > e.REQUEST_TIMEOUT_MS) {
    problems.add({ variable: 'HEADERS_TIMEOUT_MS', message: `must not be more than REQUEST_TIMEOUT_MS (${e.REQUEST_TIMEOUT_MS})` });
  }
  let supergraph: SupergraphSource;
  if (e.SUPERGRAPH_PATH) {
    if (!existsSync(e.SUPERGRAPH_PATH)) problems.add({ variable: 'SUPERGRAPH_PATH', message: `no file at ${e.SUPERGRAPH_PATH}` });
    supergraph = { kind: 'file', path: path.resolve(e.SUPERGRAPH_PATH) };
  } else if (e.SUPERGRAPH_CONFIG) {
    supergraph = { kind: 'compose', configPath: path.resolve(e.SUPERGRAPH_CONFIG) };
  } else if (existsSync(DEFAULT_SUPERGRAPH)) {
    supergraph = { kind: 'file', path: DEFAULT_SUPERGRAPH };
  } else {
    supergraph = { kind: 'compose', configPath: DEFAULT_SUPERGRAPH_CONFIG };
  }
  const cityConfig: CityConfig | undefined = problems.attempt(() => loadCityConfig(env));
  const city = e.CITY_AUTH === 'on' ? cityConfig : undefined;
  const registryOn = e.SCHEMA_REGISTRY ? e.SCHEMA_REGISTRY === 'on' : Boolean(cityConfig?.mongodbUri);
  if (cityConfig && registryOn && !cityConfig.mongodbUri) {
    problems.add({ variable: 'SCHEMA_REGISTRY', message: '"on" needs MONGODB_URI (the registry is stored in MongoDB)' });
  }
  const introspection = e.INTROSPECTION ? e.INTROSPECTION === 'on' : !production;
  const identity = problems.attempt(() => loadIdentityOptions(env, { production }));
  const security = problems.attempt(() => loadSecurityOptions(env, { production, introspection, bodyLimitBytes: e.BODY_LIMIT_BYTES, plain: e.CITY_AUTH === 'off' }));
  const perf = problems.attempt(() => loadPerfOptions(env));
  problems.attempt(() => loadProcessOptions(env));
  problems.attempt(() => gatewayWorkers(env.GATEWAY_WORKERS));
  problems.throwIfAny();
  // Past this point every group parsed.
  const registry: RegistryOptions | undefined = registryOn
    ? {
        mongodbUri: cityConfig!.mongodbUri!,
        dbPrefix: cityConfig!.dbPrefix,
        jwtSecret: cityConfig!.jwtSecret,
        redisUrl: cityConfig!.redisUrl,
        pollIntervalMs: e.REGISTRY_POLL_MS,
        operationWindowDays: e.REGISTRY_OPERATION_WINDOW_DAYS,
        usageFlushIntervalMs: e.REGISTRY_USAGE_FLUSH_MS,
        seedConfigPath: e.REGISTRY_SEED === 'on' ? (e.SUPERGRAPH_CONFIG ? path.resolve(e.SUPERGRAPH_CONFIG) : DEFAULT_SUPERGRAPH_CONFIG) : undefined,
        instance: e.REGISTRY_INSTANCE,
      }
    : undefined;
  return {
    port: e.PORT,
    host: e.HOST,
    supergraph,
    subgraphUrls: {},
    subgraphTimeoutMs: e.SUBGRAPH_TIMEOUT_MS,
    subgraphMutationTimeoutMs: e.SUBGRAPH_MUTATION_TIMEOUT_MS,
    executor: e.GATEWAY_EXECUTOR,
    production,
    introspection,
    bodyLimitBytes: e.BODY_LIMIT_BYTES,
    cityAuth: city ? { jwtSecret: city.jwtSecret, internalSecret: city.internalSecret } : undefined,
    identity,
    circuitBreaker: { failureThreshold: e.CIRCUIT_FAILURE_THRESHOLD, cooldownMs: e.CIRCUIT_COOLDOWN_MS },
    subgraphRetries: e.SUBGRAPH_RETRIES,
    dashboard: e.DASHBOARD ? e.DASHBOARD === 'on' : e.CITY_AUTH === 'on',
    ide: e.IDE ? e.IDE === 'on' : !production,
    registry,
    watchSupergraph: e.SUPERGRAPH_WATCH === 'on',
    security: security!,
    redisUrl: e.REDIS_URL,
    subscriptions: { maxPerClient: e.SUBSCRIPTIONS_MAX_PER_CLIENT, maxTotal: e.SUBSCRIPTIONS_MAX_TOTAL, maxQueue: e.SUBSCRIPTION_QUEUE_MAX },
    debugErrors: e.DEBUG_ERRORS === 'on' && !production,
    overrideLabels: e.OVERRIDE_LABELS.split(',').map((l) => l.trim()).filter(Boolean),
    perf,
    connections: { headersTimeoutMs: e.HEADERS_TIMEOUT_MS, requestTimeoutMs: e.REQUEST_TIMEOUT_MS, maxPerIp: e.MAX_CONNECTIONS_PER_IP },
    metrics: { token: e.METRICS_TOKEN, port: e.METRICS_PORT, onMainPort: !production || e.METRICS_TOKEN !== undefined },
  };
}
