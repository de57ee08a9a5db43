import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { isClientCode, statusOf } from '../../shared/platform/error-codes';
import type { Logger } from '../../shared/platform/logger';

/** How errors leave the gateway. */
export interface ErrorFormatOptions {
  /** Production: codes outside the registry's client list read INTERNAL_SERVER_ERROR, and schema hints are removed. */
  production: boolean;
  /** Keep `extensions.stacktrace` on internal errors (`DEBUG_ERRORS=on`, never in production). */
  debugErrors: boolean;
}

/** graphql-js's "Did you mean …?" hints tell a stranger the schema; production drops them. */
const SUGGESTION = /\s*Did you mean [^?]*\?/g;

const MASKED = 'Internal server error';

/**
 * The one error formatter of the gateway: Apollo Server's `formatError`, and every transport's
 * refusals and subscription events, go through it. It is idempotent (formatting a formatted error
 * gives the same error), so an error may safely pass twice.
 */
export type ErrorFormatter = (error: GraphQLFormattedError | GraphQLError) => GraphQLFormattedError;

export function createErrorFormatter(options: ErrorFormatOptions, log?: Logger): ErrorFormatter {
  return (input) => {
    const e: GraphQLFormattedError = input instanceof GraphQLError ? input.toJSON() : input;
    const { http: _http, stacktrace, exception: _exception, serviceName, ...facts } = (e.extensions ?? {}) as Record<string, unknown>;
    const code = typeof facts.code === 'string' ? facts.code : undefined;
    if (code === undefined || code === 'INTERNAL_SERVER_ERROR') {
      if (e.message !== MASKED) log?.error({ error: e }, 'internal error');
    }
    if (options.production && !isClientCode(code)) {
      return e.path ? { message: MASKED, path: e.path, extensions: { code: 'INTERNAL_SERVER_ERROR' } } : { message: MASKED, extensions: { code: 'INTERNAL_SERVER_ERROR' } };
    }
    const out: GraphQLFormattedError = {
      message: options.production ? e.message.replace(SUGGESTION, '') : e.message,
      ...(e.locations ? { locations: e.locations } : {}),
      ...(e.path ? { path: e.path } : {}),
      extensions: {
        ...facts,
        // Which part of the graph is down is useful to a client; in production other internals are not.
        ...(serviceName !== undefined && (!options.production || code?.startsWith('SUBGRAPH_')) ? { serviceName } : {}),
        ...(stacktrace !== undefined && options.debugErrors && !options.production && !isClientCode(code) ? { stacktrace } : {}),
      },
    };
    return out;
  };
}

/** A refusal before execution: the errors, the HTTP status to answer with, and extra headers. */
export class Refusal {
  /** Response extensions that go with the refusal (a cost report the client asked for). */
  extensions?: Record<string, unknown>;

  constructor(
    readonly errors: GraphQLError[],
    readonly status: number,
    readonly headers: Record<string, string> = {},
  ) {}

  withExtensions(extensions: Record<string, unknown> | undefined): this {
    this.extensions = extensions;
    return this;
  }

  /** A refusal with one error of a registered code; the status comes from the registry. */
  static of(code: string, message: string, facts: Record<string, unknown> = {}, headers: Record<string, string> = {}): Refusal {
    return new Refusal([new GraphQLError(message, { extensions: { code, ...facts } })], statusOf(code), headers);
  }

  /** From a GraphQLError thrown by a stage; its code decides the status. */
  static from(error: GraphQLError): Refusal {
    const code = error.extensions?.code;
    const http = error.extensions?.http as { status?: number } | undefined;
    const retryAfter = error.extensions?.retryAfterSeconds;
    const headers: Record<string, string> = typeof retryAfter === 'number' ? { 'retry-after': String(retryAfter) } : {};
    return new Refusal([error], http?.status ?? statusOf(typeof code === 'string' ? code : 'BAD_REQUEST'), headers);
  }
}
