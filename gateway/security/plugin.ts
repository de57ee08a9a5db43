import type { ApolloServerPlugin, BaseContext, GraphQLRequestContext } from '@apollo/server';
import type { DocumentNode, GraphQLError, GraphQLFormattedError, OperationDefinitionNode } from 'graphql';
import { isTokenLimitMessage, measureOperation, shapeError } from './analysis';
import { CostPolicy, type CostObserver } from './cost-policy';
import { securityError } from './errors';
import type { SecurityOptions } from './options';
import type { TrustedOperations } from './trusted';

/** What the plugin found out about one operation of one document (cached per parsed document). */
interface Verdict {
  error?: GraphQLError;
}

/** The refusals of this layer: never carry a stack trace, even in development (they are not failures). */
const REFUSAL_CODES = new Set([
  'DEPTH_LIMIT_EXCEEDED',
  'ALIAS_LIMIT_EXCEEDED',
  'ROOT_FIELD_LIMIT_EXCEEDED',
  'TOKEN_LIMIT_EXCEEDED',
  'COST_LIMIT_EXCEEDED',
  'PERSISTED_QUERY_NOT_ALLOWED',
  'OPERATION_NOT_TRUSTED',
]);

/** Codes whose messages are meant for clients; in production anything else reads INTERNAL_SERVER_ERROR. */
export const CLIENT_ERROR_CODES = new Set([
  'BAD_USER_INPUT',
  'NOT_FOUND',
  'FORBIDDEN',
  'UNAUTHENTICATED',
  'CONFLICT',
  'SERVICE_UNAVAILABLE',
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_REQUEST',
  'OPERATION_RESOLUTION_FAILURE',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
  'DEPTH_LIMIT_EXCEEDED',
  'ALIAS_LIMIT_EXCEEDED',
  'ROOT_FIELD_LIMIT_EXCEEDED',
  'TOKEN_LIMIT_EXCEEDED',
  'COST_LIMIT_EXCEEDED',
  'BATCHING_NOT_ALLOWED',
  'BATCH_LIMIT_EXCEEDED',
  'RATE_LIMITED',
  'PAYLOAD_TOO_LARGE',
  'PERSISTED_QUERY_NOT_ALLOWED',
  'OPERATION_NOT_TRUSTED',
  'INTROSPECTION_DISABLED',
]);

const INTROSPECTION_MESSAGE = /introspection is not allowed/i;

/** Rewrites formatted errors: clear codes for Apollo's own refusals, and masking in production. */
export function rewriteErrors(
  errors: readonly GraphQLFormattedError[],
  options: Pick<SecurityOptions, 'production' | 'maxTokens'>,
): GraphQLFormattedError[] {
  return errors.map((e) => {
    const code = e.extensions?.code;
    if (code === 'GRAPHQL_PARSE_FAILED' && isTokenLimitMessage(e.message)) {
      return {
        message: `The document has more than ${options.maxTokens} tokens; the limit is ${options.maxTokens}`,
        extensions: { code: 'TOKEN_LIMIT_EXCEEDED', limit: options.maxTokens },
      };
    }
    if (code === 'GRAPHQL_VALIDATION_FAILED' && INTROSPECTION_MESSAGE.test(e.message)) {
      return { message: 'Introspection is disabled on this gateway', locations: e.locations, extensions: { code: 'INTROSPECTION_DISABLED' } };
    }
    if (typeof code === 'string' && REFUSAL_CODES.has(code) && e.extensions && 'stacktrace' in e.extensions) {
      const { stacktrace: _s, ...rest } = e.extensions;
      return { ...e, extensions: rest };
    }
    if (!options.production) return e;
    if (typeof code !== 'string' || !CLIENT_ERROR_CODES.has(code)) {
      return { message: 'Internal server error', path: e.path, extensions: { code: 'INTERNAL_SERVER_ERROR' } };
    }
    if (e.extensions && ('stacktrace' in e.extensions || 'exception' in e.extensions || 'serviceName' in e.extensions)) {
      const { stacktrace: _s, exception: _e, serviceName: _n, ...rest } = e.extensions;
      return { ...e, extensions: rest };
    }
    return e;
  });
}

export interface SecurityPluginDeps {
  trusted?: TrustedOperations;
  /** Receives every cost estimate (in `enforce` and `measure` modes). */
  onCost?: CostObserver;
}

/**
 * The document checks, trusted operations and error rewriting, as one Apollo Server plugin.
 * Checks run in `didResolveOperation` on the document Apollo Server already parsed (and cached in
 * its document store), and their verdict is cached per document, so a repeated operation costs a
 * WeakMap lookup. Limits first, then trust; cost last (it may depend on variables).
 */
export function securityPlugin<TContext extends BaseContext>(
  options: SecurityOptions,
  deps: SecurityPluginDeps = {},
): ApolloServerPlugin<TContext> {
  const cost = new CostPolicy(options, deps.onCost);
  const verdicts = new WeakMap<DocumentNode, Map<string, Verdict>>();
  const limits = { maxDepth: options.maxDepth, maxAliases: options.maxAliases, maxRootFields: options.maxRootFields, maxCost: options.maxCost };

  const verdictOf = (document: DocumentNode, operation: OperationDefinitionNode): Verdict => {
    let perDoc = verdicts.get(document);
    if (!perDoc) {
      perDoc = new Map();
      verdicts.set(document, perDoc);
    }
    const key = operation.name?.value ?? '';
    let verdict = perDoc.get(key);
    if (!verdict) {
      verdict = { error: shapeError(measureOperation(document, operation), limits) };
      perDoc.set(key, verdict);
    }
    return verdict;
  };

  // Trust is decided per source hash (a Map, bounded), since it needs the source's hash or a print.
  const trustByHash = new Map<string, boolean>();
  const trusts = (ctx: GraphQLRequestContext<TContext>, document: DocumentNode, operation: OperationDefinitionNode): boolean => {
    const trusted = deps.trusted!;
    const key = `${ctx.queryHash ?? ''}:${operation.name?.value ?? ''}`;
    let ok = trustByHash.get(key);
    if (ok === undefined) {
      ok = trusted.trusts(ctx.queryHash, document, operation);
      if (trustByHash.size > 10_000) trustByHash.clear();
      trustByHash.set(key, ok);
    }
    return ok;
  };

  return {
    async serverWillStart() {
      return {
        schemaDidLoadOrUpdate({ coreSupergraphSdl }) {
          cost.schemaDidLoad(coreSupergraphSdl);
        },
      };
    },

    async requestDidStart() {
      return {
        async didResolveOperation(ctx) {
          const { document, operation, schema } = ctx;
          if (!operation) return;
          if (options.trustedOperations && !trusts(ctx, document, operation)) {
            if (ctx.request.extensions?.persistedQuery) {
              throw securityError(
                'PERSISTED_QUERY_NOT_ALLOWED',
                'Only the operations of the trusted list can be persisted or run on this gateway',
              );
            }
            throw securityError('OPERATION_NOT_TRUSTED', 'This operation is not in the trusted list of this gateway', {
              operationName: operation.name?.value ?? null,
            });
          }
          const verdict = verdictOf(document, operation);
          if (verdict.error) throw verdict.error;
          cost.check({ schema, document, operation, request: ctx.request });
        },

        async willSendResponse(ctx) {
          cost.report(ctx.request, ctx.response);
          const body = ctx.response.body;
          if (body.kind !== 'single' || !body.singleResult.errors?.length) return;
          body.singleResult = { ...body.singleResult, errors: rewriteErrors(body.singleResult.errors, options) };
        },
      };
    },
  };
}
