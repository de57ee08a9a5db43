import type { IncomingMessage } from 'node:http';
import { ANONYMOUS, signViewer, verifyUserToken, type Viewer } from '../../shared/auth';
import type { GatewayContext } from '../auth';
import type { CityAuthOptions } from '../config';

/** How long a signed viewer is reused: well inside its 300 s lifetime, so a subgraph never sees it expired. */
const SIGNED_REUSE_MS = 60_000;
const MAX_TOKENS = 10_000;

/**
 * The city layer's per-request JWT work, memoised. The profiler showed jsonwebtoken's HS256
 * sign + verify (each first trying the secret as a PEM key, which throws) at ~13% of the gateway's
 * CPU. Here:
 * - a bearer token that verified is remembered (by its exact text) with its viewer until its own
 *   `exp`, so a client sending the same token again is not re-verified; a token that failed is
 *   never remembered, and an expired one is verified again (and refused);
 * - the viewer signed for the subgraphs is reused for 60 s per identity (it is valid 300 s).
 */
export class ViewerCache {
  private readonly verified = new Map<string, { viewer: Viewer; expiresAt: number }>();
  private readonly signed = new Map<string, { token: string; until: number }>();

  constructor(private readonly auth: CityAuthOptions | undefined, private readonly now: () => number = Date.now) {}

  private viewerOf(authorization: string | undefined): Viewer {
    if (!authorization) return ANONYMOUS;
    const m = /^Bearer\s+(.+)$/i.exec(authorization.trim());
    const token = m ? m[1] : '';
    const hit = this.verified.get(token);
    if (hit && hit.expiresAt > this.now()) return hit.viewer;
    const viewer = verifyUserToken(token, this.auth!.jwtSecret);
    const exp = expiryOf(token);
    if (exp !== undefined) {
      if (this.verified.size >= MAX_TOKENS) this.verified.delete(this.verified.keys().next().value!);
      this.verified.set(token, { viewer, expiresAt: exp });
    }
    return viewer;
  }

  private signedFor(viewer: Viewer): string {
    const key = JSON.stringify(viewer);
    const now = this.now();
    const hit = this.signed.get(key);
    if (hit && hit.until > now) return hit.token;
    const token = signViewer(viewer, this.auth!.internalSecret);
    if (this.signed.size >= MAX_TOKENS) this.signed.delete(this.signed.keys().next().value!);
    this.signed.set(key, { token, until: now + SIGNED_REUSE_MS });
    return token;
  }

  /**
   * The context for an Authorization value (HTTP header, or a WebSocket's `connection_init`):
   * none means anonymous; a bad token throws UNAUTHENTICATED, because a person who sent a token
   * expects to act as themselves, not silently as anonymous.
   */
  fromAuthorization(authorization: string | undefined, requestId?: string): GatewayContext {
    if (!this.auth) return { viewer: ANONYMOUS, requestId };
    const viewer = this.viewerOf(authorization);
    return { viewer, viewerToken: this.signedFor(viewer), requestId };
  }

  /** The context of an HTTP request (Authorization and X-Request-Id headers). */
  context(req: IncomingMessage): GatewayContext {
    const requestId = typeof req.headers['x-request-id'] === 'string' ? req.headers['x-request-id'] : undefined;
    return this.fromAuthorization(req.headers.authorization, requestId);
  }
}

/** The `exp` claim of an already verified token, in ms. */
function expiryOf(token: string): number | undefined {
  try {
    const { exp } = JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString('utf8')) as { exp?: number };
    return typeof exp === 'number' ? exp * 1000 : undefined;
  } catch {
    return undefined;
  }
}
