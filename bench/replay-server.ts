/**
 * Replayed subgraphs, for measuring what a gateway itself costs. One process serves every subgraph
 * at `/<name>/graphql`: the first time it sees a request (body + the viewer's role and subject) it
 * forwards it to the real subgraph and keeps the answer; afterwards it answers from memory. The
 * gateways then run against subgraphs that answer in microseconds with the real data, so the
 * database (FerretDB is slow on this machine) no longer hides the gateways' differences.
 *
 * `GET /stats` reports hits, misses, stored answers and the requests received per subgraph, so the
 * benchmark can count the subgraph requests one gateway request makes.
 *
 * As a script (`tsx bench/replay-server.ts`), env: REPLAY_PORT, REPLAY_TARGETS (JSON
 * `{ "<name>": "<url of the real subgraph>" }`). `startReplayServer` runs it in-process
 * (bench/subscription-latency.ts).
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** What `GET /stats` answers. */
export interface ReplayStats {
  hits: number;
  misses: number;
  entries: number;
  /** Requests received per subgraph name since the start. */
  requests: Record<string, number>;
}

export interface ReplayServer {
  /** `http://127.0.0.1:<port>`; subgraph `<name>` is at `${url}/<name>/graphql`. */
  url: string;
  stats(): ReplayStats;
  close(): Promise<void>;
}

function readAll(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/** role and subject of the signed viewer (not verified: the real subgraph verifies on a miss). */
function viewerKey(header: string | string[] | undefined): string {
  const token = Array.isArray(header) ? header[0] : header;
  if (!token) return '-';
  try {
    const claims = JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString('utf8')) as { role?: string; sub?: string };
    return `${claims.role}:${claims.sub}`;
  } catch {
    return '?';
  }
}

/** Starts the replay server for `targets` (subgraph name → URL of the real subgraph) on `port` (0: a free one). */
export function startReplayServer(targets: Record<string, string>, port = 0): Promise<ReplayServer> {
  const store = new Map<string, { status: number; type: string; body: Buffer }>();
  const pending = new Map<string, Promise<{ status: number; type: string; body: Buffer }>>();
  const stats: ReplayStats = { hits: 0, misses: 0, entries: 0, requests: Object.fromEntries(Object.keys(targets).map((n) => [n, 0])) };

  const server: Server = createServer((req, res) => {
    const name = (req.url ?? '').split('/')[1];
    if (req.url === '/stats') {
      res.end(JSON.stringify({ ...stats, entries: store.size }));
      return;
    }
    const target = targets[name];
    if (!target) {
      res.statusCode = 404;
      res.end();
      return;
    }
    stats.requests[name] += 1;
    readAll(req)
      .then(async (body) => {
        const key = `${name}\n${viewerKey(req.headers['x-citygraph-viewer'])}\n${body.toString('utf8')}`;
        let answer = store.get(key);
        if (answer) stats.hits += 1;
        else {
          stats.misses += 1;
          let p = pending.get(key);
          if (!p) {
            const headers: Record<string, string> = { 'content-type': 'application/json' };
            for (const h of ['x-citygraph-viewer', 'accept', 'apollo-require-preflight']) {
              const v = req.headers[h];
              if (typeof v === 'string') headers[h] = v;
            }
            p = fetch(target, { method: 'POST', headers, body: new Uint8Array(body) }).then(async (r) => {
              const out = { status: r.status, type: r.headers.get('content-type') ?? 'application/json', body: Buffer.from(await r.arrayBuffer()) };
              // Keep only successful answers: a failure is retried next time.
              if (r.status === 200 && !out.body.includes('"errors"')) store.set(key, out);
              return out;
            });
            pending.set(key, p);
            p.finally(() => pending.delete(key)).catch(() => {});
          }
          answer = await p;
        }
        res.writeHead(answer.status, { 'content-type': answer.type, 'content-length': answer.body.length });
        res.end(answer.body);
      })
      .catch((err) => {
        res.statusCode = 502;
        res.end(JSON.stringify({ errors: [{ message: String(err) }] }));
      });
  });
  server.keepAliveTimeout = 65_000;
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      const { port: actual } = server.address() as AddressInfo;
      resolve({
        url: `http://127.0.0.1:${actual}`,
        stats: () => ({ ...stats, requests: { ...stats.requests }, entries: store.size }),
        close: () =>
          new Promise<void>((done) => {
            server.close(() => done());
            server.closeAllConnections();
          }),
      });
    });
  });
}

if (require.main === module) {
  const targets = JSON.parse(process.env.REPLAY_TARGETS ?? '{}') as Record<string, string>;
  startReplayServer(targets, Number(process.env.REPLAY_PORT ?? 0)).then(
    (replay) => {
      console.log(`replay ready on ${replay.url}`);
      process.once('SIGTERM', () => void replay.close().then(() => process.exit(0)));
    },
    (err) => {
      console.error(err);
      process.exit(1);
    },
  );
}
