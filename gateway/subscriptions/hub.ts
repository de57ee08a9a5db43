import { buildOperationContext, executeQueryPlan, type ApolloGateway } from '@apollo/gateway';
import type { GraphQLDataSource } from '@apollo/gateway/dist/datasources/types';
import { GraphQLError, print, validate, type DocumentNode, type ExecutionResult, type GraphQLSchema } from 'graphql';
import { VIEWER_HEADER, type Viewer } from '../../shared/platform/auth';
import type { GatewayContext } from '../auth';
import { Channel } from './channel';
import { internalsOf, planSubscription, type SubscriptionPlan } from './planner';
import type { UpstreamConnections } from './upstream';
import type { CityGraphExecutor } from '../executor';

export interface SubscriptionLimits {
  /** Open subscriptions one client (token subject, else IP) may hold. */
  maxPerClient: number;
  /** Open subscriptions the gateway holds in total. */
  maxTotal: number;
  /** Events one subscriber may leave unread before it is ended with SLOW_CONSUMER. */
  maxQueue: number;
}

export interface HubOptions {
  /** CityGraph's executor runs each event's plan; undefined: Apollo's executeQueryPlan. */
  executor?: CityGraphExecutor;
  limits: SubscriptionLimits;
  /** The URL a subgraph is reached at (after overrides). */
  subgraphUrl: (serviceName: string) => string;
  /** Signs the viewer for subgraphs; undefined when the city layer is off. */
  signViewer?: (viewer: Viewer) => string;
  /**
   * Called for every event a subgraph sends on an upstream subscription: its data has changed
   * (the response cache empties, so answers never lag behind the live stream).
   */
  onUpstreamEvent?: () => void;
}

export interface SubscribeArgs {
  document: DocumentNode;
  operationName?: string | null;
  variables: Record<string, unknown>;
  context: GatewayContext;
  clientKey: string;
}

function limitError(message: string, extensions: Record<string, unknown>): ExecutionResult {
  return { errors: [new GraphQLError(message, { extensions: { code: 'SUBSCRIPTION_LIMIT_EXCEEDED', ...extensions } })] };
}

function slowConsumer(maxQueue: number): ExecutionResult {
  return {
    errors: [
      new GraphQLError(`Subscription ended: the client left ${maxQueue} events unread. Read faster, or subscribe again.`, {
        extensions: { code: 'SLOW_CONSUMER', limit: maxQueue },
      }),
    ],
  };
}

