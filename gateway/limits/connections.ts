import type { Server } from 'node:http';
import type { Socket } from 'node:net';

/** Limits on the gateway's client connections (see `applyConnectionLimits`). */
export interface ConnectionLimitOptions {
  /** How long a client may take to send a request's headers (`HEADERS_TIMEOUT_MS`, default 10000). */
  headersTimeoutMs: number;
  /** How long a client may take to send a whole request, body included (`REQUEST_TIMEOUT_MS`, default 30000). */
  requestTimeoutMs: number;
  /** Open TCP connections one IP address may hold; beyond it new sockets are destroyed at once (`MAX_CONNECTIONS_PER_IP`, default 256; 0: no cap). */
  maxPerIp: number;
}

export interface ConnectionLimiter {
  /** Open connections of one address. */
  open(ip: string): number;
  /** Sockets destroyed so far for being over the cap. */
  readonly refused: number;
}

/** `::ffff:127.0.0.1` and `127.0.0.1` are one client. */
function clientAddress(socket: Socket): string {
  const ip = socket.remoteAddress ?? '';
  return ip.startsWith('::ffff:') ? ip.slice(7) : ip;
}

/**
 * Caps the TCP connections one IP address holds open on `server`: a socket beyond `max` is
 * destroyed as soon as it is accepted, before anything is read from it, so one client cannot take
 * every file descriptor with idle sockets. Counts fall as sockets close. The address is the
 * socket's: behind a proxy every client shares the proxy's, so raise the cap (or set 0) there.
 */
export function limitConnectionsPerIp(server: Server, max: number): ConnectionLimiter {
  const counts = new Map<string, number>();
  let refused = 0;
  // Before the HTTP server's own listener, so a refused socket never gets a parser.
  server.prependListener('connection', (socket: Socket) => {
    const ip = clientAddress(socket);
    const n = counts.get(ip) ?? 0;
    if (n >= max) {
      refused += 1;
      socket.destroy();
      return;
    }
    counts.set(ip, n + 1);
    socket.once('close', () => {
      const left = (counts.get(ip) ?? 1) - 1;
      if (left > 0) counts.set(ip, left);
      else counts.delete(ip);
    });
  });
  return {
    open: (ip) => counts.get(ip) ?? 0,
    get refused() {
      return refused;
    },
  };
}

/**
 * Cuts slow clients (slowloris): headers must arrive within `headersTimeoutMs` and the whole
 * request within `requestTimeoutMs`, else Node answers 408 and closes the connection. Node checks
 * these only every `connectionsCheckingInterval` (30 s by default, longer than the timeouts
 * themselves), so the check runs more often here. Set before `listen`: Node starts the check then.
 */
export function applyRequestTimeouts(server: Server, headersTimeoutMs: number, requestTimeoutMs: number): void {
  server.headersTimeout = headersTimeoutMs;
  server.requestTimeout = requestTimeoutMs;
  (server as Server & { connectionsCheckingInterval: number }).connectionsCheckingInterval = Math.max(100, Math.min(1000, Math.floor(Math.min(headersTimeoutMs, requestTimeoutMs) / 4)));
}

/** Both of the above, as the gateway's options say; the limiter when a cap is set. */
export function applyConnectionLimits(server: Server, options: ConnectionLimitOptions): ConnectionLimiter | undefined {
  applyRequestTimeouts(server, options.headersTimeoutMs, options.requestTimeoutMs);
  return options.maxPerIp > 0 ? limitConnectionsPerIp(server, options.maxPerIp) : undefined;
}
