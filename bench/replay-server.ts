/**
 * Replayed subgraphs, for measuring what a gateway itself costs. One process serves every subgraph
 * at `/<name>/graphql`: the first time it sees a request (body + the viewer's role and subject) it
 * forwards it to the real subgraph and keeps the answer; afterwards it answers from memory. The
 * gateways then run against subgraphs that answer in microseconds with the real data, so the
 * database (FerretDB is slow on this machine) no longer hides the gateways' differences.
 *
 * Env: REPLAY_PORT, REPLAY_TARGETS (JSON `{ "<name>": "<url of the real subgraph>" }`).
 */
import { createServer, type IncomingMessage } from 'node:http';

const targets = JSON.parse(process.env.REPLAY_TARGETS ?? '{}') as Record<string, string>;
const store = new Map<string, { status: number; type: string; body: Buffer }>();
const pending = new Map<string, Promise<{ status: number; type: string; body: Buffer }>>();
let hits = 0;
let misses = 0;

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

const server = createServer((req, res) => {
  const name = (req.url ?? '').split('/')[1];
  if (req.url === '/stats') {
    res.end(JSON.stringify({ hits, misses, entries: store.size }));
    return;
  }
  const target = targets[name];
  if (!target) {
    res.statusCode = 404;
    res.end();
    return;
  }
  readAll(req)
    .then(async (body) => {
      const key = `${name}\n${viewerKey(req.headers['x-citygraph-viewer'])}\n${body.toString('utf8')}`;
      let answer = store.get(key);
      if (answer) hits += 1;
      else {
        misses += 1;
        let p = pending.get(key);
        if (!p) {
          const headers: Record<string, string> = { 'content-type': 'application/json' };
          for (const h of ['x-citygraph-viewer', 'accept', 'apollo-require-preflight']) {
            const v = req.headers[h];
            if (typeof v === 'string') headers[h] = v;
          }
          p = fetch(target, { method: "POST", headers, body: new Uint8Array(body) }).then(async (r) => {
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
server.listen(Number(process.env.REPLAY_PORT ?? 0), '127.0.0.1', () => console.log(`replay ready on ${JSON.stringify(server.address())}`));
process.once('SIGTERM', () => server.close(() => process.exit(0)));
