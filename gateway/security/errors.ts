import { GraphQLError } from 'graphql';
import type { ErrorCode } from '../../shared/platform/error-codes';

/** A refusal: a GraphQL error with its code, the facts that help the client, and an HTTP status. */
export function securityError(
  code: ErrorCode,
  message: string,
  facts: Record<string, unknown> = {},
  status = 400,
): GraphQLError {
  return new GraphQLError(message, { extensions: { code, ...facts, http: { status } } });
}
