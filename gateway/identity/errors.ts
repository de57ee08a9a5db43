import { GraphQLError } from 'graphql';
import { serviceUnavailable, unauthenticated } from '../../shared/platform/errors';

/**
 * A token that is refused: UNAUTHENTICATED with HTTP 401 on every transport, because a person who
 * sent a token expects to act as themselves, never silently as anonymous.
 */
export function refused(reason: string): GraphQLError {
  const e = unauthenticated(reason);
  return new GraphQLError(e.message, { extensions: { ...e.extensions, http: { status: 401 } } });
}

/**
 * The identity provider's keys could not be fetched: the token may be fine, so the answer is 503
 * (try again), not 401 (which tells a client to throw its token away).
 */
export function keysUnavailable(): GraphQLError {
  const e = serviceUnavailable("The identity provider's signing keys could not be fetched; try again shortly");
  return new GraphQLError(e.message, { extensions: { ...e.extensions, http: { status: 503 } } });
}
