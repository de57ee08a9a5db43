import { GraphQLError } from 'graphql';

import type { ErrorCode } from './error-codes';

export type { ErrorCode } from './error-codes';

function error(code: ErrorCode, message: string, extensions: Record<string, unknown> = {}): GraphQLError {
  return new GraphQLError(message, { extensions: { code, ...extensions } });
}

/** A value the caller sent is wrong: names the input field (dotted path) and why. */
export function badInput(field: string, reason: string): GraphQLError {
  return error('BAD_USER_INPUT', `${field}: ${reason}`, { field, reason });
}

export function notFound(type: string, id: string): GraphQLError {
  return error('NOT_FOUND', `${type} ${id} was not found`, { type, id });
}

export function forbidden(reason: string): GraphQLError {
  return error('FORBIDDEN', reason, { reason });
}

export function unauthenticated(reason = 'Sign in first: this needs a valid bearer token'): GraphQLError {
  return error('UNAUTHENTICATED', reason, { reason });
}

/** The request is valid but the state of the data refuses it (full lot, wrong status, ...). */
export function conflict(reason: string, extensions: Record<string, unknown> = {}): GraphQLError {
  return error('CONFLICT', reason, { reason, ...extensions });
}

export function serviceUnavailable(reason: string): GraphQLError {
  return error('SERVICE_UNAVAILABLE', reason, { reason });
}

const MONGO_UNAVAILABLE = new Set([
  'MongoServerSelectionError',
  'MongoNetworkError',
  'MongoNetworkTimeoutError',
  'MongoNotConnectedError',
  'MongoTopologyClosedError',
  'MongoPoolClearedError',
  'MongooseServerSelectionError',
]);

/**
 * Turns errors thrown below the resolvers (driver, mongoose) into the graph's error codes, so a
 * database outage reads as SERVICE_UNAVAILABLE and a cast failure as BAD_USER_INPUT, never as a
 * stack trace. Returns undefined for errors that are already GraphQL errors or unknown.
 */
export function classifyError(err: unknown): GraphQLError | undefined {
  if (err instanceof GraphQLError && err.extensions?.code) return undefined;
  if (!err || typeof err !== 'object') return undefined;
  const e = err as { name?: string; code?: number; path?: string; kind?: string; errors?: Record<string, { message: string; path?: string }>; message?: string };
  if (e.name && MONGO_UNAVAILABLE.has(e.name)) {
    return serviceUnavailable('The database is unavailable right now; nothing was changed. Try again shortly.');
  }
  if (e.name === 'MongooseError' && /buffering timed out|not connected|Connection .*closed/i.test(e.message ?? '')) {
    return serviceUnavailable('The database is unavailable right now; nothing was changed. Try again shortly.');
  }
  if (e.name === 'CastError') return badInput(e.path ?? 'input', `is not a valid ${e.kind ?? 'value'}`);
  if (e.name === 'ValidationError' && e.errors) {
    const [first] = Object.values(e.errors);
    return badInput(first?.path ?? 'input', first?.message ?? 'is invalid');
  }
  if (e.code === 11000) return conflict('This already exists (a unique rule refused a second copy)');
  return undefined;
}
