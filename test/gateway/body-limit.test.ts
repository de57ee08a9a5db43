import { request } from 'undici';
import { freePort } from '../../shared/dev/ferret';
import { ManagedProcess } from '../faults/harness';

/**
 * An oversized body is refused with a 413 the client can read. Closing the connection while the
 * client still sends makes the kernel reset it, and Node's fetch then reports EPIPE instead of the
 * answer (about one time in three before the fix), so every attempt here must get the JSON
 * refusal. The gateway runs as its own process: in the jest process the client and the server
 * share one event loop, and the race does not show.
 */

const SIX_MB = JSON.stringify({ query: '{ hello }', variables: { blob: 'x'.repeat(6 * 1024 * 1024) } });
const ROUNDS = 20;
const REFUSAL = { code: 'PAYLOAD_TOO_LARGE', limit: 1048576 };

let gateway: ManagedProcess;
let url: string;

beforeAll(async () => {
  const port = await freePort();
  gateway = new ManagedProcess('gateway', 'gateway/index.ts', port, {
    PORT: String(port),
    NODE_ENV: 'development',
    LOG_LEVEL: 'warn',
    CITY_AUTH: 'off',
    SUPERGRAPH_PATH: 'schema/supergraph.graphql',
    SUPERGRAPH_WATCH: 'off',
    SCHEMA_REGISTRY: 'off',
    RATE_LIMIT_MAX: '0',
  });
  await gateway.start();
  url = `${gateway.url}/graphql`;
});

afterAll(async () => {
  await gateway?.kill();
});

/** Runs `send` ROUNDS times in a row; collects what each attempt got (the status and code, or the client's error). */
async function rounds(send: () => Promise<{ status: number; body: any }>): Promise<string[]> {
  const outcomes: string[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    try {
      const { status, body } = await send();
      outcomes.push(status === 413 && body.errors[0].extensions.code === 'PAYLOAD_TOO_LARGE' ? 'refused' : `HTTP ${status}`);
      if (status === 413) expect(body.errors[0].extensions).toMatchObject(REFUSAL);
    } catch (err) {
      const e = err as { code?: string; cause?: { code?: string }; message: string };
      outcomes.push(e.cause?.code ?? e.code ?? e.message);
    }
  }
  return outcomes;
}

it(`answers ${ROUNDS} declared 6 MB POSTs from Node's fetch with the 413, every time`, async () => {
  const outcomes = await rounds(async () => {
    const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: SIX_MB });
    return { status: res.status, body: await res.json() };
  });
  expect(outcomes).toEqual(Array(ROUNDS).fill('refused'));
});

it(`answers ${ROUNDS} declared 6 MB POSTs from undici.request with the 413, every time`, async () => {
  const outcomes = await rounds(async () => {
    const res = await request(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: SIX_MB });
    return { status: res.statusCode, body: await res.body.json() };
  });
  expect(outcomes).toEqual(Array(ROUNDS).fill('refused'));
});

it(`answers ${ROUNDS} streamed (chunked, undeclared) 6 MB POSTs from Node's fetch with the 413, every time`, async () => {
  const chunk = new TextEncoder().encode('x'.repeat(64 * 1024));
  const outcomes = await rounds(async () => {
    let sent = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent >= 6 * 1024 * 1024) return controller.close();
        sent += chunk.length;
        controller.enqueue(chunk);
      },
    });
    const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body, duplex: 'half' } as RequestInit);
    return { status: res.status, body: await res.json() };
  });
  expect(outcomes).toEqual(Array(ROUNDS).fill('refused'));
});

it('keeps serving after the refusals', async () => {
  expect((await fetch(`${gateway.url}/health`)).status).toBe(200);
  expect(gateway.running).toBe(true);
});
