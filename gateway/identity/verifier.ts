import { webcrypto } from 'node:crypto';
import { GraphQLError } from 'graphql';
import { decodeProtectedHeader, jwtVerify, type JWTPayload } from 'jose';
import type { Viewer } from '../../shared/platform/auth';
import { viewerOf } from './claims';
import { keysUnavailable, refused } from './errors';
import { ProviderKeys } from './jwks';
import type { IdentityOptions } from './options';

/** The `aud` of HS256 person tokens (shared/auth.ts's signUserToken). */
const HS256_AUDIENCE = 'citygraph';

/** A bearer token that verified: who it names and until when. */
export interface VerifiedToken {
  viewer: Viewer;
  /** The token's `exp`, in ms. */
  expiresAt: number;
  /** For a provider's token: the key it was verified with, so its removal can be noticed. */
  providerKey?: { kid?: string; generation: number };
}

/** jose reports why in `code`; these mean the provider's keys could not be had, not a bad token. */
const KEYS_UNAVAILABLE = new Set(['ERR_JWKS_TIMEOUT', 'ERR_JWKS_INVALID', 'ERR_JOSE_GENERIC']);

/** The refusal for one of jose's errors (the token's fault), or 503 when the keys could not be fetched. */
function refusalOf(err: unknown, provider: boolean): GraphQLError {
  if (err instanceof GraphQLError) return err;
  const { code, claim, reason } = err as { code?: string; claim?: string; reason?: string };
  if (provider && (code === undefined || KEYS_UNAVAILABLE.has(code))) return keysUnavailable();
  switch (code) {
    case 'ERR_JWT_EXPIRED':
      return refused('The token has expired');
    case 'ERR_JWT_CLAIM_VALIDATION_FAILED':
      if (claim === 'exp' && reason === 'missing') return refused('The token has no expiry');
      if (claim === 'iss') return refused('The token is not from the accepted issuer');
      if (claim === 'aud') return refused('The token is not meant for this service (audience)');
      if (claim === 'nbf') return refused('The token is not valid yet');
      return refused('The token is not valid');
    case 'ERR_JWKS_NO_MATCHING_KEY':
    case 'ERR_JWKS_MULTIPLE_MATCHING_KEYS':
      return refused('The token is not signed by a key the identity provider publishes');
    case 'ERR_JOSE_ALG_NOT_ALLOWED':
      return refused("The token's signature algorithm is not accepted");
    default:
      return refused('The token is not valid');
  }
}

/**
 * Verifies bearer tokens of both kinds, chosen by the algorithm in the token's header, each kind
 * with its own fixed algorithms so one key is never used as another kind's (HS256 "signed" with
 * the provider's public key fails against `JWT_SECRET`; `none` is accepted by neither):
 * - HS256 with `JWT_SECRET`, `aud` `citygraph` (development, `npm run token`, shared-secret setups);
 * - the OIDC provider's asymmetric algorithms against its JWKS, with its `iss` and `aud`.
 * Every token must carry `exp`, and may not be valid for longer than `maxTokenLifetimeS`.
 */
export class TokenVerifier {
  private readonly keys?: ProviderKeys;
  private hmac?: Promise<CryptoKey>;

  constructor(
    private readonly options: IdentityOptions,
    private readonly now: () => number,
  ) {
    if (options.oidc) this.keys = new ProviderKeys(options.oidc);
  }

  /** The HMAC key imported once: jose would import raw bytes again on every verification. */
  private hmacKey(): Promise<CryptoKey> {
    this.hmac ??= webcrypto.subtle.importKey('raw', new TextEncoder().encode(this.options.jwtSecret), { name: 'HMAC', hash: 'SHA-256' }, false, [
      'verify',
    ]) as Promise<CryptoKey>;
    return this.hmac;
  }

  async verify(token: string): Promise<VerifiedToken> {
    let alg: string | undefined;
    let kid: string | undefined;
    try {
      ({ alg, kid } = decodeProtectedHeader(token));
    } catch {
      throw refused('The token is not valid');
    }
    const oidc = this.options.oidc;
    const currentDate = new Date(this.now());
    if (alg === 'HS256' && this.options.hs256Tokens) {
      let payload: JWTPayload;
      try {
        ({ payload } = await jwtVerify(token, await this.hmacKey(), { algorithms: ['HS256'], audience: HS256_AUDIENCE, requiredClaims: ['exp'], currentDate }));
      } catch (err) {
        throw refusalOf(err, false);
      }
      return { viewer: viewerOf(payload), expiresAt: this.checkLifetime(payload) };
    }
    if (oidc && this.keys && oidc.algorithms.includes(alg as never)) {
      let payload: JWTPayload;
      try {
        ({ payload } = await jwtVerify(token, this.keys.getKey, {
          algorithms: oidc.algorithms,
          issuer: oidc.issuer,
          audience: oidc.audience,
          requiredClaims: ['exp'],
          currentDate,
        }));
      } catch (err) {
        throw refusalOf(err, true);
      }
      // Read after verifying: a fetch made meanwhile (an unknown kid) is the set it was checked against.
      return { viewer: viewerOf(payload, oidc), expiresAt: this.checkLifetime(payload), providerKey: { kid, generation: this.keys.generation } };
    }
    throw refused(`The token's signature algorithm is not accepted (${String(alg)})`);
  }

  /** Whether a memoised token still stands: a provider's token only while its key is published. */
  stillValid(verified: VerifiedToken): boolean {
    if (!verified.providerKey || !this.keys) return true;
    return this.keys.stillPublished(verified.providerKey.kid, verified.providerKey.generation);
  }

  /**
   * Refuses a token valid for longer than allowed: `exp - iat`, counted from now when `iat` is
   * missing or in the future (a future `iat` would otherwise hide a long life). Returns `exp` in ms.
   */
  private checkLifetime(payload: JWTPayload): number {
    const exp = payload.exp!;
    const now = this.now() / 1000;
    const from = typeof payload.iat === 'number' ? Math.min(payload.iat, now) : now;
    const lifetime = exp - from;
    if (lifetime > this.options.maxTokenLifetimeS) {
      throw refused(`The token is valid for ${Math.round(lifetime)} s; the longest accepted lifetime is ${this.options.maxTokenLifetimeS} s`);
    }
    return exp * 1000;
  }
}
