import { z } from 'zod';

/** A variable that is missing, malformed, or refused by a rule across variables (e.g. production's secrets). */
export interface EnvProblem {
  variable: string;
  message: string;
}

/** Raised at start-up when environment variables are missing or malformed: `problems` names each one. */
export class ConfigError extends Error {
  override name = 'ConfigError';
  /** Every bad variable found (its message lists them, one line each). */
  readonly problems: EnvProblem[];

  constructor(messageOrProblems: string | EnvProblem[]) {
    const problems = typeof messageOrProblems === 'string' ? [] : messageOrProblems;
    super(typeof messageOrProblems === 'string' ? messageOrProblems : configMessage(problems));
    this.problems = problems;
  }
}

const configMessage = (problems: EnvProblem[]) =>
  `Invalid configuration (environment variables):\n${problems.map((p) => `  ${p.variable}: ${p.message}`).join('\n')}`;

/**
 * Gathers the problems of several configuration groups (the gateway's, security's, identity's…)
 * so one start-up names every bad variable, not only those of the first group that failed.
 * `attempt` runs one group's loader and keeps its problems; `throwIfAny` throws them as one
 * ConfigError (a variable two groups read, with the same complaint, is named once).
 */
export class ConfigProblems {
  private readonly found: EnvProblem[] = [];

  /** Runs a loader; on a ConfigError keeps its problems and returns undefined. Other errors pass. */
  attempt<T>(load: () => T): T | undefined {
    try {
      return load();
    } catch (err) {
      if (!(err instanceof ConfigError)) throw err;
      this.add(...(err.problems.length ? err.problems : [{ variable: 'configuration', message: err.message }]));
      return undefined;
    }
  }

  add(...problems: EnvProblem[]): void {
    for (const p of problems) if (!this.found.some((f) => f.variable === p.variable && f.message === p.message)) this.found.push(p);
  }

  get problems(): readonly EnvProblem[] {
    return this.found;
  }

  /** Throws every problem gathered so far as one ConfigError. */
  throwIfAny(): void {
    if (this.found.length) throw new ConfigError([...this.found]);
  }
}

/**
 * Parses `env` against a zod shape and fails fast with one line per bad variable, naming it, so
 * a mistyped deployment stops at start-up instead of misbehaving later. `problems` found by the
 * caller are reported in the same message, so every bad variable is named at once (a variable
 * zod already refused is named once).
 */
export function parseEnv<T extends z.ZodRawShape>(
  shape: T,
  env: NodeJS.ProcessEnv = process.env,
  problems: EnvProblem[] = [],
): z.infer<z.ZodObject<T>> {
  const result = z.object(shape).safeParse(env);
  const issues = result.success ? [] : result.error.issues.map((issue) => ({ variable: issue.path.join('.'), message: issue.message }));
  const all = [...issues, ...problems.filter((p) => !issues.some((i) => i.variable === p.variable))];
  if (all.length || !result.success) throw new ConfigError(all);
  return result.data;
}

/** Fixed secrets so a fresh checkout runs with no setup; refused when NODE_ENV=production. */
export const DEVELOPMENT_JWT_SECRET = 'citygraph-development-jwt-secret-do-not-use-in-production';
export const DEVELOPMENT_INTERNAL_SECRET = 'citygraph-development-internal-secret-not-for-production';

/** An HS256 secret: long enough that it cannot be guessed; unset means the development default. */
export const secretSchema = z.string().min(32, 'must be at least 32 characters').optional();

/**
 * What production refuses in `JWT_SECRET` and `INTERNAL_SECRET`: a missing one (the development
 * default would be used) and one set to either published development secret, since anyone who
 * has read this file could sign tokens with it. Both are checked, so one start-up names both.
 */
