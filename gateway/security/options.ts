import path from 'node:path';
import { z } from 'zod';
import { parseEnv } from '../../shared/platform/config';
import { ROOT_DIR } from '../../shared/platform/schema';
import type { GatewayOptions } from '../config';

/** The settings of the gateway's hardening layer (see gateway/security/README.md). */
export interface SecurityOptions {
  /** Production: refusals keep their codes, but internal errors are masked (from `NODE_ENV`, via GatewayOptions). */
  production: boolean;
  /** Whether `__schema` / `__type` are answered (`INTROSPECTION`, via GatewayOptions; default: off in production). */
  introspection: boolean;
  /** Largest request body in bytes (`BODY_LIMIT_BYTES`, via GatewayOptions; default 1 MiB). Larger: 413 PAYLOAD_TOO_LARGE. */
  bodyLimitBytes: number;
  /** Deepest selection nesting, fragments followed (`MAX_DEPTH`, default 12; 0 = no limit). */
  maxDepth: number;
  /** Most aliases in one operation, fragments expanded (`MAX_ALIASES`, default 30; 0 = no limit). */
  maxAliases: number;
  /** Most fields at the root of one operation (`MAX_ROOT_FIELDS`, default 20; 0 = no limit). */
  maxRootFields: number;
  /** Most lexical tokens in one document, checked while parsing (`MAX_TOKENS`, default 3000; 0 = no limit). */
  maxTokens: number;
  /** Highest estimated cost of one operation (`MAX_COST`, default 5000; 0 = no limit). Applies in `enforce` mode. */
  maxCost: number;
  /**
   * What the cost estimate is used for (`COST_MODE`): `enforce` refuses operations above `maxCost`,
   * `measure` only records the estimate (metrics, and `extensions.cost` for clients that ask),
   * `off` does not estimate. Default: `enforce` with the city layer; in plain mode (`CITY_AUTH=off`)
   * `auto`, which is `enforce` when `MAX_COST` is set or the supergraph declares `@cost` /
   * `@listSize`, and `off` otherwise (as Apollo Router and Hive Router ship demand control).
   */
  costMode: CostMode | 'auto';
  /** Size assumed for a list field without a slicing argument or `@listSize(assumedSize)` (`COST_LIST_SIZE`, default 20). */
  costListSize: number;
  /**
   * Arguments that bound the length of a list field when the field has no `@listSize(slicingArguments)`
   * (`COST_SLICING_ARGUMENTS`, comma-separated, default `first,last,limit,take,pageSize`).
   */
  costSlicingArguments: string[];
  /** Cost of each root field of a mutation without its own `@cost` (`COST_MUTATION_WEIGHT`, default 10). */
  costMutationWeight: number;
  /** Operations in one batched (JSON array) request (`BATCH_MAX`, default 0 = batching refused). */
  batchMax: number;
  /** Requests allowed per client per window (`RATE_LIMIT_MAX`, default 300; 0 = no rate limit). */
  rateLimitMax: number;
  /** The rate limit window in milliseconds (`RATE_LIMIT_WINDOW_MS`, default 10000). */
  rateLimitWindowMs: number;
  /** Operations one client may have executing at once (`CLIENT_MAX_IN_FLIGHT`, default 8; 0 = no limit). */
  maxInFlight: number;
  /** Operations one client may have waiting for a slot; past that, 429 RATE_LIMITED (`CLIENT_MAX_QUEUED`, default 16). */
  maxQueued: number;
  /**
   * Proxies in front of the gateway whose `X-Forwarded-For` entries are trusted to name the client
   * (`TRUST_PROXY_HOPS`, default 0: the socket's address is the client).
   */
  trustProxyHops: number;
  /** Refuse cross-site "simple" requests (`CSRF_PREVENTION`, default on). */
  csrfPrevention: boolean;
  /** Automatic persisted queries (`APQ`, default on). In trusted mode only the manifest's operations are ever stored. */
  apq: boolean;
  /** Run only operations of the manifest (`TRUSTED_OPERATIONS`, default off). */
  trustedOperations: boolean;
  /**
   * The trusted operations (`TRUSTED_OPERATIONS_MANIFEST`, default `test/contract/operations.graphql`):
   * a .graphql file of named operations, or a JSON manifest `{ "<id>": "<body>" }` or Apollo's
   * persisted query manifest (`{ "operations": [{ "id", "body" }] }`).
   */
  trustedOperationsManifest: string;
}

