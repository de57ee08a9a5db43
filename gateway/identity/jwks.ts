import { createRemoteJWKSet, customFetch, type JWTVerifyGetKey, type RemoteJWKSet } from 'jose';
import type { OidcOptions } from './options';

/**
 * The identity provider's signing keys, fetched from its JWKS URL by jose's remote key set: kept
 * for `jwksMaxAgeMs`, fetched again when a token names an unknown `kid` (at most once per
 * `jwksCooldownMs`), so a provider that rotates keys is followed without a restart.
 *
 * It also notes which `kid`s the last fetched set published. Tokens that verified are memoised
 * (see index.ts), so they would otherwise outlive the removal of their key: a key is removed when
 * it is retired or compromised, and its tokens must stop working once the gateway sees that.
 */
export class ProviderKeys {
  readonly getKey: JWTVerifyGetKey & RemoteJWKSet;
  private published = new Set<string>();
  /** Counts the key sets fetched; tokens without a `kid` are re-verified after each. */
  private fetches = 0;

  constructor(options: OidcOptions) {
    this.getKey = createRemoteJWKSet(new URL(options.jwksUrl), {
      cooldownDuration: options.jwksCooldownMs,
      cacheMaxAge: options.jwksMaxAgeMs,
      timeoutDuration: options.jwksTimeoutMs,
      [customFetch]: async (url, init) => {
        const response = await fetch(url, init);
        if (response.status === 200) {
          try {
            const body = (await response.clone().json()) as { keys?: Array<{ kid?: unknown }> };
            if (Array.isArray(body?.keys)) {
              this.published = new Set(body.keys.map((k) => k?.kid).filter((kid): kid is string => typeof kid === 'string'));
              this.fetches++;
            }
          } catch {
            // Not JSON: jose reports it as it reads the same body.
          }
        }
        return response;
      },
    });
  }

  /** Which fetch of the key set a token is verified under (see `stillPublished`). */
  get generation(): number {
    return this.fetches;
  }

  /** Whether a token verified under `generation` with key `kid` is still backed by a published key. */
  stillPublished(kid: string | undefined, generation: number): boolean {
    this.refreshWhenStale();
    if (kid !== undefined) return this.published.has(kid);
    return generation === this.fetches;
  }

  /**
   * Memoised tokens never reach jose, so the key set would never age out while every caller's
   * token is remembered: past its max age it is fetched again in the background.
   */
  private refreshWhenStale(): void {
    if (!this.getKey.fresh && !this.getKey.reloading) this.getKey.reload().catch(() => undefined);
  }
}
