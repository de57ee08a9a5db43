import type { IncomingMessage } from 'node:http';
import { ANONYMOUS, signViewer, verifyUserToken, type Viewer } from '../shared/auth';
import type { CityAuthOptions } from './config';

/** What the city layer adds to each operation's context. */
export type GatewayContext = {
  viewer: Viewer;
  /** The viewer signed for the subgraphs, made once per operation and reused for every fetch. */
  viewerToken?: string;
  /** Forwarded so one request can be followed through every subgraph's logs. */
  requestId?: string;
  /** Who counts against per-client limits: the token's subject, else the IP address. */
  clientKey?: string;
};

/**
 * Reads the bearer token: none means anonymous; a bad one throws UNAUTHENTICATED, because a
 * person who sent a token expects to act as themselves, not silently as anonymous.
 */
export function contextFromAuthorization(
  authorization: string | undefined,
  auth: CityAuthOptions | undefined,
  requestId?: string,
): GatewayContext {
  if (!auth) return { viewer: ANONYMOUS, requestId };
  let viewer: Viewer = ANONYMOUS;
  if (authorization) {
    const m = /^Bearer\s+(.+)$/i.exec(authorization.trim());
    viewer = verifyUserToken(m ? m[1] : '', auth.jwtSecret);
  }
  return { viewer, viewerToken: signViewer(viewer, auth.internalSecret), requestId };
}

/** The context of an HTTP request (Authorization and X-Request-Id headers). */
export function contextFromRequest(req: IncomingMessage, auth: CityAuthOptions | undefined): GatewayContext {
  const requestId = typeof req.headers['x-request-id'] === 'string' ? req.headers['x-request-id'] : undefined;
  return contextFromAuthorization(req.headers.authorization, auth, requestId);
}
