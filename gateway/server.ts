import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { ApolloGateway } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import type { GraphQLSchema } from 'graphql';
import { listen, pathOf, sendJson } from '../shared/platform/http';
import { createLogger } from '../shared/platform/logger';
import { Metrics } from '../shared/platform/metrics';
import { signViewer } from '../shared/platform/auth';
import type { GatewayContext } from './auth';
import type { GatewayOptions, SupergraphSource } from './config';
import { createSubgraphFetcher, SubgraphDataSource } from './datasources/subgraph-datasource';
import { CacheInvalidationBus } from './perf/invalidation';
import { ResponseCache } from './perf/response-cache';
import { dedupeFetcher } from './perf/dedupe';
import { RequestSharing } from './perf/request-sharing';
import { serveDashboard } from './dashboard/serve';
import { createIde, wantsIde } from './ide/serve';
import { serveAdminListPages, serveAdminPage } from './admin-page/serve';
import { ReadinessProbe } from './health';
import { createMetricsEndpoint, gatewayRouteLabel } from './metrics-endpoint';
import { applyConnectionLimits } from './limits/connections';
import { openSchemaRegistry, type SchemaRegistry } from './registry';
import { createSecurityState, type TrustedOperations } from './security';
import { RequestPipeline, type Door, type Identity } from './pipeline';
import { createIdentityResolver } from './identity';
import { createHttpDoor } from './transports/http';
import { attachWebSocketDoor } from './transports/ws';
import { createSseDoor } from './transports/sse';
import type { DeferredExecutor } from './transports/incremental';
import { createAdminDoor } from './transports/admin';
import { FileSupergraphManager } from './supergraph/file-manager';
import { createPubSub } from '../shared/platform/pubsub';
import { SubscriptionHub } from './subscriptions/hub';
import { internalsOf } from './subscriptions/planner';
import { installPlanCorrections } from './plan';
import { UpstreamConnections } from './subscriptions/upstream';
import { composeFromConfig } from './supergraph/compose';
import { demoteSubgraphEnforcedFeatures } from './supergraph/security-features';
import { resolveSubgraphUrl, subgraphEndpoints, type SubgraphEndpoint } from './supergraph/routing';
import { CityGraphExecutor, SubgraphClients } from './executor';
import { createOpen311Door, OPEN311_PREFIX } from './open311';

export interface GatewayServer {
  gateway: ApolloGateway;
  apollo: ApolloServer<GatewayContext>;
  httpServer: Server;
  /** The subgraphs of the supergraph being served, with the URLs actually used. */
  endpoints(): SubgraphEndpoint[] | undefined;
  /** The API schema clients see (the supergraph minus federation internals). */
  apiSchema(): GraphQLSchema | undefined;
  /** The schema registry, when configured. */
  registry?: SchemaRegistry;
  /** Federated subscriptions: open client subscriptions and shared upstream streams. */
  subscriptions: SubscriptionHub;
  /** The trusted operations, when `TRUSTED_OPERATIONS=on`. */
  trustedOperations?: TrustedOperations;
  /** The response cache, unless `RESPONSE_CACHE=off`. */
  responseCache?: ResponseCache;
  metrics: Metrics;
  /**
   * CityGraph's query plan executor (`GATEWAY_EXECUTOR=citygraph`, the default); undefined with
   * Apollo's. Its `execute` is the doors' direct path for operations with `@defer`.
   */
  executor?: CityGraphExecutor;
  /** The URL of the metrics listener (`METRICS_PORT`), once listening. */
  metricsUrl(): string | undefined;
  listen(port?: number, host?: string): Promise<string>;
  stop(): Promise<void>;
}

/** Loads the supergraph SDL from its source; composition errors stop the start with all errors listed. */
export function loadSupergraphSdl(source: SupergraphSource): string {
  return demoteSubgraphEnforcedFeatures(readSupergraphSource(source));
}

function readSupergraphSource(source: SupergraphSource): string {
  switch (source.kind) {
    case 'sdl':
      return source.sdl;
    case 'file':
      return readFileSync(source.path, 'utf8');
    case 'compose': {
      const outcome = composeFromConfig(source.configPath);
      if (!outcome.supergraphSdl) {
        throw new Error(`Composition of ${source.configPath} failed:\n${outcome.errors.map((e) => `  ${e}`).join('\n')}`);
      }
      return outcome.supergraphSdl;
    }
  }
}

/**
 * Builds the gateway (Apollo Gateway + Apollo Server on plain node:http) without listening:
 * `index.ts` listens on the configured port, tests on port 0.
 */
