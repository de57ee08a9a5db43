/**
 * The one registry of `extensions.code` values the graph answers with, for the gateway and the
 * subgraphs alike. `client`: whether a client may see the message and facts in production (every
 * other code is masked as INTERNAL_SERVER_ERROR there). `status`: the HTTP status of a request
 * refused with this code before execution (an error inside an executed operation leaves 200).
 */
export const ERROR_CODES = {
  // What the subgraphs answer about the data.
  BAD_USER_INPUT: { client: true, status: 400 },
  NOT_FOUND: { client: true, status: 404 },
  FORBIDDEN: { client: true, status: 403 },
  UNAUTHENTICATED: { client: true, status: 401 },
  CONFLICT: { client: true, status: 409 },
  SERVICE_UNAVAILABLE: { client: true, status: 503 },
  IDEMPOTENCY_KEY_REUSED: { client: true, status: 409 },
  /** The signed-in or named resident is not in the real-name registry (requests). */
  RESIDENT_NOT_REGISTERED: { client: true, status: 403 },
  /** The resident is registered, but this action needs a real name a desk clerk verified. */
  REAL_NAME_REQUIRED: { client: true, status: 403 },

  // The GraphQL request itself.
  BAD_REQUEST: { client: true, status: 400 },
  GRAPHQL_PARSE_FAILED: { client: true, status: 400 },
  GRAPHQL_VALIDATION_FAILED: { client: true, status: 400 },
  OPERATION_RESOLUTION_FAILURE: { client: true, status: 400 },
  PERSISTED_QUERY_NOT_FOUND: { client: true, status: 200 },
  PERSISTED_QUERY_NOT_SUPPORTED: { client: true, status: 200 },
  METHOD_NOT_ALLOWED: { client: true, status: 405 },
  /** A deferred operation over HTTP from a client whose Accept does not take multipart/mixed. */
  INTROSPECTION_DISABLED: { client: true, status: 400 },

  // The gateway's refusals (document limits, trust, fairness, sizes).
  DEPTH_LIMIT_EXCEEDED: { client: true, status: 400 },
  ALIAS_LIMIT_EXCEEDED: { client: true, status: 400 },
  ROOT_FIELD_LIMIT_EXCEEDED: { client: true, status: 400 },
  TOKEN_LIMIT_EXCEEDED: { client: true, status: 400 },
  COST_LIMIT_EXCEEDED: { client: true, status: 400 },
  BATCHING_NOT_ALLOWED: { client: true, status: 400 },
  BATCH_LIMIT_EXCEEDED: { client: true, status: 400 },
  PERSISTED_QUERY_NOT_ALLOWED: { client: true, status: 400 },
  OPERATION_NOT_TRUSTED: { client: true, status: 400 },
  RATE_LIMITED: { client: true, status: 429 },
  PAYLOAD_TOO_LARGE: { client: true, status: 413 },
  CSRF_REFUSED: { client: true, status: 400 },

  // Subscriptions.
  SUBSCRIPTION_LIMIT_EXCEEDED: { client: true, status: 429 },
  SUBSCRIPTION_SCHEMA_CHANGED: { client: true, status: 200 },
  SLOW_CONSUMER: { client: true, status: 200 },

  // A subgraph as the gateway saw it: clients may know a part of the graph is down.
  SUBGRAPH_UNAVAILABLE: { client: true, status: 200 },
  SUBGRAPH_TIMEOUT: { client: true, status: 200 },
  SUBGRAPH_REQUEST_REFUSED: { client: true, status: 200 },

  // Everything else, and masked errors.
  INTERNAL_SERVER_ERROR: { client: false, status: 500 },
  DOWNSTREAM_SERVICE_ERROR: { client: false, status: 200 },
} as const satisfies Record<string, { client: boolean; status: number }>;

export type ErrorCode = keyof typeof ERROR_CODES;

/** Whether `code` is in the registry and its message may reach clients in production. */
export function isClientCode(code: unknown): code is ErrorCode {
  return typeof code === 'string' && Object.prototype.hasOwnProperty.call(ERROR_CODES, code) && ERROR_CODES[code as ErrorCode].client;
}

/** The HTTP status of a request refused before execution with `code` (400 for unknown codes). */
export function statusOf(code: string): number {
  return Object.prototype.hasOwnProperty.call(ERROR_CODES, code) ? ERROR_CODES[code as ErrorCode].status : 400;
}
