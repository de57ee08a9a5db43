import { createHash } from 'node:crypto';
import type { ApolloGateway } from '@apollo/gateway';
import { QueryPlanner, type QueryPlannerConfig } from '@apollo/query-planner';
import type { DocumentNode, GraphQLSchema } from 'graphql';
import { createLogger } from '../../shared/logger';
import { supergraphFacts, type SupergraphFacts } from './facts';
import { supergraphForPlanning } from './resolvable-keys';
import { restoreResult, rewriteForPlanning, valueCompletionAsErrors } from './rewrite';

/**
 * Where CityGraph corrects stock Apollo Gateway 2.14 (see README, "Federation: where CityGraph
 * differs from stock Apollo Gateway"). Each correction sits where its fault lies:
 *
 * - the query planner keys a `@requires` fetch with a non-resolvable `@key`: the planner plans
 *   over the supergraph with resolvable keys listed first (resolvable-keys.ts);
 * - the planner merges a client's field with the copy a `@requires` needs under other arguments,
 *   and drops a field whose abstract type has no object type: the operation is rewritten before
 *   planning and the result restored after execution (rewrite.ts);
 * - the executor hides completion errors in `extensions.valueCompletion`: moved to `errors`.
 */

type Executor = ApolloGateway['executor'];
type RequestContext = Parameters<Executor>[0];

/** The parts of ApolloGateway's private state the corrections read or replace. */
interface GatewayState {
  queryPlanner?: QueryPlanner;
  schema?: GraphQLSchema;
  config: { queryPlannerConfig?: QueryPlannerConfig };
  executor: Executor;
}

/**
 * Installs the corrections into `gateway`; call it before the gateway is loaded (before
 * `ApolloServer.start()`), since Apollo Server takes the executor at load time.
 */
export function installPlanCorrections(gateway: ApolloGateway): void {
  const state = gateway as unknown as GatewayState;
  const log = createLogger('gateway');
  let planner = state.queryPlanner;
  let facts: SupergraphFacts | undefined;
  // Rewrites are a function of the document and the supergraph: cached per parsed document
  // (Apollo Server reuses the parsed document of a query it has seen), dropped on each load.
  let rewrites = new WeakMap<DocumentNode, DocumentNode | null>();

  // ApolloGateway assigns `this.queryPlanner = new QueryPlanner(supergraph, config)` on every
  // supergraph load (and nowhere else); the accessor swaps in the corrected planner at that moment,
  // so every user of the planner (the executor, subscriptions' planSubscription) gets it.
  Object.defineProperty(gateway, 'queryPlanner', {
    configurable: true,
    enumerable: true,
    get: () => planner,
    set(stock: QueryPlanner | undefined) {
      if (!stock) {
        planner = stock;
        facts = undefined;
        return;
      }
      rewrites = new WeakMap();
      try {
        const supergraph = supergraphForPlanning(stock.supergraph);
        planner = supergraph === stock.supergraph ? stock : new QueryPlanner(supergraph, state.config.queryPlannerConfig);
        facts = supergraphFacts(stock.supergraph);
      } catch (err) {
        // A correction that cannot be prepared must not keep the supergraph from loading: the
        // gateway then plans and executes exactly as stock Apollo Gateway does.
        log.error({ err }, 'plan corrections disabled for this supergraph');
        planner = stock;
        facts = undefined;
      }
    },
  });

  const stockExecutor = state.executor;
  state.executor = async (requestContext: RequestContext) => {
    const rewritten = facts && state.schema ? rewriteFor(requestContext.document, state.schema, facts) : undefined;
    if (!rewritten) return valueCompletionAsErrors(await stockExecutor(requestContext));
    const result = await stockExecutor({
      ...requestContext,
      document: rewritten,
      // The plan cache is keyed by this hash: the rewritten operation's plan must not be served
      // for the client's own text, nor the other way round.
      queryHash: createHash('sha256').update(requestContext.queryHash).update('\0cityGraph-plan-corrections').digest('hex'),
    });
    return valueCompletionAsErrors(restoreResult(result as Parameters<typeof restoreResult>[0])) as typeof result;
  };

  function rewriteFor(document: DocumentNode, schema: GraphQLSchema, current: SupergraphFacts): DocumentNode | undefined {
    let rewritten = rewrites.get(document);
    if (rewritten === undefined) {
      try {
        rewritten = rewriteForPlanning(document, schema, current) ?? null;
      } catch (err) {
        log.error({ err }, 'operation left as the client wrote it: the plan corrections could not rewrite it');
        rewritten = null;
      }
      rewrites.set(document, rewritten);
    }
    return rewritten ?? undefined;
  }
}
