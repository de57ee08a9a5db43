import { createServer, type IncomingMessage, type Server } from 'node:http';
import { ApolloServer, type BaseContext } from '@apollo/server';
import { unwrapResolverError } from '@apollo/server/errors';
import { ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import { buildSubgraphSchema } from '@apollo/subgraph';
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper';
import { GraphQLError, type DocumentNode, type GraphQLFormattedError, type GraphQLSchema } from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer } from 'ws';
import { readViewer, VIEWER_HEADER, type Viewer } from '../platform/auth';
import type { Connection } from 'mongoose';
import { syncIndexes, type Database } from '../platform/db';
import { loadSubgraphSdl } from '../platform/schema';
import type { SubgraphDeps, SubgraphName } from './subgraph-deps';
import { classifyError } from '../platform/errors';
import { listen, pathOf, sendJson, serveGraphQL } from '../platform/http';
import { createLogger } from '../platform/logger';
import { Metrics, routeLabel } from '../platform/metrics';
import { Scheduler, type ScheduledJob } from './scheduler';
import { privacyPlugin } from './privacy';
import { withServerSpan } from '../platform/tracing';

export interface SubgraphServerOptions<TContext extends BaseContext> {
  /** The subgraph's name, as in `supergraph.yaml`. */
  name: string;
  /** The subgraph's SDL (from `schema/<name>.graphql`). */
  typeDefs: DocumentNode;
  /** Resolvers, split by type in the subgraph's `resolvers/` folder. */
  resolvers: GraphQLResolverMap<TContext>;
  /** Builds the per-request context (with a fresh set of loaders) for a verified viewer. */
  context: (viewer: Viewer, req: IncomingMessage) => TContext | Promise<TContext>;
  /** Secret the gateway signs forwarded identities with. */
  internalSecret: string;
  /** The subgraph's database, pinged by `/health/ready` (503 `database unavailable` when it does not answer within 1 s). */
  db: Database;
  /** Hides internal error messages and stack traces. */
  production?: boolean;
  /**
   * Refuses requests that carry no gateway-signed identity, so only the gateway can call the
   * subgraph (`REQUIRE_GATEWAY_SIGNATURE`; on in production by default). Off, an unsigned request
   * is anonymous; a forged one is refused either way.
   */
  requireGatewaySignature?: boolean;
  /** Time-driven rules (no-shows, supervision…), run while the server listens when `schedule` is on. */
  jobs?: ScheduledJob[];
  /** Runs `jobs` on their intervals (on in `index.ts`; tests call the rules directly instead). */
  schedule?: boolean;
  /** The current time, for the jobs. */
  clock?: () => Date;
}

/** A subgraph HTTP server, built but not listening: tests listen on port 0, `index.ts` on its port. */
export interface SubgraphServer {
  name: string;
  schema: GraphQLSchema;
  apollo: ApolloServer<BaseContext>;
  httpServer: Server;
  metrics: Metrics;
  /** The scheduled rules, for running one on demand. */
  scheduler: Scheduler;
  listen(port: number, host?: string): Promise<string>;
  stop(): Promise<void>;
}

/** Formats errors the same way in every subgraph: known codes kept, driver errors classified. */
export function formatSubgraphError(production: boolean, log = createLogger('subgraph')) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const original = unwrapResolverError(error);
    const classified = classifyError(original);
    if (classified) {
      return { ...formatted, message: classified.message, extensions: { ...classified.extensions } };
    }
    const named = nameScalarField(formatted);
    if (named) return named;
    const code = formatted.extensions?.code;
    if (code === 'INTERNAL_SERVER_ERROR' || code === undefined) {
      if (!(original instanceof GraphQLError)) log.error({ err: original, path: formatted.path }, 'unexpected error');
      if (production) return { message: 'Internal server error', path: formatted.path, extensions: { code: 'INTERNAL_SERVER_ERROR' } };
    }
    return formatted;
  };
}

/**
 * A scalar refusing a variable's value (the kit's DateTime) cannot know which argument it was
 * given for, so it names itself as the field; graphql-js names the variable (and the path inside
 * an input object) in the message, and that becomes the field.
 */
function nameScalarField(formatted: GraphQLFormattedError): GraphQLFormattedError | undefined {
  if (formatted.extensions?.field !== 'DateTime') return undefined;
  const m = /^Variable "\$(\w+)" got invalid value .*?(?: at "([\w.[\]]+)")?;/.exec(formatted.message);
  if (!m) return undefined;
  return { ...formatted, extensions: { ...formatted.extensions, field: m[2] ?? m[1] } };
}

const SUBGRAPH_ROUTES = new Set(['/graphql', '/health', '/health/ready', '/metrics']);

