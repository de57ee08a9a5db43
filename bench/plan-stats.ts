import { operationFromDocument, Supergraph } from '@apollo/federation-internals';
import { QueryPlanner, type PlanNode, type QueryPlan, type SubscriptionNode } from '@apollo/query-planner';
import { parse } from 'graphql';

/** How many subgraph fetches Apollo's planner makes of an operation, in all and by subgraph. */
export interface PlannedFetches {
  total: number;
  bySubgraph: Record<string, number>;
}

function walk(node: PlanNode | SubscriptionNode | undefined, out: PlannedFetches): void {
  if (!node) return;
  switch (node.kind) {
    case 'Fetch':
      out.total += 1;
      out.bySubgraph[node.serviceName] = (out.bySubgraph[node.serviceName] ?? 0) + 1;
      return;
    case 'Flatten':
      return walk(node.node, out);
    case 'Sequence':
    case 'Parallel':
      for (const n of node.nodes) walk(n, out);
      return;
    case 'Condition':
      walk(node.ifClause, out);
      walk(node.elseClause, out);
      return;
    case 'Defer':
      walk(node.primary.node, out);
      for (const d of node.deferred) walk(d.node, out);
      return;
    case 'Subscription':
      walk(node.primary, out);
      walk(node.rest, out);
      return;
  }
}

/**
 * Plans `query` on `supergraphSdl` with `@apollo/query-planner` (the planner every Apollo-based
 * gateway here uses, CityGraph's included) and counts its Fetch nodes. Hive plans on its own, so
 * the benchmark also counts the subgraph requests each gateway really makes (replay server).
 */
export function plannedFetches(supergraphSdl: string, query: string, operationName?: string): PlannedFetches {
  const supergraph = Supergraph.build(supergraphSdl, { supportedFeatures: null });
  const planner = new QueryPlanner(supergraph);
  const plan: QueryPlan = planner.buildQueryPlan(operationFromDocument(supergraph.apiSchema(), parse(query), { operationName }));
  const out: PlannedFetches = { total: 0, bySubgraph: {} };
  walk(plan.node, out);
  return out;
}
