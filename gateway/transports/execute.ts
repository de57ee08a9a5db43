import type { ApolloServer } from '@apollo/server';
import type { ExecutionResult, FormattedExecutionResult } from 'graphql';
import type { GatewayContext } from '../auth';
import type { Admitted, Door, Identity, RequestPipeline } from '../pipeline';
import type { SubscriptionHub } from '../subscriptions/hub';
import type { RequestSharing } from '../perf/request-sharing';
import { deferUse, payloadsOf, type DeferredExecutor, type SubsequentPayload } from './incremental';

/** What a door that carries subscriptions (graphql-ws, SSE) needs. */
export interface StreamingDoorOptions {
  pipeline: RequestPipeline;
  door: Door;
  apollo: ApolloServer<GatewayContext>;
  hub: SubscriptionHub;
  /** The largest message or request body (`BODY_LIMIT_BYTES`, as for GraphQL over HTTP). */
  bodyLimitBytes: number;
  context: (identity: Identity) => GatewayContext;
  /** Inbound in-flight request sharing (`REQUEST_SHARING`); undefined when off. */
  sharing?: RequestSharing;
  /** The executor's direct path for `@defer` (each part its own `next`); undefined: Apollo Server, parts inline. */
  deferred?: DeferredExecutor;
}

/** Opens an admitted subscription on the hub (shared upstream, per-client cap, bounded queue). */
export function subscribeAdmitted(
  options: StreamingDoorOptions,
  admitted: Admitted,
  identity: Identity,
): AsyncIterableIterator<ExecutionResult> | ExecutionResult {
  return options.hub.subscribe({
    document: admitted.document,
    operationName: admitted.operationName,
    variables: admitted.variables,
    context: options.context(identity),
    clientKey: identity.clientKey,
  });
}

/**
 * Runs an admitted query or mutation on Apollo Server, as the HTTP door does, for the doors that
 * are not HTTP (graphql-ws, SSE): the same plugins (response cache, usage, metrics) and the same
 * error formatter apply. The slot the pipeline gave the operation is released when it is done.
 */
export async function executeAdmitted(
  options: Pick<StreamingDoorOptions, 'apollo' | 'context' | 'sharing' | 'deferred' | 'pipeline'>,
  admitted: Admitted,
  identity: Identity,
): Promise<FormattedExecutionResult | AsyncIterableIterator<FormattedExecutionResult | SubsequentPayload>> {
  if (options.deferred && deferUse(admitted.document) !== 'none') return executeDeferred(options, admitted, identity);
  try {
    const run = async () => {
      const { persistedQuery: _p, ...extensions } = admitted.extensions ?? {};
      const response = await options.apollo.executeOperation(
        { query: admitted.source, variables: admitted.variables, operationName: admitted.operationName ?? undefined, extensions },
        { contextValue: options.context(identity) },
      );
      return (response.body.kind === 'single' ? response.body.singleResult : response.body.initialResult) as FormattedExecutionResult;
    };
    // graphql-ws and SSE answer with the same result object: they may share one execution.
    const result = options.sharing ? await options.sharing.execute(admitted, identity, 'operation', run) : await run();
    return admitted.costReport ? { ...result, extensions: { ...result.extensions, cost: admitted.costReport } } : result;
  } finally {
    admitted.release();
  }
}

/**
 * A deferred operation for graphql-ws and SSE: the initial result, then each subsequent payload
 * as its own `next` (errors through the one formatter). The slot is released when the last part
 * is out, or when the client stops the operation, even before the first part was pulled.
 */
async function executeDeferred(
  options: Pick<StreamingDoorOptions, 'context' | 'deferred' | 'pipeline'>,
  admitted: Admitted,
  identity: Identity,
): Promise<AsyncIterableIterator<FormattedExecutionResult | SubsequentPayload>> {
  let payloads: AsyncGenerator<FormattedExecutionResult | SubsequentPayload>;
  try {
    payloads = payloadsOf(await options.deferred!(admitted, options.context(identity)));
  } catch (err) {
    admitted.release();
    throw err;
  }
  let first = true;
  const done = <T>(value: T) => {
    admitted.release();
    return value;
  };
  const iterator: AsyncIterableIterator<FormattedExecutionResult | SubsequentPayload> = {
    async next() {
      try {
        const next = await payloads.next();
        if (next.done) return done(next);
        let value = next.value;
        if ('incremental' in value) value = options.pipeline.formatSubsequent(value as SubsequentPayload);
        else if (first) {
          const result = options.pipeline.formatResult(value as FormattedExecutionResult);
          value = admitted.costReport ? { ...result, extensions: { ...result.extensions, cost: admitted.costReport } } : result;
        }
        first = false;
        return { done: false, value };
      } catch (err) {
        admitted.release();
        throw err;
      }
    },
    async return() {
      admitted.release();
      return payloads.return(undefined);
    },
    async throw(err: unknown) {
      admitted.release();
      return payloads.throw(err);
    },
    [Symbol.asyncIterator]() {
      return iterator;
    },
  };
  return iterator;
}
