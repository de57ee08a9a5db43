import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { ApolloGateway } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { GraphQLError, type GraphQLFormattedError, type GraphQLSchema } from 'graphql';
import { randomUUID } from 'node:crypto';
import { listen, pathOf, sendJson } from '../shared/http';
import { createLogger } from '../shared/logger';
import { Metrics } from '../shared/metrics';
import { signViewer } from '../shared/auth';
import type { GatewayContext } from './auth';
import type { GatewayOptions, SupergraphSource } from './config';
import { createSubgraphFetcher, SubgraphDataSource } from './datasources/subgraph-datasource';
import { CacheInvalidationBus } from './perf/invalidation';
import { ResponseCache } from './perf/response-cache';
import { dedupeFetcher } from './perf/dedupe';
import { ViewerCache } from './perf/viewer-cache';
import { serveDashboard } from './dashboard/serve';
import { ReadinessProbe } from './health';
import { operationResolutionPlugin } from './operation-resolution';
import { openSchemaRegistry, type SchemaRegistry } from './registry';
import { createSecurityLayer } from './security';
import { FileSupergraphManager } from './supergraph/file-manager';
import { createPubSub } from '../shared/pubsub';
import { SubscriptionHub } from './subscriptions/hub';
import { internalsOf } from './subscriptions/planner';
import { installPlanCorrections } from './plan';
import { attachSubscriptionTransports } from './subscriptions/transports';
import { UpstreamConnections } from './subscriptions/upstream';
import { composeFromConfig } from './supergraph/compose';
import { demoteSubgraphEnforcedFeatures } from './supergraph/security-features';
import { resolveSubgraphUrl, subgraphEndpoints, type SubgraphEndpoint } from './supergraph/routing';

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
  /** The response cache, unless `RESPONSE_CACHE=off`. */
  responseCache?: ResponseCache;
  metrics: Metrics;
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

function formatGatewayError(production: boolean, log: ReturnType<typeof createLogger>) {
  return (formatted: GraphQLFormattedError): GraphQLFormattedError => {
    const code = formatted.extensions?.code;
    if (code === undefined || code === 'INTERNAL_SERVER_ERROR') log.error({ error: formatted }, 'internal error');
    if (production && (code === undefined || code === 'INTERNAL_SERVER_ERROR')) {
      return { message: 'Internal server error', path: formatted.path, extensions: { code: 'INTERNAL_SERVER_ERROR' } };
    }
    if (production && formatted.extensions && 'stacktrace' in formatted.extensions) {
      const { stacktrace: _drop, ...rest } = formatted.extensions;
      return { ...formatted, extensions: rest };
    }
    return formatted;
  };
}

/**
 * Builds the gateway (Apollo Gateway + Apollo Server on plain node:http) without listening:
 * `index.ts` listens on the configured port, tests on port 0.
 */
