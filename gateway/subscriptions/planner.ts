import type { ApolloGateway } from '@apollo/gateway';
import { operationFromDocument, type Schema } from '@apollo/federation-internals';
import type { FetchNode, PlanNode, QueryPlan, QueryPlanner, SubscriptionNode } from '@apollo/query-planner';
import type { DocumentNode, GraphQLSchema } from 'graphql';

/**
 * The parts of Apollo Gateway's state a subscription needs. Apollo's gateway plans subscriptions
 * but refuses to execute them; these fields are set on every supergraph load, and reading them
 * here keeps that reach into the gateway in one place.
 */
interface GatewayInternals {
  queryPlanner?: QueryPlanner;
  apiSchema?: Schema;
  supergraphSchema?: GraphQLSchema;
  schema?: GraphQLSchema;
  serviceMap: Record<string, { dataSource: unknown }>;
}

export function internalsOf(gateway: ApolloGateway): GatewayInternals {
  return gateway as unknown as GatewayInternals;
}

export interface SubscriptionPlan {
  /** The fetch that opens the stream on the subgraph owning the subscription field. */
  primary: FetchNode;
  /** What resolves the other subgraphs' fields for each event, if any. */
  rest?: PlanNode;
  /** A plan that runs `primary` (answered from the event) then `rest`. */
  perEventPlan: QueryPlan;
}

/** Plans a subscription operation against the gateway's current supergraph. */
export function planSubscription(gateway: ApolloGateway, document: DocumentNode, operationName?: string | null): SubscriptionPlan {
  const internals = internalsOf(gateway);
  if (!internals.queryPlanner || !internals.apiSchema) throw new Error('The supergraph is not loaded yet');
  const operation = operationFromDocument(internals.apiSchema, document, { operationName: operationName ?? undefined });
  const plan = internals.queryPlanner.buildQueryPlan(operation);
  const node = plan.node as SubscriptionNode | undefined;
  if (!node || node.kind !== 'Subscription') throw new Error('Not a subscription operation');
  const perEventNode: PlanNode = node.rest ? { kind: 'Sequence', nodes: [node.primary, node.rest] } : node.primary;
  return { primary: node.primary, rest: node.rest, perEventPlan: { kind: 'QueryPlan', node: perEventNode } };
}