function stableStringify(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map(stableStringify).join(',')}]`;
  const obj = value as Record<string, unknown>;
  return `{${Object.keys(obj).sort().map((k) => `${JSON.stringify(k)}:${stableStringify(obj[k])}`).join(',')}}`;
}

/** The authorisation that applies to a subscription: who the subgraphs will see. */
export function identityKey(viewer: Viewer): string {
  return [viewer.role, viewer.subject ?? '', viewer.departmentId ?? '', viewer.streetCode ?? '', viewer.communityCode ?? ''].join(':');
}

type Subscriber = Channel<ExecutionResult> & { clientKey: string };

/**
 * One upstream subscription shared by every client that sent the same operation, variables and
 * identity. Each event from the owning subgraph runs the rest of the query plan once (entity
 * fetches batched by the planner) and the one result goes to every subscriber.
 */
class SharedStream {
  readonly subscribers = new Set<Subscriber>();
  private plan: SubscriptionPlan;
  private operationContext: ReturnType<typeof buildOperationContext>;
  private upstream?: { dispose: () => void; release: () => void };
  private queue: Promise<void> = Promise.resolve();
  private signed?: { token: string; at: number };
  private closed = false;

  constructor(
    private readonly hub: SubscriptionHub,
    readonly key: string,
    readonly args: SubscribeArgs,
    private readonly gateway: ApolloGateway,
    private readonly options: HubOptions,
    private readonly upstreams: UpstreamConnections,
  ) {
    this.plan = planSubscription(gateway, args.document, args.operationName);
    this.operationContext = this.buildContext();
  }

  private buildContext() {
    return buildOperationContext({
      schema: internalsOf(this.gateway).schema!,
      operationDocument: this.args.document,
      operationName: this.args.operationName ?? undefined,
    });
  }

  /** A fresh signed viewer for subgraph calls; re-signed well before the 5-minute expiry. */
  private viewerToken(): string | undefined {
    if (!this.options.signViewer) return undefined;
    const now = Date.now();
    if (!this.signed || now - this.signed.at > 120_000) {
      this.signed = { token: this.options.signViewer(this.args.context.viewer), at: now };
    }
    return this.signed.token;
  }

  open(): void {
    const { primary } = this.plan;
    const variables: Record<string, unknown> = {};
    for (const name of primary.variableUsages ?? []) variables[name] = this.args.variables[name];
    const { client, release } = this.upstreams.acquire(
      this.options.subgraphUrl(primary.serviceName),
      identityKey(this.args.context.viewer),
      () => {
        const token = this.viewerToken();
        return token ? { [VIEWER_HEADER]: token } : {};
      },
    );
    const dispose = client.subscribe<Record<string, unknown>>(
      { query: primary.operation, operationName: primary.operationName, variables },
      {
        next: (payload) => {
          this.options.onUpstreamEvent?.();
          this.queue = this.queue.then(() => this.handle(payload as ExecutionResult));
        },
        error: (err) => {
          this.queue = this.queue.then(() => this.fail(err));
        },
        complete: () => {
          this.queue = this.queue.then(() => this.close());
        },
      },
    );
    this.upstream = { dispose, release };
  }

  private async handle(payload: ExecutionResult): Promise<void> {
    if (this.closed) return;
    const result = await this.execute(payload);
    for (const s of this.subscribers) s.push(result);
  }

  /** Runs the per-event plan: the primary fetch is answered by the event, the rest goes to the subgraphs. */
  private async execute(payload: ExecutionResult): Promise<ExecutionResult> {
    if (this.options.executor) {
      const context: GatewayContext = { ...this.args.context, viewerToken: this.viewerToken() };
      try {
        return (await this.options.executor.executeEvent(this.plan.perEventPlan, this.plan.primary, payload as never, {
          document: this.args.document,
          operationName: this.args.operationName,
          variables: this.args.variables,
          context,
        })) as ExecutionResult;
      } catch (err) {
        return { errors: [new GraphQLError(`Could not complete this event: ${(err as Error).message}`, { extensions: { code: 'INTERNAL_SERVER_ERROR' } })] };
      }
    }
    const internals = internalsOf(this.gateway);
    const { primary, perEventPlan } = this.plan;
    const serviceMap: Record<string, GraphQLDataSource> = Object.create(null);
    for (const [name, { dataSource }] of Object.entries(internals.serviceMap)) serviceMap[name] = dataSource as GraphQLDataSource;
    const real = serviceMap[primary.serviceName];
    serviceMap[primary.serviceName] = {
      process: (options) =>
        options.request.query === primary.operation ? Promise.resolve(payload as never) : real.process(options),
    };
    const context: GatewayContext = { ...this.args.context, viewerToken: this.viewerToken() };
    const requestContext = {
      request: { variables: this.args.variables, operationName: this.args.operationName ?? undefined },
      context,
      logger: console,
      metrics: {},
    };
    try {
      const result = await executeQueryPlan(
        perEventPlan,
        serviceMap,
        requestContext as never,
        this.operationContext,
        internals.supergraphSchema!,
        internals.apiSchema!,
      );
      return result as ExecutionResult;
    } catch (err) {
      return { errors: [new GraphQLError(`Could not complete this event: ${(err as Error).message}`, { extensions: { code: 'INTERNAL_SERVER_ERROR' } })] };
    }
  }

  private fail(err: unknown): void {
    if (Array.isArray(err)) {
      // The subgraph refused the operation itself (graphql-ws `error` message): pass its errors on.
      const refused: ExecutionResult = { errors: err as GraphQLError[] };
      for (const s of this.subscribers) s.push(refused);
      this.close();
      return;
    }
    const reason =
      err && typeof err === 'object' && 'code' in err
        ? `the ${this.plan.primary.serviceName} service closed the stream (${(err as { code: number }).code})`
        : `the ${this.plan.primary.serviceName} service is unreachable`;
    const message: ExecutionResult = {
      errors: [new GraphQLError(`Subscription ended: ${reason}. Subscribe again shortly.`, { extensions: { code: 'SUBGRAPH_UNAVAILABLE', serviceName: this.plan.primary.serviceName } })],
    };
    for (const s of this.subscribers) s.push(message);
    this.close();
  }

  /** Re-plans against a new supergraph; ends the stream with a clear message when it no longer validates. */
  onSchemaChange(schema: GraphQLSchema): void {
    const errors = validate(schema, this.args.document);
    if (errors.length) {
      const message: ExecutionResult = {
        errors: [
          new GraphQLError(`The graph's schema changed and this subscription is no longer valid: ${errors[0].message}`, {
            extensions: { code: 'SUBSCRIPTION_SCHEMA_CHANGED' },
          }),
        ],
      };
      for (const s of this.subscribers) s.push(message);
      this.close();
      return;
    }
    const next = planSubscription(this.gateway, this.args.document, this.args.operationName);
    const sameUpstream = next.primary.serviceName === this.plan.primary.serviceName && next.primary.operation === this.plan.primary.operation;
    this.plan = next;
    this.operationContext = this.buildContext();
    if (!sameUpstream) {
      this.upstream?.dispose();
      this.upstream?.release();
      this.open();
    }
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.upstream?.dispose();
    this.upstream?.release();
    this.hub.forget(this);
    for (const s of [...this.subscribers]) s.end();
  }
}

