import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { ANONYMOUS, signViewer, type Viewer } from '../../shared/platform/auth';
import { clientKeyOf, ipClientKey } from './client-key';
import { refused } from './errors';
import { ExpiringMemo } from './memo';
import type { IdentityOptions } from './options';
import { TokenVerifier, type VerifiedToken } from './verifier';

export { clientIp, clientKeyOf, ipClientKey } from './client-key';
export { loadIdentityOptions, OIDC_ALGORITHMS, type IdentityOptions, type OidcAlgorithm, type OidcOptions } from './options';

/** Who is asking, for every transport. */
export interface Identity {
  viewer: Viewer;
  /** viewer signed for subgraphs, undefined when the city layer is off */
  viewerToken?: string;
  /** `sub:<role>:<subject>` for a verified token, else `ip:<address>` (X-Forwarded-For honoured for TRUST_PROXY_HOPS hops) */
  clientKey: string;
  requestId: string;
}

export interface IdentityResolver {
  /**
   * `authorization` is the Authorization header value or a graphql-ws connection_init's; `req` the
   * HTTP (or WebSocket upgrade) request. Throws a GraphQLError with extensions
   * { code: 'UNAUTHENTICATED', http: { status: 401 } } for a bad token (and SERVICE_UNAVAILABLE,
   * 503, when the identity provider's keys cannot be fetched).
   */
  resolve(input: { authorization?: string; req: IncomingMessage; requestId?: string }): Promise<Identity>;
  close(): Promise<void>;
}

/** How long a signed viewer is reused: well inside its 300 s lifetime, so a subgraph never sees it expired. */
const SIGNED_REUSE_MS = 60_000;
const REQUEST_ID = /^[A-Za-z0-9._:-]{1,64}$/;

/**
 * The given id, else the request's `X-Request-Id`, else a new one: one id follows a request
 * through every subgraph's log. Ids are checked either way, since they are written into logs.
 */
function requestIdOf(given: string | undefined, req: IncomingMessage): string {
  for (const id of [given, req.headers['x-request-id']]) if (typeof id === 'string' && REQUEST_ID.test(id)) return id;
  return randomUUID();
}

/**
 * Works out who is asking, the same way for HTTP, graphql-ws, SSE and the admin API. Verifying a
 * token and signing a viewer was ~13% of the gateway's CPU in the profile (see
 * gateway/perf/viewer-cache.ts, which this replaces), so:
 * - a token that verified is remembered by its exact text until its own `exp` (a provider's token
 *   only while its key is still published); a refused token is never remembered;
 * - the viewer signed for the subgraphs is reused for 60 s per identity (it is valid 300 s).
 */
export function createIdentityResolver(options: IdentityOptions): IdentityResolver {
  const now = options.now ?? Date.now;
  const hops = options.trustProxyHops;
  const verifier = options.cityAuth ? new TokenVerifier(options, now) : undefined;
  const tokens = new ExpiringMemo<VerifiedToken>(options.memoSize ?? 10_000, now);
  const signed = new ExpiringMemo<string>(options.memoSize ?? 10_000, now);

  const viewerOf = async (authorization: unknown): Promise<Viewer> => {
    if (authorization === undefined || authorization === null || authorization === '') return ANONYMOUS;
    const m = typeof authorization === 'string' ? /^Bearer\s+(\S+)\s*$/i.exec(authorization.trim()) : null;
    if (!m) throw refused('The Authorization value must read "Bearer <token>"');
    const token = m[1];
    const known = tokens.get(token);
    if (known && verifier!.stillValid(known)) return known.viewer;
    if (known) tokens.delete(token);
    const verified = await verifier!.verify(token);
    tokens.set(token, verified, verified.expiresAt);
    return verified.viewer;
  };

  const signedFor = (viewer: Viewer): string => {
    const key = JSON.stringify(viewer);
    const hit = signed.get(key);
    if (hit) return hit;
    const token = signViewer(viewer, options.internalSecret);
    signed.set(key, token, now() + SIGNED_REUSE_MS);
    return token;
  };

  return {
    async resolve({ authorization, req, requestId }) {
      const id = requestIdOf(requestId, req);
      if (!verifier) return { viewer: ANONYMOUS, clientKey: ipClientKey(req, hops), requestId: id };
      const viewer = await viewerOf(authorization);
      return { viewer, viewerToken: signedFor(viewer), clientKey: clientKeyOf(viewer, req, hops), requestId: id };
    },
    async close() {
      tokens.clear();
      signed.clear();
    },
  };
}
