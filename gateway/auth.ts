import type { IncomingMessage } from 'node:http';
import { ANONYMOUS, signViewer, verifyUserToken, type Viewer } from '../shared/auth';
import type { CityAuthOptions } from './config';

/** What the city layer adds to each operation's context. */
export interface GatewayContext {
  viewer: Viewer;
  /** The viewer signed for the subgraphs, made once per operation and reused for every fetch. */
  viewerToken?: string;
  /** Forwarded so one request can be followed through every subgraph's logs. */
  requestId?: string;
}

/**
 * Reads the bearer token: none means anonymous; a bad one throws UNAUTHENTICATED, because a
 * person who sent a token expects to act as themselves, not silently as anonymous.
 */
export function contextFromRequest(req: IncomingMessage, auth: CityAuthOptions | undefined): GatewayContext {
  const requestId = typeof req.headers['x-request-id'] === 'string' ? req.headers['x-request-id'] : undefined;
  if (!auth) return { viewer: ANONYMOUS, requestId };
  const header = req.headers.authorization;
  let viewer: Viewer = ANONYMOUS;
  if (header) {
    const m = /^Bearer\s+(.+)$/i.exec(header.trim());
    if (!m) {
      viewer = verifyUserToken('', auth.jwtSecret);
    } else {
      viewer = verifyUserToken(m[1], auth.jwtSecret);
    }
  }
  return { viewer, viewerToken: signViewer(viewer, auth.internalSecret), requestId };
}