/** Executes federated subscriptions: plans, shares upstreams, fans results out, enforces limits. */
export class SubscriptionHub {
  private readonly streams = new Map<string, SharedStream>();
  private readonly perClient = new Map<string, number>();
  private total = 0;

  constructor(
    private readonly gateway: ApolloGateway,
    private readonly upstreams: UpstreamConnections,
    private readonly options: HubOptions,
  ) {
    gateway.onSchemaLoadOrUpdate(({ apiSchema }) => {
      for (const stream of [...this.streams.values()]) stream.onSchemaChange(apiSchema);
    });
  }

  subscribe(args: SubscribeArgs): AsyncIterableIterator<ExecutionResult> | ExecutionResult {
    const { maxPerClient, maxTotal } = this.options.limits;
    const held = this.perClient.get(args.clientKey) ?? 0;
    if (held >= maxPerClient) return limitError(`This client already holds ${held} subscriptions (at most ${maxPerClient})`, { limit: maxPerClient });
    if (this.total >= maxTotal) return limitError(`The gateway holds its maximum of ${maxTotal} subscriptions; try again later`, { limit: maxTotal });

    const key = [print(args.document), args.operationName ?? '', stableStringify(args.variables), identityKey(args.context.viewer)].join('\u0000');
    let stream = this.streams.get(key);
    if (!stream) {
      try {
        stream = new SharedStream(this, key, args, this.gateway, this.options, this.upstreams);
      } catch (err) {
        return { errors: [new GraphQLError((err as Error).message, { extensions: { code: 'BAD_REQUEST' } })] };
      }
      this.streams.set(key, stream);
      stream.open();
    }
    const shared = stream;
    this.total += 1;
    this.perClient.set(args.clientKey, held + 1);
    const subscriber = new Channel<ExecutionResult>(() => {
      this.total -= 1;
      const n = (this.perClient.get(args.clientKey) ?? 1) - 1;
      if (n <= 0) this.perClient.delete(args.clientKey);
      else this.perClient.set(args.clientKey, n);
      shared.subscribers.delete(subscriber);
      if (shared.subscribers.size === 0) shared.close();
    }, { maxQueue: this.options.limits.maxQueue, overflow: () => slowConsumer(this.options.limits.maxQueue) }) as Subscriber;
    subscriber.clientKey = args.clientKey;
    shared.subscribers.add(subscriber);
    return subscriber;
  }

  forget(stream: SharedStream): void {
    if (this.streams.get(stream.key) === stream) this.streams.delete(stream.key);
  }

  /** Open client subscriptions and shared upstream streams. */
  stats(): { subscriptions: number; streams: number; upstreamSockets: number } {
    return { subscriptions: this.total, streams: this.streams.size, upstreamSockets: this.upstreams.size };
  }

  async close(): Promise<void> {
    for (const stream of [...this.streams.values()]) stream.close();
    await this.upstreams.close();
  }
}