export async function createGatewayServer(options: GatewayOptions): Promise<GatewayServer> {
  const log = options.logger ?? createLogger('gateway');
  const metrics = new Metrics('gateway');
  const { fetcher, close: closeFetcher } = createSubgraphFetcher(options.subgraphTimeoutMs);
  const queryFetcher = options.perf?.dedupe === false ? fetcher : dedupeFetcher(fetcher);
  let endpoints: SubgraphEndpoint[] | undefined;
  let apiSchema: GraphQLSchema | undefined;

  const resolveUrl = (name: string, url: string) => resolveSubgraphUrl(name, url, options.subgraphUrls);
  const registryPubSub = options.registry ? await createPubSub(options.registry.redisUrl) : undefined;
  const registry = options.registry
    ? await openSchemaRegistry({
        database: { uri: options.registry.mongodbUri, dbPrefix: options.registry.dbPrefix },
        jwtSecret: options.registry.jwtSecret,
        production: options.production,
        pubsub: registryPubSub,
        pollIntervalMs: options.registry.pollIntervalMs,
        operationWindowDays: options.registry.operationWindowDays,
        usageFlushIntervalMs: options.registry.usageFlushIntervalMs,
        seedConfigPath: options.registry.seedConfigPath,
        fallbackSdl: () => loadSupergraphSdl(options.supergraph),
        resolveUrl,
        instance: options.registry.instance,
      })
    : undefined;
  // A registry's launches, else a watched file (reloaded safely on change), else a fixed SDL.
  const supergraphSdl = registry
    ? registry.supergraphManager
    : options.supergraph.kind === 'file' && options.watchSupergraph
      ? new FileSupergraphManager({ path: options.supergraph.path, resolveUrl })
      : loadSupergraphSdl(options.supergraph);

  const ownExecutor = (options.executor ?? 'citygraph') === 'citygraph';
  const onFetch = (subgraph: string, outcome: 'ok' | 'error' | 'timeout' | 'circuit_open', seconds: number) => metrics.subgraphFetches.observe({ subgraph, outcome }, seconds);
  const clients = ownExecutor
    ? new SubgraphClients({
        timeoutMs: options.subgraphTimeoutMs,
        mutationTimeoutMs: options.subgraphMutationTimeoutMs,
        breaker: options.circuitBreaker,
        retries: options.subgraphRetries,
        dedupe: options.perf?.dedupe !== false,
        onFetch,
      })
    : undefined;
  const gateway = new ApolloGateway({
    supergraphSdl,
    // Apollo's executor refuses Defer nodes; CityGraph's runs them (gateway/executor).
    ...(ownExecutor ? { queryPlannerConfig: { incrementalDelivery: { enableDefer: true } } } : {}),
    buildService: ({ name, url }) =>
      new SubgraphDataSource({
        name,
        url: resolveSubgraphUrl(name, url ?? '', options.subgraphUrls),
        fetcher: options.perf?.fetcher === 'default' ? undefined : queryFetcher,
        breaker: options.circuitBreaker,
        retries: options.subgraphRetries,
        mutationTimeoutMs: options.subgraphMutationTimeoutMs,
        onFetch,
      }),
  });
  const executor = clients ? new CityGraphExecutor(gateway, clients) : undefined;
  // Before the corrections: they wrap whichever executor the gateway has.
  executor?.install();
  // Corrections to stock Apollo Gateway's planning and execution (gateway/plan, README).
  const corrections = installPlanCorrections(gateway, { overrideLabels: options.overrideLabels });
  executor?.useCorrections(corrections);
  gateway.onSchemaLoadOrUpdate(({ apiSchema: schema, coreSupergraphSdl }) => {
    apiSchema = schema;
    endpoints = subgraphEndpoints(coreSupergraphSdl).map((e) => ({
      name: e.name,
      url: resolveSubgraphUrl(e.name, e.url, options.subgraphUrls),
    }));
  });

  const security = createSecurityState(options.security, { redisUrl: options.redisUrl, logger: log });
  const pipeline = new RequestPipeline({
    security: options.security,
    inFlight: { maxInFlight: options.security.maxInFlight, maxQueued: options.security.maxQueued },
    debugErrors: options.debugErrors,
    trusted: security.trusted,
    registered: registry?.operations,
    limiter: security.limiter,
    identity: createIdentityResolver({
      hs256Tokens: true,
      maxTokenLifetimeS: 86_400,
      ...options.identity,
      cityAuth: Boolean(options.cityAuth),
      jwtSecret: options.cityAuth?.jwtSecret ?? '',
      internalSecret: options.cityAuth?.internalSecret ?? '',
      trustProxyHops: options.security.trustProxyHops,
    }),
    logger: log,
    onCost: metrics.trackOperationCost(),
  });
  gateway.onSchemaLoadOrUpdate(({ coreSupergraphSdl }) => pipeline.onSupergraph(coreSupergraphSdl));
  const responseCache = options.perf?.responseCache.enabled ? new ResponseCache(options.perf.responseCache) : undefined;
  if (responseCache) {
    // An answer made under the previous supergraph may not be what the new one would give.
    gateway.onSchemaLoadOrUpdate(() => responseCache.invalidate());
    metrics.trackResponseCache(responseCache);
  }
  const invalidation = responseCache && options.redisUrl ? new CacheInvalidationBus(options.redisUrl, responseCache) : undefined;
  await invalidation?.start();
  const sharing =
    options.perf?.requestSharing === false
      ? undefined
      : new RequestSharing({
          // A joined request skipped Apollo Server's plugins: count it as they would have.
          onJoined: ({ admitted, seconds, clientName, clientVersion }) => {
            metrics.operations.observe({ operation: metrics.operationLabel(admitted.operationName), type: admitted.kind }, seconds);
            registry?.usage.record(admitted.document, admitted.operationName, clientName, clientVersion);
          },
        });
  if (sharing) {
    // Under a new supergraph the same query may plan, and answer, differently.
    gateway.onSchemaLoadOrUpdate(() => sharing.invalidate());
    metrics.trackRequestSharing(sharing);
  }
  const apollo = new ApolloServer<GatewayContext>({
    gateway,
    // The pipeline has parsed, limited, trusted, counted and validated every operation before
    // Apollo Server sees it; Apollo executes, and its errors go through the same formatter.
    introspection: options.security.introspection,
    includeStacktraceInErrorResponses: options.debugErrors,
    hideSchemaDetailsFromClientErrors: options.production,
    csrfPrevention: false,
    persistedQueries: false,
    allowBatchedHttpRequests: false,
    // shared/shutdown.ts drains in-flight requests first, then stops Apollo Server.
    stopOnTerminationSignals: false,
    formatError: (formatted) => pipeline.format(formatted),
    // No Apollo landing page: it loads Apollo's Sandbox from a CDN. Browsers get the IDE
    // (gateway/ide) instead, and with IDE=off a browser GET is answered like any GraphQL GET.
    plugins: [ApolloServerPluginLandingPageDisabled(), metrics.plugin(), ...(registry ? [registry.usagePlugin<GatewayContext>()] : []), ...(responseCache ? [responseCache.plugin()] : [])],
  });
  await apollo.start();

  const readiness = new ReadinessProbe(() => endpoints, fetcher);

  const auth = options.cityAuth;
  const hub = new SubscriptionHub(gateway, new UpstreamConnections(), {
    executor,
    limits: options.subscriptions,
    subgraphUrl: (name) => endpoints?.find((e) => e.name === name)?.url ?? resolveSubgraphUrl(name, '', options.subgraphUrls),
    signViewer: auth ? (viewer) => signViewer(viewer, auth.internalSecret) : undefined,
    // A subgraph's event means its data changed: no answer begun before it is reused.
    onUpstreamEvent:
      responseCache || sharing
        ? () => {
            responseCache?.invalidate();
            sharing?.invalidate();
          }
        : undefined,
  });
  metrics.trackSubscriptions(() => hub.stats());

  const gatewayContext = (who: Identity): GatewayContext => ({
    viewer: who.viewer,
    viewerToken: who.viewerToken,
    requestId: who.requestId,
    clientKey: who.clientKey,
  });
  const cityDoor = (transport: 'http' | 'ws' | 'sse'): Door => ({
    transport,
    schema: () => apiSchema,
    trusted: true,
    subscriptions: transport !== 'http',
  });
  // Operations with @defer take the executor's direct path, their parts delivered as they come
  // (Apollo Server cannot carry incremental results from a gateway executor).
  const deferred: DeferredExecutor | undefined = executor
    ? (admitted, context) =>
        executor.execute({ document: admitted.document, operationName: admitted.operationName, variables: admitted.variables, context }, pipeline.format)
    : undefined;
  const doorOptions = { pipeline, bodyLimitBytes: options.bodyLimitBytes, apollo, context: gatewayContext, sharing, deferred };
  const graphqlHttp = createHttpDoor({
    ...doorOptions,
    door: cityDoor('http'),
    batchMax: options.security.batchMax,
    csrfPrevention: options.security.csrfPrevention,
  });
  const graphqlSse = createSseDoor({ ...doorOptions, door: cityDoor('sse'), hub });
  const adminHttp = registry
    ? createAdminDoor({ admin: registry.admin, pipeline, bodyLimitBytes: options.bodyLimitBytes, csrfPrevention: options.security.csrfPrevention })
    : undefined;
  // Open311 GeoReport v2 runs operations on the requests subgraph's fields: a city-layer door.
  const open311 = auth ? createOpen311Door({ pipeline, apollo, context: gatewayContext, schema: () => apiSchema, sharing, bodyLimitBytes: options.bodyLimitBytes }) : undefined;
  const failed = (what: string) => (err: unknown, res: import('node:http').ServerResponse) => {
    log.error({ err }, `${what} failed`);
    if (!res.headersSent) sendJson(res, 500, { errors: [{ message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR' } }] });
    else res.end();
  };

  const metricsEndpoint = createMetricsEndpoint(metrics, options.metrics);
  const ide = options.ide ? createIde() : undefined;
  const httpServer = createServer((req, res) => {
    const path = pathOf(req);
    res.once('finish', () => metrics.httpRequests.inc({ route: gatewayRouteLabel(path), status: String(res.statusCode) }));
    if (path === '/graphql' || path === '/') {
      if (ide && wantsIde(req)) return ide.page(res);
      graphqlHttp(req, res).catch((err) => failed('request')(err, res));
      return;
    }
    if (path === '/graphql/stream') {
      graphqlSse(req, res).catch((err) => failed('event stream')(err, res));
      return;
    }
    if (options.dashboard && path.startsWith('/dashboard') && serveDashboard(path, req, res)) return;
    if (ide && path.startsWith('/ide/') && ide.serve(path, req, res)) return;
    // The pages that run the city's lists talk to /graphql, so they need no registry.
    if (path.startsWith('/admin/') && serveAdminListPages(path, req, res)) return;
    // The admin page is public (it holds no data), so it is there in production too, for the
    // incident that needs a rollback; everything it shows comes from /admin/graphql with a token.
    if (adminHttp && path.startsWith('/admin') && path !== '/admin/graphql' && serveAdminPage(path, req, res)) return;
    if (path === '/admin/graphql' && adminHttp) {
      adminHttp(req, res).catch((err) => failed('admin request')(err, res));
      return;
    }
    if (open311 && path.startsWith(OPEN311_PREFIX)) {
      open311(req, res).catch((err) => failed('Open311 request')(err, res));
      return;
    }
    if (path === '/metrics') return metricsEndpoint.serveMain(req, res);
    if (path === '/health') return sendJson(res, 200, { status: 'ok' });
    if (path === '/health/ready') {
      void readiness.check().then((r) => sendJson(res, r.ready ? 200 : 503, { status: r.ready ? 'ready' : 'not ready', ...r }));
      return;
    }
    sendJson(res, 404, { error: 'not found' });
  });
  httpServer.keepAliveTimeout = 65_000;
  // Slow clients (headers / request timeouts) and idle-socket floods (per-IP cap): gateway/limits.
  applyConnectionLimits(httpServer, options.connections);

  const websockets = attachWebSocketDoor({ ...doorOptions, httpServer, door: cityDoor('ws'), hub });

  return {
    gateway,
    apollo,
    httpServer,
    endpoints: () => endpoints,
    apiSchema: () => apiSchema,
    subscriptions: hub,
    responseCache,
    trustedOperations: security.trusted,
    metrics,
    executor,
    registry,
    metricsUrl: () => metricsEndpoint.url(),
    async listen(port = options.port, host = options.host) {
      const url = await listen(httpServer, port, host);
      await metricsEndpoint.listen(host);
      return url;
    },
    async stop() {
      await hub.close();
      await websockets.close();
      await pipeline.close();
      await security.close();
      await invalidation?.close();
      await new Promise<void>((resolve) => {
        if (!httpServer.listening) return resolve();
        httpServer.close(() => resolve());
        httpServer.closeIdleConnections();
      });
      await apollo.stop();
      await registry?.close();
      await registryPubSub?.close();
      await closeFetcher();
      await clients?.close();
      await metricsEndpoint.close();
    },
  };
}