export async function createGatewayServer(options: GatewayOptions): Promise<GatewayServer> {
  const log = createLogger('gateway');
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

  const gateway = new ApolloGateway({
    supergraphSdl,
    buildService: ({ name, url }) =>
      new SubgraphDataSource({
        name,
        url: resolveSubgraphUrl(name, url ?? '', options.subgraphUrls),
        fetcher: options.perf?.fetcher === 'default' ? undefined : queryFetcher,
        breaker: options.circuitBreaker,
        retries: options.subgraphRetries,
        onFetch: (subgraph, outcome, seconds) => metrics.subgraphFetches.observe({ subgraph, outcome }, seconds),
      }),
  });
  // Corrections to stock Apollo Gateway's planning and execution (gateway/plan, README).
  installPlanCorrections(gateway);
  gateway.onSchemaLoadOrUpdate(({ apiSchema: schema, coreSupergraphSdl }) => {
    apiSchema = schema;
    endpoints = subgraphEndpoints(coreSupergraphSdl).map((e) => ({
      name: e.name,
      url: resolveSubgraphUrl(e.name, e.url, options.subgraphUrls),
    }));
  });

  const security = createSecurityLayer<GatewayContext>(options.security, {
    redisUrl: options.redisUrl,
    jwtSecret: options.cityAuth?.jwtSecret,
    logger: log,
    onCost: metrics.trackOperationCost(),
  });
  const responseCache = options.perf?.responseCache.enabled ? new ResponseCache(options.perf.responseCache) : undefined;
  if (responseCache) {
    // An answer made under the previous supergraph may not be what the new one would give.
    gateway.onSchemaLoadOrUpdate(() => responseCache.invalidate());
    metrics.trackResponseCache(responseCache);
  }
  const invalidation = responseCache && options.redisUrl ? new CacheInvalidationBus(options.redisUrl, responseCache) : undefined;
  await invalidation?.start();
  const apollo = new ApolloServer<GatewayContext>({
    gateway,
    ...security.apolloConfig,
    // shared/shutdown.ts drains in-flight requests first, then stops Apollo Server.
    stopOnTerminationSignals: false,
    formatError: formatGatewayError(options.production, log),
    plugins: [metrics.plugin(), operationResolutionPlugin<GatewayContext>(), ...(security.apolloConfig.plugins ?? []), ...(registry ? [registry.usagePlugin<GatewayContext>()] : []), ...(responseCache ? [responseCache.plugin()] : [])],
  });
  await apollo.start();

  const readiness = new ReadinessProbe(() => endpoints, fetcher);

  const auth = options.cityAuth;
  const hub = new SubscriptionHub(gateway, new UpstreamConnections(), {
    limits: options.subscriptions,
    subgraphUrl: (name) => endpoints?.find((e) => e.name === name)?.url ?? resolveSubgraphUrl(name, '', options.subgraphUrls),
    signViewer: auth ? (viewer) => signViewer(viewer, auth.internalSecret) : undefined,
    onUpstreamEvent: responseCache ? () => responseCache.invalidate() : undefined,
  });
  metrics.trackSubscriptions(() => hub.stats());

  const viewers = new ViewerCache(options.cityAuth);
  const httpServer = createServer((req, res) => {
    const path = pathOf(req);
    res.once('finish', () => metrics.httpRequests.inc({ route: path.length > 32 ? 'other' : path, status: String(res.statusCode) }));
    if (path === '/graphql' || path === '/') {
      // One id follows the request through every subgraph's logs.
      const given = req.headers['x-request-id'];
      if (typeof given !== 'string' || !/^[A-Za-z0-9._:-]{1,64}$/.test(given)) req.headers['x-request-id'] = randomUUID();
      res.setHeader('x-request-id', req.headers['x-request-id'] as string);
      const context = async () => {
        try {
          return { ...viewers.context(req), clientKey: security.clientKey(req) };
        } catch (err) {
          const e = err as GraphQLError;
          throw new GraphQLError(e.message, { extensions: { ...e.extensions, http: { status: 401 } } });
        }
      };
      security.serve(apollo, req, res, context).catch((err) => {
        log.error({ err, requestId: req.headers['x-request-id'] }, 'request failed');
        if (!res.headersSent) sendJson(res, 500, { errors: [{ message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR' } }] });
        else res.end();
      });
      return;
    }
    if (path === '/graphql/stream') {
      transports.sse(req, res).catch((err) => {
        log.error({ err }, 'event stream failed');
        if (!res.headersSent) sendJson(res, 500, { errors: [{ message: 'Internal server error' }] });
        else res.end();
      });
      return;
    }
    if (options.dashboard && path.startsWith('/dashboard') && serveDashboard(path, req, res)) return;
    if (path === '/admin/graphql' && registry) {
      registry.admin.handler(req, res).catch((err) => {
        log.error({ err }, 'admin request failed');
        if (!res.headersSent) sendJson(res, 500, { errors: [{ message: 'Internal server error' }] });
      });
      return;
    }
    if (path === '/metrics') {
      void metrics.render().then(({ contentType, body }) => {
        res.writeHead(200, { 'content-type': contentType });
        res.end(body);
      });
      return;
    }
    if (path === '/health') return sendJson(res, 200, { status: 'ok' });
    if (path === '/health/ready') {
      void readiness.check().then((r) => sendJson(res, r.ready ? 200 : 503, { status: r.ready ? 'ready' : 'not ready', ...r }));
      return;
    }
    sendJson(res, 404, { error: 'not found' });
  });
  httpServer.keepAliveTimeout = 65_000;

  const transports = attachSubscriptionTransports({
    httpServer,
    apollo,
    hub,
    schema: () => internalsOf(gateway).schema!,
    context: (authorization) => viewers.fromAuthorization(authorization),
  });

  return {
    gateway,
    apollo,
    httpServer,
    endpoints: () => endpoints,
    apiSchema: () => apiSchema,
    subscriptions: hub,
    responseCache,
    metrics,
    registry,
    listen: (port = options.port, host = options.host) => listen(httpServer, port, host),
    async stop() {
      await hub.close();
      await transports.close();
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
    },
  };
}
