import type { ExecutionResult, FormattedExecutionResult, GraphQLError } from 'graphql';
import type { Logger } from '../../shared/platform/logger';
import type { SecurityOptions } from '../security/options';
import type { RateLimiter } from '../security/rate-limit';
import type { TrustedOperations } from '../security/trusted';
import type { CostObserver } from '../security/cost-policy';
import { createErrorFormatter, Refusal, type ErrorFormatter } from './errors';
import { createAccessLog, type AccessLog } from './access-log';
import { Fairness, type InFlightOptions } from './stages/fairness';
import { DocumentLimits, selectOperation } from './stages/limits';
import { DocumentParser } from './stages/parse';
import { PersistedOperations, type RegisteredOperationSource } from './stages/persisted';
import { Validator } from './stages/validate';
import type { IncomingMessage } from 'node:http';
import { ipClientKey } from '../identity';
import type { Admitted, Door, GraphQLParams, Identity, IdentityResolver } from './types';

export { Refusal } from './errors';
export { AccessRecord, accessOf, trackHttpAccess, type AccessEntry, type AccessLog } from './access-log';
export type { Admitted, Door, GraphQLParams, Identity, IdentityResolver, Transport } from './types';
export type { RegisteredOperationSource } from './stages/persisted';

export interface PipelineOptions {
  security: SecurityOptions;
  inFlight: InFlightOptions;
  /** Keep stack traces of internal errors (`DEBUG_ERRORS=on`, development only). */
  debugErrors: boolean;
  trusted?: TrustedOperations;
  /** Operations app versions registered in the schema registry, served by id on the city doors. */
  registered?: RegisteredOperationSource;
  limiter?: RateLimiter;
  /** The identity stage: who is asking, from a token and the request. */
  identity: IdentityResolver;
  /** Receives every cost estimate (`enforce` and `measure` modes): the gateway's histogram. */
  onCost?: CostObserver;
  logger?: Logger;
  /** Where the doors write one line per finished request (access-log.ts); from `logger` by default. */
  accessLog?: AccessLog;
}

/**
 * The request pipeline every door into the gateway goes through (HTTP POST and GET, graphql-ws,
 * SSE, the admin API), in one order:
 *
 *   size → identity → parse → document limits → trusted operations / APQ → rate limit →
 *   validation (variables too) → execution → one error formatter
 *
 * Size and identity belong to the transport (a WebSocket has them once per message and once per
 * connection); each door calls them, then `admit` runs the rest up to execution, and the door
 * executes what was admitted and formats its answer with `format` / `formatResult`.
 */
export class RequestPipeline {
  /** The one error formatter (also Apollo Server's `formatError`). */
  readonly format: ErrorFormatter;
  /** The access log every door writes to when a request finishes (access-log.ts). */
  readonly accessLog: AccessLog;
  private readonly parser: DocumentParser;
  private readonly limits: DocumentLimits;
  private readonly persisted: PersistedOperations;
  private readonly untrusted: PersistedOperations;
  private readonly validator: Validator;
  private readonly fairness: Fairness;
  private readonly trustVerdicts = new Map<string, boolean>();

  constructor(readonly options: PipelineOptions) {
    const { security } = options;
    this.accessLog = options.accessLog ?? createAccessLog(options.logger);
    this.format = createErrorFormatter({ production: security.production, debugErrors: options.debugErrors && !security.production }, options.logger);
    this.parser = new DocumentParser(security.maxTokens);
    this.limits = new DocumentLimits(security, options.onCost);
    this.persisted = new PersistedOperations({ apq: security.apq, trusted: options.trusted, registered: options.registered });
    // The admin API is not a city app: the trusted list does not apply to it.
    this.untrusted = new PersistedOperations({ apq: false });
    this.validator = new Validator({ introspection: security.introspection });
    this.fairness = new Fairness(options.limiter, options.inFlight);
  }

  /**
   * The identity stage. A bad token is refused (401) and still counted against its IP address,
   * so forged tokens cannot flood the gateway uncounted: past the limit they read RATE_LIMITED.
   */
  async identify(input: { authorization?: string; req: IncomingMessage; requestId?: string }): Promise<Identity | Refusal> {
    try {
      return await this.options.identity.resolve(input);
    } catch (err) {
      if (!isGraphQLError(err)) throw err;
      try {
        await this.fairness.count(ipClientKey(input.req, this.options.security.trustProxyHops));
      } catch (limited) {
        if (isGraphQLError(limited)) return Refusal.from(limited);
        throw limited;
      }
      return Refusal.from(err);
    }
  }