export function productionSecretProblems(env: NodeJS.ProcessEnv): EnvProblem[] {
  const published = [DEVELOPMENT_JWT_SECRET, DEVELOPMENT_INTERNAL_SECRET];
  const problems: EnvProblem[] = [];
  for (const variable of ['JWT_SECRET', 'INTERNAL_SECRET']) {
    const value = env[variable];
    if (!value) problems.push({ variable, message: 'required when NODE_ENV=production (the development default is refused)' });
    else if (published.includes(value.trim())) {
      problems.push({ variable, message: 'is a published development secret, refused when NODE_ENV=production; set a secret of your own' });
    }
  }
  return problems;
}

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
  JWT_SECRET: secretSchema,
  /** HS256 secret the gateway signs forwarded identities with; subgraphs verify it. */
  INTERNAL_SECRET: secretSchema,
  /** Milliseconds the driver waits for a database before a request fails with SERVICE_UNAVAILABLE. */
  MONGODB_TIMEOUT_MS: z.coerce.number().int().min(100).max(60000).default(3000),
  REQUESTS_PORT: port(4001),
  PARKING_PORT: port(4002),
  HOSTELS_PORT: port(4003),
  VOLUNTEERS_PORT: port(4004),
  HOST: z.string().default('127.0.0.1'),
  /** Subgraphs refuse requests without a gateway-signed identity (default: on in production). */
  REQUIRE_GATEWAY_SIGNATURE: z.enum(['on', 'off']).optional(),
  /**
   * Where each subgraph answers (`…/graphql`): the gateway routes there, and a subgraph asks the
   * owner there whether an entity it references exists (shared/subgraph/references.ts).
   */
  SUBGRAPH_REQUESTS_URL: optionalUrl,
  SUBGRAPH_PARKING_URL: optionalUrl,
  SUBGRAPH_HOSTELS_URL: optionalUrl,
  SUBGRAPH_VOLUNTEERS_URL: optionalUrl,
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
  /**
   * Each subgraph's GraphQL URL, for the reference checks between subgraphs: `SUBGRAPH_<NAME>_URL`,
   * else `http://HOST:<NAME>_PORT/graphql`. With NODE_ENV=test and no variable it is unset, so a
   * test can run one subgraph alone (its references to the others then go unchecked).
   */
  subgraphUrls: { requests?: string; parking?: string; hostels?: string; volunteers?: string };
}

/** The configuration shared by the subgraphs and the city layer of the gateway. */
export function loadCityConfig(env: NodeJS.ProcessEnv = process.env): CityConfig {
  const e = parseEnv(cityShape, env, env.NODE_ENV === 'production' ? productionSecretProblems(env) : []);
  const production = e.NODE_ENV === 'production';
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
    subgraphUrls: {
      requests: e.SUBGRAPH_REQUESTS_URL ?? defaultUrl(e.REQUESTS_PORT),
      parking: e.SUBGRAPH_PARKING_URL ?? defaultUrl(e.PARKING_PORT),
      hostels: e.SUBGRAPH_HOSTELS_URL ?? defaultUrl(e.HOSTELS_PORT),
      volunteers: e.SUBGRAPH_VOLUNTEERS_URL ?? defaultUrl(e.VOLUNTEERS_PORT),
    },
  };
  function defaultUrl(p: number): string | undefined {
    return e.NODE_ENV === 'test' ? undefined : `http://${e.HOST}:${p}/graphql`;
  }
}

/** What a subgraph process needs, on top of the city configuration: a database to serve from. */
export interface SubgraphProcessConfig extends CityConfig {
  mongodbUri: string;
}

/**
 * The configuration of a subgraph run as a process (`npm run subgraph`, `npm start`): the city
 * variables, `MONGODB_URI` (required: `npm start` provides one), and the process-wide
 * `LOG_LEVEL`, `OTEL_TRACES_EXPORTER` and `SHUTDOWN_GRACE_MS`, every problem named at once.
 */
export function loadSubgraphProcessConfig(env: NodeJS.ProcessEnv = process.env): SubgraphProcessConfig {
  const problems = new ConfigProblems();
  const city = problems.attempt(() => loadCityConfig(env));
  problems.attempt(() => loadProcessOptions(env));
  if (!env.MONGODB_URI?.trim()) {
    problems.add({ variable: 'MONGODB_URI', message: 'required to run a subgraph alone (`npm start` runs an embedded FerretDB for you)' });
  }
  problems.throwIfAny();
  return city as SubgraphProcessConfig;
}

/** Settings every process reads (logs, traces, shutdown). */
export interface ProcessOptions {
  /** pino level (`LOG_LEVEL`, default info). */
  logLevel: string;
  /** `OTEL_TRACES_EXPORTER`: none (default), console or otlp. */
  tracesExporter: 'none' | 'console' | 'otlp';
  /** Longest wait for in-flight work on SIGTERM (`SHUTDOWN_GRACE_MS`, default 10000). */
  shutdownGraceMs: number;
}

/** Checks the process-wide variables, so a typo there is reported with the rest at start-up. */
export function loadProcessOptions(env: NodeJS.ProcessEnv = process.env): ProcessOptions {
  const e = parseEnv(
    {
      LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
      OTEL_TRACES_EXPORTER: z.enum(['none', 'console', 'otlp']).default('none'),
      SHUTDOWN_GRACE_MS: z.coerce.number().int().min(0).max(600_000).default(10_000),
    },
    env,
  );
  return { logLevel: e.LOG_LEVEL, tracesExporter: e.OTEL_TRACES_EXPORTER, shutdownGraceMs: e.SHUTDOWN_GRACE_MS };
}
