import { z } from 'zod';
import type { Role } from '../../shared/platform/auth';
import {
  DEVELOPMENT_INTERNAL_SECRET,
  DEVELOPMENT_JWT_SECRET,
  parseEnv,
  productionSecretProblems,
  secretSchema,
  type EnvProblem,
} from '../../shared/platform/config';

/** The asymmetric algorithms an identity provider's tokens may be signed with. */
export const OIDC_ALGORITHMS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA'] as const;
export type OidcAlgorithm = (typeof OIDC_ALGORITHMS)[number];

/**
 * Tokens of an OpenID Connect identity provider, verified against the keys it publishes (JWKS).
 * Claims map to the viewer as HS256 tokens' do (`sub`, `dept`, `street`, `community`), except the
 * role, which is read from `roleClaim` and translated by `roleMap` (see `mapRole`).
 */
export interface OidcOptions {
  /** The exact `iss` the provider's tokens carry (`OIDC_ISSUER`). */
  issuer: string;
  /** Accepted `aud` values; a token must name at least one (`OIDC_AUDIENCE`, comma-separated). */
  audience: string[];
  /** Where the provider publishes its signing keys (`OIDC_JWKS_URL`). */
  jwksUrl: string;
  /** Accepted signature algorithms (`OIDC_ALGORITHMS`, default `RS256,ES256`). Never HS* or `none`. */
  algorithms: OidcAlgorithm[];
  /**
   * The claim naming the person's role (`OIDC_ROLE_CLAIM`, default `role`): a dotted path such as
   * `realm_access.roles`; its value is a string or an array of strings.
   */
  roleClaim: string;
  /**
   * The provider's role names to CityGraph's (`OIDC_ROLE_MAP`, e.g. `city-clerk=staff,city-admin=admin`).
   * Empty: the claim's values are CityGraph role names themselves.
   */
  roleMap: Record<string, Exclude<Role, 'anonymous'>>;
  /** Least time between two JWKS fetches caused by an unknown `kid` (`OIDC_JWKS_COOLDOWN_MS`, default 30000). */
  jwksCooldownMs: number;
  /** Longest use of a fetched JWKS before it is fetched again (`OIDC_JWKS_MAX_AGE_MS`, default 600000). */
  jwksMaxAgeMs: number;
  /** How long one JWKS fetch may take (`OIDC_JWKS_TIMEOUT_MS`, default 5000). */
  jwksTimeoutMs: number;
}

/** How the gateway works out who is asking (gateway/identity). */
export interface IdentityOptions {
  /**
   * The city layer (`CITY_AUTH`, default on). Off: nobody is verified, everyone is anonymous, no
   * viewer is signed for the subgraphs, and client keys are IP addresses.
   */
  cityAuth: boolean;
  /** HS256 secret of development and shared-secret bearer tokens, `aud` `citygraph` (`JWT_SECRET`). */
  jwtSecret: string;
  /** Accept HS256 bearer tokens at all (`HS256_TOKENS`, default on; off: only the identity provider's). */
  hs256Tokens: boolean;
  /** HS256 secret of the viewer signed for the subgraphs, `x-citygraph-viewer` (`INTERNAL_SECRET`). */
  internalSecret: string;
  /** An OpenID Connect provider's tokens, when `OIDC_ISSUER` is set. */
  oidc?: OidcOptions;
  /**
   * Longest accepted token lifetime in seconds, `exp - iat` (or `exp - now` without `iat`)
   * (`TOKEN_MAX_LIFETIME_S`, default 86400). Every token must carry `exp`.
   */
  maxTokenLifetimeS: number;
  /**
   * Proxies whose `X-Forwarded-For` entries name the client: the security options' `TRUST_PROXY_HOPS`
   * (read once, there), handed in by the server so rate limits and identity agree on who the client is.
   */
  trustProxyHops: number;
  /** Most verified tokens and signed viewers remembered (default 10000 each). */
  memoSize?: number;
  /** The clock, in ms (tests); `Date.now` otherwise. */
  now?: () => number;
}

const ROLE_NAMES = ['resident', 'staff', 'community_worker', 'admin', 'lot_owner'] as const;

const list = (value: string) =>
  value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);

const optionalText = z
  .string()
  .trim()
  .optional()
  .transform((v) => (v ? v : undefined));

const ms = (fallback: number, max: number) => z.coerce.number().int().min(0).max(max).default(fallback);