/** What the cost estimate is used for (see `SecurityOptions.costMode`). */
export type CostMode = 'enforce' | 'measure' | 'off';

/** The settings the gateway's own config already owns; the security layer reuses them. */
export type GatewayBase = Pick<GatewayOptions, 'production' | 'introspection' | 'bodyLimitBytes'> & {
  /** Plain mode (`CITY_AUTH=off`): cost checks follow the supergraph unless configured (default false). */
  plain?: boolean;
};

const limit = (fallback: number, max = 1_000_000) => z.coerce.number().int().min(0).max(max).default(fallback);
const onOff = (fallback: 'on' | 'off') => z.enum(['on', 'off']).default(fallback);

export const DEFAULT_MANIFEST = path.join(ROOT_DIR, 'test', 'contract', 'operations.graphql');

/**
 * Reads the security settings from the environment (fails fast naming the bad variable). Body
 * limit, introspection and production come from the gateway's options, not from a second parse.
 */
export function loadSecurityOptions(env: NodeJS.ProcessEnv, gateway: GatewayBase): SecurityOptions {
  const e = parseEnv(
    {
      MAX_DEPTH: limit(12, 1000),
      MAX_ALIASES: limit(30, 100000),
      MAX_ROOT_FIELDS: limit(20, 10000),
      MAX_TOKENS: limit(3000, 10_000_000),
      MAX_COST: limit(5000, 1_000_000_000),
      COST_MODE: z.enum(['enforce', 'measure', 'off']).optional(),
      COST_LIST_SIZE: z.coerce.number().int().min(1).max(100000).default(20),
      COST_SLICING_ARGUMENTS: z
        .string()
        .regex(/^\s*[_A-Za-z][_0-9A-Za-z]*(\s*,\s*[_A-Za-z][_0-9A-Za-z]*)*\s*$/, 'comma-separated argument names')
        .default('first,last,limit,take,pageSize'),
      COST_MUTATION_WEIGHT: z.coerce.number().int().min(0).max(1_000_000).default(10),
      BATCH_MAX: limit(0, 1000),
      RATE_LIMIT_MAX: limit(300, 10_000_000),
      RATE_LIMIT_WINDOW_MS: z.coerce.number().int().min(100).max(3_600_000).default(10_000),
      CLIENT_MAX_IN_FLIGHT: limit(8, 100_000),
      CLIENT_MAX_QUEUED: limit(16, 100_000),
      TRUST_PROXY_HOPS: limit(0, 10),
      CSRF_PREVENTION: onOff('on'),
      APQ: onOff('on'),
      TRUSTED_OPERATIONS: onOff('off'),
      TRUSTED_OPERATIONS_MANIFEST: z.string().min(1).optional(),
    },
    env,
  );
  return {
    production: gateway.production,
    introspection: gateway.introspection,
    bodyLimitBytes: gateway.bodyLimitBytes,
    maxDepth: e.MAX_DEPTH,
    maxAliases: e.MAX_ALIASES,
    maxRootFields: e.MAX_ROOT_FIELDS,
    maxTokens: e.MAX_TOKENS,
    maxCost: e.MAX_COST,
    costMode: e.COST_MODE ?? (!gateway.plain || env.MAX_COST !== undefined ? 'enforce' : 'auto'),
    costListSize: e.COST_LIST_SIZE,
    costSlicingArguments: e.COST_SLICING_ARGUMENTS.split(',').map((s) => s.trim()),
    costMutationWeight: e.COST_MUTATION_WEIGHT,
    batchMax: e.BATCH_MAX,
    rateLimitMax: e.RATE_LIMIT_MAX,
    rateLimitWindowMs: e.RATE_LIMIT_WINDOW_MS,
    maxInFlight: e.CLIENT_MAX_IN_FLIGHT,
    maxQueued: e.CLIENT_MAX_QUEUED,
    trustProxyHops: e.TRUST_PROXY_HOPS,
    csrfPrevention: e.CSRF_PREVENTION === 'on',
    apq: e.APQ === 'on',
    trustedOperations: e.TRUSTED_OPERATIONS === 'on',
    trustedOperationsManifest: e.TRUSTED_OPERATIONS_MANIFEST ? path.resolve(e.TRUSTED_OPERATIONS_MANIFEST) : DEFAULT_MANIFEST,
  };
}
