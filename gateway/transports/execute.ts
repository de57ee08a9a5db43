import type { ApolloServer, BaseContext } from '@apollo/server';
import type { FormattedExecutionResult } from 'graphql';
import type { Admitted } from '../pipeline';

/**
 * Runs an admitted query or mutation on Apollo Server, as the HTTP door does, for the doors that
 * are not HTTP (graphql-ws, SSE): the same plugins (response cache, usage, metrics) and the same
 * error formatter apply. The slot the pipeline gave the operation is released when it is done.
 */
export async function executeAdmitted<TContext extends BaseContext>(
  apollo: ApolloServer<TContext>,
  admitted: Admitted,
  contextValue: TContext,
): Promise<FormattedExecutionResult> {
  try {
    const { persistedQuery: _p, ...extensions } = admitted.extensions ?? {};
    const response = await apollo.executeOperation(
      { query: admitted.source, variables: admitted.variables, operationName: admitted.operationName ?? undefined, extensions },
      { contextValue },
    );
    if (response.body.kind === 'single') return response.body.singleResult as FormattedExecutionResult;
    return response.body.initialResult as FormattedExecutionResult;
  } finally {
    admitted.release();
  }
}
