import type { IncomingMessage } from 'node:http';
import type { DocumentNode, GraphQLSchema, OperationDefinitionNode, OperationTypeNode } from 'graphql';
import type { Viewer } from '../../shared/auth';

/** The doors into the gateway. */
export type Transport = 'http' | 'ws' | 'sse' | 'admin';

/** A GraphQL request as every transport carries it (GraphQL over HTTP, graphql-ws, graphql-sse). */
export interface GraphQLParams {
  query?: string | null;
  operationName?: string | null;
  variables?: Record<string, unknown> | null;
  extensions?: Record<string, unknown> | null;
}

/** Who is asking, the same for every transport. */
export interface Identity {
  viewer: Viewer;
  /** The viewer signed for the subgraphs; undefined when the city layer is off. */
  viewerToken?: string;
  /** Who counts against per-client limits: `sub:<role>:<subject>` of a verified token, else `ip:<address>`. */
  clientKey: string;
  requestId: string;
}

/** Resolves the identity of a request (the pipeline's identity stage). */
export interface IdentityResolver {
  /**
   * `authorization`: the Authorization header value, or a graphql-ws `connection_init`'s;
   * `req`: the HTTP request (the upgrade request for WebSockets). Throws UNAUTHENTICATED (401)
   * for a bad token: a person who sent one expects to act as themselves, not as anonymous.
   */
  resolve(input: { authorization?: string; req: IncomingMessage; requestId?: string }): Promise<Identity>;
  close(): Promise<void>;
}

/** One door's view of the pipeline. */
export interface Door {
  transport: Transport;
  /** The schema requests through this door are validated against (undefined until loaded). */
  schema(): GraphQLSchema | undefined;
  /** Whether the trusted-operations list applies (the city apps' doors; not the admin API). */
  trusted: boolean;
  /** Whether subscriptions can run through this door (graphql-ws and SSE). */
  subscriptions: boolean;
}

/** An operation every stage before execution has let through. */
export interface Admitted {
  source: string;
  document: DocumentNode;
  operation: OperationDefinitionNode;
  kind: OperationTypeNode;
  operationName: string | null;
  variables: Record<string, unknown>;
  extensions?: Record<string, unknown>;
  /** Gives the client's execution slot back; call once the answer is sent (idempotent). */
  release(): void;
}
