import { GraphQLError } from 'graphql';

/** The `extensions.code` values the security layer answers with. */
export type SecurityErrorCode =
  | 'DEPTH_LIMIT_EXCEEDED'
  | 'ALIAS_LIMIT_EXCEEDED'
  | 'ROOT_FIELD_LIMIT_EXCEEDED'
  | 'TOKEN_LIMIT_EXCEEDED'
  | 'COST_LIMIT_EXCEEDED'
  | 'BATCHING_NOT_ALLOWED'
  | 'BATCH_LIMIT_EXCEEDED'
  | 'RATE_LIMITED'
  | 'PAYLOAD_TOO_LARGE'
  | 'PERSISTED_QUERY_NOT_ALLOWED'
  | 'OPERATION_NOT_TRUSTED'
  | 'INTROSPECTION_DISABLED';

/** A refusal: a GraphQL error with its code, the facts that help the client, and an HTTP status. */
export function securityError(
  code: SecurityErrorCode,
  message: string,
  facts: Record<string, unknown> = {},
  status = 400,
): GraphQLError {
  return new GraphQLError(message, { extensions: { code, ...facts, http: { status } } });
}

/** The same refusal as a response body, for answers given before Apollo Server sees the request. */
export function errorBody(code: SecurityErrorCode, message: string, facts: Record<string, unknown> = {}) {
  return { errors: [{ message, extensions: { code, ...facts } }] };
}
