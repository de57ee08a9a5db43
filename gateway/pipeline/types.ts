import type { CostReport } from '../security/cost-policy';
import type { DocumentNode, GraphQLSchema, OperationDefinitionNode, OperationTypeNode } from 'graphql';

/** The doors into the gateway. */
export type Transport = 'http' | 'ws' | 'sse' | 'admin' | 'open311';

/** A GraphQL request as every transport carries it (GraphQL over HTTP, graphql-ws, graphql-sse). */
export interface GraphQLParams {
  query?: string | null;
  operationName?: string | null;
  variables?: Record<string, unknown> | null;
  extensions?: Record<string, unknown> | null;
}

export type { Identity, IdentityResolver } from '../identity';

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
  /** The cost estimate for a client that asked for it (`"extensions": { "cost": true }`). */
  costReport?: CostReport;
  /** Gives the client's execution slot back; call once the answer is sent (idempotent). */
  release(): void;
}