export async function createSubgraphServer<TContext extends BaseContext>(
  options: SubgraphServerOptions<TContext>,
): Promise<SubgraphServer> {
  const production = options.production ?? false;
  const strict = options.requireGatewaySignature ?? production;
  const log = createLogger(options.name);
  const metrics = new Metrics(options.name);
  metrics.trackDbPool(options.db.pool);
  const schema = buildSubgraphSchema({ typeDefs: options.typeDefs, resolvers: options.resolvers as GraphQLResolverMap<unknown> });
  const apollo = new ApolloServer<BaseContext>({
    schema,
    formatError: formatSubgraphError(production, log),
    includeStacktraceInErrorResponses: !production,
    introspection: !production,
    // shared/shutdown.ts drains in-flight requests first, then stops Apollo Server.
    stopOnTerminationSignals: false,
    // Inline traces (ftv1) only serve Apollo's usage reporting, which CityGraph does not use.
    plugins: [ApolloServerPluginInlineTraceDisabled(), metrics.plugin(), privacyPlugin()],
  });
  await apollo.start();

  const buildContext = async (req: IncomingMessage): Promise<TContext> => {
    const header = req.headers[VIEWER_HEADER];
    let viewer: Viewer;
    try {
      viewer = readViewer(Array.isArray(header) ? header[0] : header, options.internalSecret, strict);
    } catch (err) {
      const e = err as GraphQLError;
      throw new GraphQLError(e.message, { extensions: { ...e.extensions, http: { status: 401 } } });
    }
    return options.context(viewer, req);
  };

  const httpServer = createServer((req, res) => {
    const path = pathOf(req);
    res.once('finish', () => metrics.httpRequests.inc({ route: path === '/' ? '/graphql' : routeLabel(path, SUBGRAPH_ROUTES), status: String(res.statusCode) }));
    if (path === '/metrics') {
      void metrics.render().then(({ contentType, body }) => {
        res.writeHead(200, { 'content-type': contentType });
        res.end(body);
      });
      return;
    }
    if (path === '/health') return sendJson(res, 200, { status: 'ok', subgraph: options.name });
    if (path === '/health/ready') {
      void options.db.ping().then((ok) =>
        sendJson(res, ok ? 200 : 503, ok ? { status: 'ready', subgraph: options.name } : { status: 'not ready', subgraph: options.name, reason: 'database unavailable' }),
      );
      return;
    }
    if (path === '/graphql' || path === '/') {
      withServerSpan(`${options.name} graphql`, req, () => serveGraphQL(apollo, req, res, () => buildContext(req) as Promise<BaseContext>)).catch((err) => {
        log.error({ err, requestId: req.headers['x-request-id'] }, 'request failed');
        if (!res.headersSent) sendJson(res, 500, { errors: [{ message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR' } }] });
        else res.end();
      });
      return;
    }
    sendJson(res, 404, { error: 'not found' });
  });
  httpServer.keepAliveTimeout = 65000;

  // Subscriptions over graphql-ws on the same path. The gateway passes the signed viewer in the
  // connection parameters; a connection whose viewer does not verify is refused at connect time.
  const wsServer = new WebSocketServer({ server: httpServer, path: '/graphql' });
  const viewerOf = (params: Readonly<Record<string, unknown>> | undefined): Viewer => {
    const value = params?.[VIEWER_HEADER];
    return readViewer(typeof value === 'string' ? value : undefined, options.internalSecret, strict);
  };
  const wsHandle = useServer(
    {
      schema,
      onConnect: (ctx) => {
        try {
          viewerOf(ctx.connectionParams);
          return true;
        } catch {
          return false;
        }
      },
      context: async (ctx) => options.context(viewerOf(ctx.connectionParams), ctx.extra.request),
    },
    wsServer,
  );

  const scheduler = new Scheduler(options.jobs ?? [], options.clock ?? (() => new Date()), log);

  return {
    name: options.name,
    schema,
    scheduler,
    apollo,
    httpServer,
    metrics,
    async listen(port, host) {
      const url = await listen(httpServer, port, host);
      if (options.schedule) scheduler.start();
      return url;
    },
    async stop() {
      await scheduler.stop();
      await wsHandle.dispose();
      await new Promise<void>((resolve) => wsServer.close(() => resolve()));
      await new Promise<void>((resolve) => {
        if (!httpServer.listening) return resolve();
        httpServer.close(() => resolve());
        httpServer.closeIdleConnections();
      });
      await apollo.stop();
    },
  };
}

/** What a city subgraph's `server.ts` names; everything else comes from its deps. */
export interface CitySubgraphSpec<TModels, TContext extends BaseContext> {
  name: SubgraphName;
  resolvers: unknown;
  createModels: (conn: Connection) => TModels;
  createContext: (deps: SubgraphDeps, viewer: Viewer) => TContext;
  /** Time-driven rules over the subgraph's models (each claims its items with unique inserts). */
  jobs?: (models: TModels, deps: SubgraphDeps) => ScheduledJob[];
  /**
   * Upgrades of stored data a new version needs (a field added to existing documents), run after
   * the indexes and before the subgraph serves; each must be cheap to repeat once done.
   */
  prepare?: (models: TModels) => Promise<void>;
}

/**
 * Builds a city subgraph from its deps: models on its own connection, the indexes its rules rest
 * on (created before it serves), its SDL from `schema/<name>.graphql`, and its scheduled rules.
 */
export async function createCitySubgraph<TModels, TContext extends BaseContext>(
  deps: SubgraphDeps,
  spec: CitySubgraphSpec<TModels, TContext>,
): Promise<SubgraphServer> {
  const models = spec.createModels(deps.db.conn);
  await syncIndexes(deps.db.conn);
  await spec.prepare?.(models);
  return createSubgraphServer<TContext>({
    name: spec.name,
    typeDefs: loadSubgraphSdl(spec.name),
    resolvers: spec.resolvers as GraphQLResolverMap<TContext>,
    context: (viewer) => spec.createContext(deps, viewer),
    internalSecret: deps.config.internalSecret,
    db: deps.db,
    production: deps.config.env === 'production',
    requireGatewaySignature: deps.config.requireGatewaySignature,
    jobs: spec.jobs?.(models, deps),
    schedule: deps.schedule,
    clock: deps.clock,
  });
}
