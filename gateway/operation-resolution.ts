import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import { GraphQLError } from 'graphql';

/**
 * A document with several operations and no (or an unknown) `operationName` names no operation to
 * run (GraphQL spec, GetOperation). Apollo Server leaves that to the executor, and with a gateway
 * the gateway's own error code (`INVALID_GRAPHQL`) overrides Apollo's documented
 * `OPERATION_RESOLUTION_FAILURE`; this answers with the documented code, before any planning.
 */
export function operationResolutionPlugin<TContext extends BaseContext>(): ApolloServerPlugin<TContext> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation(ctx) {
          if (ctx.operation) return;
          const name = ctx.request.operationName;
          throw new GraphQLError(name ? `Unknown operation named "${name}".` : 'Must provide operation name if query contains multiple operations.', {
            extensions: { code: 'OPERATION_RESOLUTION_FAILURE', http: { status: 400 } },
          });
        },
      };
    },
  };
}
