import { createHash, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { listen, pathOf, sendJson } from '../shared/platform/http';
import { routeLabel, type Metrics } from '../shared/platform/metrics';

/** Where and for whom the gateway serves `/metrics`. */
export interface MetricsEndpointOptions {
  /** When set, `/metrics` needs `Authorization: Bearer <token>`; anything else is answered 401 (`METRICS_TOKEN`). */
  token?: string;
  /**
   * When set, `/metrics` is served by a listener of its own on this port (0: a free one), on the
   * gateway's host, and not on the main port (`METRICS_PORT`).
   */
  port?: number;
  /**
   * Whether the main port answers `/metrics` when no `port` is set. Off in production unless a
   * token is set, so the process's internals are not public by default.
   */
  onMainPort: boolean;
}

/** The gateway's HTTP routes, for the `route` label; any other path is `other`. */
const GATEWAY_ROUTES = new Set(['/graphql', '/graphql/stream', '/admin/graphql', '/health', '/health/ready', '/metrics', '/']);
const GATEWAY_ROUTE_PREFIXES = ['/dashboard', '/ide', '/admin', '/open311'];

/** The `route` label of a gateway request. */
export function gatewayRouteLabel(path: string): string {
  return routeLabel(path, GATEWAY_ROUTES, GATEWAY_ROUTE_PREFIXES);
}

export interface MetricsEndpoint {
  /** Answers `/metrics` on the main port: the metrics, 401 without the token, 404 where they are not served there. */
  serveMain(req: IncomingMessage, res: ServerResponse): void;
  /** Starts the metrics listener when `port` is set; resolves with its URL. */
  listen(host: string): Promise<string | undefined>;
  /** The metrics listener's URL, once listening. */
  url(): string | undefined;
  close(): Promise<void>;
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}

export function createMetricsEndpoint(metrics: Metrics, options: MetricsEndpointOptions): MetricsEndpoint {
  // Compared as digests: equal lengths for timingSafeEqual, and no early exit revealing a prefix.
  const expected = options.token !== undefined ? digest(`Bearer ${options.token}`) : undefined;
  const render = (req: IncomingMessage, res: ServerResponse) => {
    if (expected) {
      const given = req.headers.authorization;
      if (typeof given !== 'string' || !timingSafeEqual(digest(given), expected)) {
        res.setHeader('www-authenticate', 'Bearer realm="metrics"');
        return sendJson(res, 401, { error: 'unauthorized' });
      }
    }
    metrics.render().then(
      ({ contentType, body }) => {
        res.writeHead(200, { 'content-type': contentType });
        res.end(body);
      },
      () => sendJson(res, 500, { error: 'metrics unavailable' }),
    );
  };
  let server: Server | undefined;
  let address: string | undefined;
  return {
    serveMain(req, res) {
      if (options.port !== undefined || !options.onMainPort) return sendJson(res, 404, { error: 'not found' });
      render(req, res);
    },
    async listen(host) {
      if (options.port === undefined || server) return address;
      server = createServer((req, res) => {
        const path = pathOf(req);
        res.once('finish', () => metrics.httpRequests.inc({ route: gatewayRouteLabel(path), status: String(res.statusCode) }));
        if (path === '/metrics') return render(req, res);
        sendJson(res, 404, { error: 'not found' });
      });
      address = await listen(server, options.port, host);
      return address;
    },
    url: () => address,
    async close() {
      const s = server;
      if (!s?.listening) return;
      await new Promise<void>((resolve) => {
        s.close(() => resolve());
        s.closeAllConnections();
      });
    },
  };
}
