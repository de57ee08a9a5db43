import { z } from 'zod';

/** Raised at start-up when an environment variable is missing or malformed. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

/**
 * Parses `env` against a zod shape and fails fast with one line per bad variable, naming it, so
 * a mistyped deployment stops at start-up instead of misbehaving later.
 */
export function parseEnv<T extends z.ZodRawShape>(
  shape: T,
  env: NodeJS.ProcessEnv = process.env,
): z.infer<z.ZodObject<T>> {
  const result = z.object(shape).safeParse(env);
  if (!result.success) {
    const lines = result.error.issues.map((issue) => `  ${issue.path.join('.')}: ${issue.message}`);
    throw new ConfigError(`Invalid configuration (environment variables):\n${lines.join('\n')}`);
  }
  return result.data;
}

/** Fixed secrets so a fresh checkout runs with no setup; refused when NODE_ENV=production. */
export const DEVELOPMENT_JWT_SECRET = 'citygraph-development-jwt-secret-do-not-use-in-production';
export const DEVELOPMENT_INTERNAL_SECRET = 'citygraph-development-internal-secret-not-for-production';

const port = (fallback: number) => z.coerce.number().int().min(0).max(65535).default(fallback);
const optionalUrl = z
  .string()
  .trim()
  .optional()
  .transform((v) => (v ? v : undefined))
  .pipe(z.url().optional());

const cityShape = {
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  /** MongoDB connection string; when unset `npm start` runs an embedded FerretDB. */
  MONGODB_URI: optionalUrl,
  /** Each subgraph keeps its data in its own database named `<prefix>_<subgraph>`. */
  MONGODB_DB_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,40}$/, 'letters, digits, _ and - only (at most 40)')
    .default('citygraph'),
  /** Shared state across replicas (pub/sub, rate limits); in-process when unset. */
  REDIS_URL: optionalUrl,
  /** HS256 secret for residents', clerks' and admins' bearer tokens. */
  JWT_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  /** HS256 secret the gateway signs forwarded identities with; subgraphs verify it. */
  INTERNAL_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  /** Milliseconds the driver waits for a database before a request fails with SERVICE_UNAVAILABLE. */
  MONGODB_TIMEOUT_MS: z.coerce.number().int().min(100).max(60000).default(3000),
  REQUESTS_PORT: port(4001),
  PARKING_PORT: port(4002),
  HOSTELS_PORT: port(4003),
  VOLUNTEERS_PORT: port(4004),
  HOST: z.string().default('127.0.0.1'),
  /** Subgraphs refuse requests without a gateway-signed identity (default: on in production). */
  REQUIRE_GATEWAY_SIGNATURE: z.enum(['on', 'off']).optional(),
};

export interface CityConfig {
  env: 'development' | 'production' | 'test';
  mongodbUri?: string;
  dbPrefix: string;
  redisUrl?: string;
  jwtSecret: string;
  internalSecret: string;
  mongodbTimeoutMs: number;
  host: string;
  /** Subgraphs answer only requests the gateway signed. */
  requireGatewaySignature: boolean;
  ports: { requests: number; parking: number; hostels: number; volunteers: number };
}

/** The configuration shared by the subgraphs and the city layer of the gateway. */
export function loadCityConfig(env: NodeJS.ProcessEnv = process.env): CityConfig {
  const e = parseEnv(cityShape, env);
  const production = e.NODE_ENV === 'production';
  const missing = [
    !e.JWT_SECRET && production ? 'JWT_SECRET' : undefined,
    !e.INTERNAL_SECRET && production ? 'INTERNAL_SECRET' : undefined,
  ].filter(Boolean);
  if (missing.length) {
    throw new ConfigError(
      `Invalid configuration (environment variables):\n${missing
        .map((name) => `  ${name}: required when NODE_ENV=production (the development default is refused)`)
        .join('\n')}`,
    );
  }
  return {
    env: e.NODE_ENV,
    mongodbUri: e.MONGODB_URI,
    dbPrefix: e.MONGODB_DB_PREFIX,
    redisUrl: e.REDIS_URL,
    jwtSecret: e.JWT_SECRET ?? DEVELOPMENT_JWT_SECRET,
    internalSecret: e.INTERNAL_SECRET ?? DEVELOPMENT_INTERNAL_SECRET,
    mongodbTimeoutMs: e.MONGODB_TIMEOUT_MS,
    host: e.HOST,
    requireGatewaySignature: e.REQUIRE_GATEWAY_SIGNATURE ? e.REQUIRE_GATEWAY_SIGNATURE === 'on' : production,
    ports: {
      requests: e.REQUESTS_PORT,
      parking: e.PARKING_PORT,
      hostels: e.HOSTELS_PORT,
      volunteers: e.VOLUNTEERS_PORT,
    },
  };
}