const identityShape = {
  CITY_AUTH: z.enum(['on', 'off']).default('on'),
  JWT_SECRET: secretSchema,
  INTERNAL_SECRET: secretSchema,
  HS256_TOKENS: z.enum(['on', 'off']).default('on'),
  TOKEN_MAX_LIFETIME_S: z.coerce.number().int().min(60).max(30 * 86400).default(86400),
  OIDC_ISSUER: optionalText,
  OIDC_AUDIENCE: optionalText,
  OIDC_JWKS_URL: optionalText.pipe(z.url().optional()),
  OIDC_ALGORITHMS: z
    .string()
    .default('RS256,ES256')
    .transform(list)
    .pipe(z.array(z.enum(OIDC_ALGORITHMS)).min(1, 'at least one algorithm')),
  OIDC_ROLE_CLAIM: z
    .string()
    .trim()
    .regex(/^[^.\s]+(\.[^.\s]+)*$/, 'a claim name or a dotted path (e.g. realm_access.roles)')
    .default('role'),
  OIDC_ROLE_MAP: z
    .string()
    .default('')
    .transform(list)
    .pipe(z.array(z.string().regex(new RegExp(`^[^=]+=(${ROLE_NAMES.join('|')})$`), `entries read <provider role>=<${ROLE_NAMES.join('|')}>`))),
  OIDC_JWKS_COOLDOWN_MS: ms(30_000, 3_600_000),
  OIDC_JWKS_MAX_AGE_MS: ms(600_000, 86_400_000),
  OIDC_JWKS_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(5000),
};

/** Problems zod cannot see: OIDC settings come as a set; production's keys come over https. */
function oidcProblems(env: NodeJS.ProcessEnv, production: boolean): EnvProblem[] {
  const names = ['OIDC_ISSUER', 'OIDC_AUDIENCE', 'OIDC_JWKS_URL'];
  const given = names.filter((n) => env[n]?.trim());
  if (given.length === 0) return [];
  const problems: EnvProblem[] = names
    .filter((n) => !given.includes(n))
    .map((variable) => ({ variable, message: `required with ${given.join(' and ')} (an identity provider needs an issuer, an audience and a JWKS URL)` }));
  if (production) {
    for (const variable of ['OIDC_ISSUER', 'OIDC_JWKS_URL']) {
      const value = env[variable]?.trim();
      if (value && !value.startsWith('https://')) problems.push({ variable, message: 'must be an https:// URL when NODE_ENV=production' });
    }
  }
  return problems;
}

/**
 * Reads the identity settings from the environment and fails fast naming every bad variable at
 * once. In production the development secrets are refused, missing or set explicitly.
 */
export function loadIdentityOptions(env: NodeJS.ProcessEnv, gateway: { production: boolean }): Omit<IdentityOptions, 'trustProxyHops'> {
  const problems = [...(gateway.production ? productionSecretProblems(env) : []), ...oidcProblems(env, gateway.production)];
  const e = parseEnv(identityShape, env, problems);
  const oidc: OidcOptions | undefined = e.OIDC_ISSUER
    ? {
        issuer: e.OIDC_ISSUER,
        audience: list(e.OIDC_AUDIENCE!),
        jwksUrl: e.OIDC_JWKS_URL!,
        algorithms: e.OIDC_ALGORITHMS,
        roleClaim: e.OIDC_ROLE_CLAIM,
        roleMap: Object.fromEntries(
          e.OIDC_ROLE_MAP.map((entry) => {
            const at = entry.lastIndexOf('=');
            return [entry.slice(0, at).trim(), entry.slice(at + 1) as Exclude<Role, 'anonymous'>];
          }),
        ),
        jwksCooldownMs: e.OIDC_JWKS_COOLDOWN_MS,
        jwksMaxAgeMs: e.OIDC_JWKS_MAX_AGE_MS,
        jwksTimeoutMs: e.OIDC_JWKS_TIMEOUT_MS,
      }
    : undefined;
  return {
    cityAuth: e.CITY_AUTH === 'on',
    jwtSecret: e.JWT_SECRET ?? DEVELOPMENT_JWT_SECRET,
    hs256Tokens: e.HS256_TOKENS === 'on',
    internalSecret: e.INTERNAL_SECRET ?? DEVELOPMENT_INTERNAL_SECRET,
    oidc,
    maxTokenLifetimeS: e.TOKEN_MAX_LIFETIME_S,
  };
}
