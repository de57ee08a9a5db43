import { createHash } from 'node:crypto';
import type { ApolloGateway } from '@apollo/gateway';
import type { Supergraph } from '@apollo/federation-internals';
import type { QueryPlanner } from '@apollo/query-planner';
import { print, type DocumentNode, type GraphQLSchema } from 'graphql';
import { createLogger } from '../../shared/logger';
import { supergraphFacts, type SupergraphFacts } from './facts';
import { resolvableKeysFirst } from './resolvable-keys';
import { restoreResult, rewriteForPlanning, valueCompletionAsErrors } from './rewrite';

/**
 * Where CityGraph corrects stock Apollo Gateway 2.14 (see README, "Federation: where CityGraph
 * differs from stock Apollo Gateway"). Each correction sits where its fault lies:
 *
 * - the query planner keys a `@requires` fetch with a non-resolvable `@key`: the gateway builds
 *   its supergraph with resolvable keys listed first (resolvable-keys.ts);
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
  executor: Executor;
  createSchemaFromSupergraphSdl(supergraphSdl: string): { supergraph: Supergraph; supergraphSdl: string };
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

  // ApolloGateway builds its Supergraph (and from it the planner, the API schema and the
  // executor's schema) in this method on every load, and nowhere else. It is given the SDL with
  // resolvable keys first, and hands back the original text as the SDL it serves.
  if (typeof state.createSchemaFromSupergraphSdl !== 'function' || typeof state.executor !== 'function') {
    // These are ApolloGateway 2.x internals: another version may have moved them.
    throw new Error('installPlanCorrections: this @apollo/gateway has no createSchemaFromSupergraphSdl or executor');
  }
  const stockCreate = state.createSchemaFromSupergraphSdl.bind(gateway);
  state.createSchemaFromSupergraphSdl = (supergraphSdl: string) => {
    let reordered: string | undefined;
    try {
      reordered = resolvableKeysFirst(supergraphSdl);
    } catch (err) {
      // An SDL this cannot read is left to the stock code, which reports what is wrong with it.
      log.error({ err }, 'supergraph keys left in their order');
    }
    return { supergraph: stockCreate(reordered ?? supergraphSdl).supergraph, supergraphSdl };
  };

  // ApolloGateway assigns `this.queryPlanner = new QueryPlanner(supergraph, config)` on every
  // load, right after the schemas: the facts the operation rewrites need are read at that moment.
  Object.defineProperty(gateway, 'queryPlanner', {
    configurable: true,
    enumerable: true,
    get: () => planner,
    set(next: QueryPlanner | undefined) {
      planner = next;
      rewrites = new WeakMap();
      facts = undefined;
      if (!next) return;
      try {
        facts = supergraphFacts(next.supergraph);
      } catch (err) {
        // The supergraph still loads: its operations then plan and execute as stock ones do.
        log.error({ err }, 'operation rewrites disabled for this supergraph');
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
      queryHash: createHash('sha256')
        .update(requestContext.queryHash ?? print(rewritten))
        .update('\0cityGraph-plan-corrections')
        .digest('hex'),
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