  /** The supergraph changed (its `@cost` / `@listSize` directives). */
  onSupergraph(coreSupergraphSdl: string | undefined): void {
    this.limits.onSupergraph(coreSupergraphSdl);
  }

  /**
   * Parse → document limits → trust / APQ → rate limit → validation: resolves the admitted
   * operation, holding one of the client's execution slots, or the refusal to answer with.
   */
  async admit(params: GraphQLParams, door: Door, identity: Identity, method?: string): Promise<Admitted | Refusal> {
    let release: (() => void) | undefined;
    let cost: number | undefined;
    // A client that asks (`"extensions": { "cost": true }`) is told the estimate, refused or not.
    const costReport = () => (params.extensions?.cost && cost !== undefined ? this.limits.cost.report(cost) : undefined);
    try {
      const schema = door.schema();
      if (!schema) return Refusal.of('SERVICE_UNAVAILABLE', 'The gateway has not loaded its schema yet; try again shortly');
      const persisted = door.trusted ? this.persisted : this.untrusted;
      const resolved = await persisted.source(params);
      const document = this.parser.parse(resolved.source);
      const operation = selectOperation(document, params.operationName);
      const variables = (params.variables ?? {}) as Record<string, unknown>;
      try {
        cost = this.limits.check(schema, document, operation, variables);
      } catch (err) {
        cost = (err as { cost?: number }).cost;
        throw err;
      }
      persisted.checkTrust(resolved, document, operation, this.trustVerdicts);
      await this.fairness.count(identity.clientKey);
      const kind = operation.operation;
      if (kind === 'subscription' && !door.subscriptions) {
        return Refusal.of('BAD_REQUEST', 'Subscriptions run over graphql-ws (ws://…/graphql) or Server-Sent Events (/graphql/stream), not plain HTTP');
      }
      if (method === 'GET' && kind !== 'query' && kind !== 'subscription') {
        return Refusal.of('METHOD_NOT_ALLOWED', `GET requests only run queries; send this ${kind} with POST`, {}, { allow: 'POST' });
      }
      // Subscriptions are long-lived: their own per-client cap applies, not an execution slot.
      release = kind === 'subscription' ? () => {} : await this.fairness.acquire(identity.clientKey);
      const invalid = this.validator.document(schema, document);
      if (invalid.length) {
        release();
        return new Refusal([...invalid], 400);
      }
      const badVariables = this.validator.variables(schema, operation, variables);
      if (badVariables.length) {
        release();
        return new Refusal(badVariables, 400);
      }
      await persisted.keep(resolved);
      return {
        source: resolved.source,
        document,
        operation,
        kind,
        operationName: operation.name?.value ?? null,
        variables,
        extensions: params.extensions ?? undefined,
        costReport: costReport(),
        release,
      };
    } catch (err) {
      release?.();
      if (err instanceof Refusal) return err;
      if (isGraphQLError(err)) return Refusal.from(err).withExtensions(costReport() ? { cost: costReport() } : undefined);
      throw err;
    }
  }

  /** An execution result with its errors through the one formatter. */
  formatResult(result: ExecutionResult | FormattedExecutionResult): FormattedExecutionResult {
    if (!result.errors?.length) return result as FormattedExecutionResult;
    return { ...result, errors: result.errors.map((e) => this.format(e as GraphQLError)) } as FormattedExecutionResult;
  }

  /** A subsequent payload of a deferred operation with each part's errors through the one formatter. */
  formatSubsequent<T extends { incremental?: Array<{ errors?: readonly unknown[] }> }>(payload: T): T {
    if (!payload.incremental?.some((i) => i.errors?.length)) return payload;
    return {
      ...payload,
      incremental: payload.incremental.map((i) => (i.errors?.length ? { ...i, errors: i.errors.map((e) => this.format(e as GraphQLError)) } : i)),
    };
  }

  /** A refusal's answer body. */
  refusalBody(refusal: Refusal): FormattedExecutionResult {
    const body: FormattedExecutionResult = { errors: refusal.errors.map((e) => this.format(e)) };
    return refusal.extensions ? { ...body, extensions: refusal.extensions } : body;
  }

  async close(): Promise<void> {
    await this.fairness.close();
    await this.options.identity.close();
  }
}

function isGraphQLError(err: unknown): err is GraphQLError {
  return Boolean(err && typeof err === 'object' && (err as { name?: string }).name === 'GraphQLError');
}
