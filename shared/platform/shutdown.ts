import type { IncomingMessage, Server } from 'node:http';
import type { Socket } from 'node:net';
import type { Logger } from './logger';

export interface GracefulShutdownOptions {
  /** The process's name, for the logs. */
  name: string;
  /** The HTTP servers to drain (the WebSocket servers attached to them are closed by `stop`). */
  servers: Server[];
  /**
   * Closes everything else once in-flight requests are done: WebSocket subscriptions (graphql-ws
   * closes them with 1001 Going Away), schedulers, pub/sub, the database.
   */
  stop: () => Promise<void>;
  /** Longest wait for in-flight requests and for the stop (ms, `SHUTDOWN_GRACE_MS`, default 10000). */
  graceMs?: number;
  /** Requests that never end by themselves (event streams): not waited for, ended by `stop`. */
  isLongLived?: (req: IncomingMessage) => boolean;
  log?: Pick<Logger, 'info' | 'warn' | 'error'>;
  /** Called instead of `process.exit` (tests). */
  exit?: (code: number) => void;
}

/** Tracks a server's requests in progress and turns keep-alive off once draining starts. */
class Drain {
  private active = 0;
  private draining = false;
  private idleTimer?: NodeJS.Timeout;
  readonly closed: Promise<void>;
  private resolveClosed!: () => void;

  /** Open HTTP sockets (WebSocket upgrades excluded: `stop` closes those). */
  private readonly sockets = new Set<Socket>();
  private readonly longLived = new Set<Socket>();

  constructor(private readonly server: Server, isLongLived: (req: IncomingMessage) => boolean) {
    this.closed = new Promise((resolve) => (this.resolveClosed = resolve));
    server.on('connection', (socket: Socket) => {
      this.sockets.add(socket);
      socket.once('close', () => {
        this.sockets.delete(socket);
        this.longLived.delete(socket);
      });
    });
    server.on('upgrade', (req: IncomingMessage) => this.sockets.delete(req.socket as Socket));
    // Runs before the application's handler, so the header is set before anything is written.
    server.prependListener('request', (req: IncomingMessage, res) => {
      if (this.draining && !res.headersSent) res.setHeader('connection', 'close');
      if (isLongLived(req)) {
        this.longLived.add(req.socket as Socket);
        return;
      }
      this.active += 1;
      res.once('close', () => (this.active -= 1));
    });
  }

  get inFlight(): number {
    return this.active;
  }

  /**
   * True once every plain HTTP socket is gone: requests in progress answered (their sockets close
   * after the answer) and accepted sockets whose request was not parsed yet answered too, so no
   * request can reach the application after `stop`. Event streams are left to `stop`.
   */
  get drained(): boolean {
    for (const socket of this.sockets) if (!this.longLived.has(socket)) return false;
    return this.active === 0;
  }

  /** Stops accepting connections (new ones are refused) and closes idle keep-alive sockets. */
  begin(): void {
    this.draining = true;
    if (!this.server.listening) {
      this.resolveClosed();
      return;
    }
    this.server.close(() => this.resolveClosed());
    // Idle keep-alive sockets are closed after a short delay, not at once: a request a client has
    // just written on one may not be parsed yet (a busy event loop), and closing the socket then
    // would lose it. Requests parsed meanwhile are answered with `connection: close`.
    const closeIdle = setTimeout(() => {
      this.server.closeIdleConnections();
      // Sockets finishing a request become idle later: close them as they do.
      this.idleTimer = setInterval(() => this.server.closeIdleConnections(), 50);
      this.idleTimer.unref();
    }, 250);
    closeIdle.unref();
    void this.closed.then(() => {
      clearTimeout(closeIdle);
      clearInterval(this.idleTimer);
    });
  }

  force(): void {
    clearInterval(this.idleTimer);
    this.server.closeIdleConnections();
    this.server.closeAllConnections();
  }
}

async function within<T>(promise: Promise<T>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), ms)));
  const done = promise.then(() => true as const);
  const result = await Promise.race([done, timeout]);
  clearTimeout(timer);
  return result;
}

/**
 * Graceful shutdown on SIGTERM / SIGINT: stop accepting connections at once (new connections are
 * refused; keep-alive is turned off), let the requests in progress finish, then `stop()` (which
 * ends subscriptions with a proper close), and exit 0. After `graceMs` the remaining connections
 * are cut and the process exits 1. Call it last, after the servers are built: it replaces the
 * SIGTERM / SIGINT handlers installed before it.
 * @returns the shutdown function, for calling it directly.
 */
export function installGracefulShutdown(options: GracefulShutdownOptions): (signal?: string) => Promise<void> {
  const graceMs = options.graceMs ?? (Number(process.env.SHUTDOWN_GRACE_MS) || 10_000);
  const exit = options.exit ?? ((code: number) => process.exit(code));
  const log = options.log ?? { info: console.log, warn: console.warn, error: console.error };
  const drains = options.servers.map((s) => new Drain(s, options.isLongLived ?? (() => false)));
  let shuttingDown = false;

  const shutdown = async (signal = 'SIGTERM'): Promise<void> => {
    // A second signal (Ctrl-C reaches every process of the group, then `npm start` sends SIGTERM)
    // changes nothing: the grace period bounds the wait anyway.
    if (shuttingDown) return;
    shuttingDown = true;
    const started = Date.now();
    const inFlight = () => drains.reduce((n, d) => n + d.inFlight, 0);
    log.info({ signal, inFlight: inFlight() }, `${options.name}: shutting down, finishing requests in progress`);
    for (const d of drains) d.begin();
    let clean = await within(
      (async () => {
        while (!drains.every((d) => d.drained)) await new Promise((r) => setTimeout(r, 20));
      })(),
      graceMs,
    );
    const left = Math.max(1000, graceMs - (Date.now() - started));
    try {
      clean = (await within(options.stop(), left)) && clean;
    } catch (err) {
      clean = false;
      log.error({ err }, `${options.name}: error while stopping`);
    }
    if (!(await within(Promise.all(drains.map((d) => d.closed)), 1000))) {
      for (const d of drains) d.force();
    }
    log.info({ ms: Date.now() - started, clean }, `${options.name}: stopped`);
    exit(clean ? 0 : 1);
  };
  // This is the process's one way to stop. Apollo Server installs its own SIGINT/SIGTERM handler
  // when `stopOnTerminationSignals` is not false (outside NODE_ENV=test), which stops it at once
  // and fails the requests still in progress with "Cannot execute GraphQL operations after the
  // server has stopped" — so handlers installed before this one are taken off.
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.removeAllListeners(signal);
    process.on(signal, () => void shutdown(signal));
  }
  return shutdown;
}
