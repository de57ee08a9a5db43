import type { IncomingMessage } from 'node:http';
import { randomUUID } from 'node:crypto';
import { GraphQLError } from 'graphql';
import type { CityAuthOptions } from '../../config';
import { ViewerCache } from '../../perf/viewer-cache';
import { clientIp } from '../../security/rate-limit';
import type { Identity, IdentityResolver } from '../types';

/** A request id the client sent, when it is a sane one; a fresh one otherwise. */
export function requestIdOf(given: string | string[] | undefined): string {
  return typeof given === 'string' && /^[A-Za-z0-9._:-]{1,64}$/.test(given) ? given : randomUUID();
}

/** The identity stage over HS256 bearer tokens (the city layer's `JWT_SECRET`). */
export function createIdentityResolver(auth: CityAuthOptions | undefined, trustProxyHops: number): IdentityResolver {
  const viewers = new ViewerCache(auth);
  return {
    async resolve({ authorization, req, requestId }: { authorization?: string; req: IncomingMessage; requestId?: string }): Promise<Identity> {
      const id = requestId ?? requestIdOf(req.headers['x-request-id']);
      let context;
      try {
        context = viewers.fromAuthorization(authorization, id);
      } catch (err) {
        const e = err as GraphQLError;
        throw new GraphQLError(e.message, { extensions: { ...e.extensions, code: 'UNAUTHENTICATED', http: { status: 401 } } });
      }
      const { viewer } = context;
      const clientKey = viewer.role !== 'anonymous' && viewer.subject ? `sub:${viewer.role}:${viewer.subject}` : `ip:${clientIp(req, trustProxyHops)}`;
      return { viewer, viewerToken: context.viewerToken, clientKey, requestId: id };
    },
    async close() {},
  };
}
