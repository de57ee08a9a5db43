import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import WebSocket from 'ws';
import { signUserToken } from '../../shared/platform/auth';
import { statusOf } from '../../shared/platform/error-codes';
import { freePort } from '../../shared/dev/ferret';
import { ManagedProcess, waitFor } from '../faults/harness';
import { HOSTILE_CASES } from './hostile-table';
import { CITY_AUTH, startSecuredGateway, startSubgraphs, type SecuredGateway, type Subgraphs } from './support';
import { clientsFor, wsClient, type Outcome, type TransportClient } from './transports';

/*
 * The hostile table over every door (HTTP, graphql-ws, SSE), on a development gateway in this
 * process and on the real gateway process started with NODE_ENV=production. Each refusal has its
 * code and its protocol's shape; the WebSocket stays open through the whole table (a live
 * subscription on it keeps receiving), and the gateway stays ready.
 */

const token = (subject: string) => signUserToken({ role: 'resident', subject, residentId: subject }, CITY_AUTH.jwtSecret);

let subgraphs: Subgraphs;
let dev: SecuredGateway;
let prod: ManagedProcess;
let dir: string;

beforeAll(async () => {
  subgraphs = await startSubgraphs();
  dev = await startSecuredGateway(subgraphs.supergraphSdl);
  dir = mkdtempSync(path.join(os.tmpdir(), 'citygraph-hostile-'));
  const supergraph = path.join(dir, 'supergraph.graphql');
  writeFileSync(supergraph, subgraphs.supergraphSdl);
  prod = new ManagedProcess('gateway', 'gateway/index.ts', await freePort(), {
    NODE_ENV: 'production',
    JWT_SECRET: CITY_AUTH.jwtSecret,
    INTERNAL_SECRET: CITY_AUTH.internalSecret,
    SUPERGRAPH_PATH: supergraph,
    SCHEMA_REGISTRY: 'off',
    MONGODB_URI: '',
    REDIS_URL: '',
    DASHBOARD: 'off',
    RESPONSE_CACHE: 'off',
    GATEWAY_WORKERS: '1',
    APOLLO_TELEMETRY_DISABLED: '1',
  });
  prod.env.PORT = String(prod.port);
  await prod.start();
}, 90_000);

afterAll(async () => {
  await dev?.stop();
  await prod?.terminate();
  await subgraphs?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

function expectOutcome(outcome: Outcome, c: (typeof HOSTILE_CASES)[number], transport: TransportClient['name'], mode: 'development' | 'production') {
  const where = `${c.name} over ${transport} (${mode})`;
  const code = transport === 'http' ? (c.codeOverHttp ?? c.code) : c.code;
  if (c.refused) {
    expect({ where, kind: outcome.kind }).toEqual({ where, kind: 'refused' });
    if (transport !== 'ws') expect({ where, status: outcome.status }).toEqual({ where, status: statusOf(code!) });
  } else {
    expect({ where, kind: outcome.kind }).toEqual({ where, kind: 'result' });
    if (transport !== 'ws') expect({ where, status: outcome.status }).toEqual({ where, status: 200 });
  }
  if (code) expect({ where, code: outcome.errors?.[0]?.extensions?.code }).toEqual({ where, code });
  else if (!c.check) expect({ where, errors: outcome.errors }).toEqual({ where, errors: undefined });
  for (const e of outcome.errors ?? []) expect({ where, stack: e.extensions?.stacktrace }).toEqual({ where, stack: undefined });
  c.check?.(outcome, mode, transport);
}

describe.each([
  ['development', () => dev.url],
  ['production', () => prod.url],
] as const)('the hostile table on a %s gateway', (mode, base) => {
  it('answers every case by its code on HTTP, graphql-ws and SSE; the socket stays open and the gateway ready', async () => {
    const clients = clientsFor(base(), token(`R-HOSTILE-${mode}`));
    const ws = clients[1] as ReturnType<typeof wsClient>;
    // A live subscription on the same socket the table goes through.
    const ticks: number[] = [];
    const live = ws.socket.subscribe<{ ticks: { n: number } }>(
      { query: 'subscription { ticks(community: "440303003001") { n community { code } } }' },
      { next: (v) => void ticks.push(v.data!.ticks.n), error: () => {}, complete: () => {} },
    );
    await waitFor('the live subscription upstream', () => subgraphs.openTicks() > 0);
    try {
      for (const c of HOSTILE_CASES) {
        if (c.only && c.only !== mode) continue;
        for (const client of clients) if (!c.skip?.includes(client.name)) expectOutcome(await client.run(c.params), c, client.name, mode);
      }
      expect(ws.closes).toEqual([]);
      subgraphs.tick('440303003001');
      await waitFor('a tick after the table', () => ticks.length > 0);
      expect((await fetch(`${base()}/health/ready`)).status).toBe(200);
    } finally {
      live();
      for (const c of clients) await c.close();
    }
  });
});

describe('fairness across doors', () => {
  let gw: SecuredGateway;
  afterEach(async () => gw?.stop());

  it('counts one rate limit across HTTP, graphql-ws and SSE for the same client', async () => {
    gw = await startSecuredGateway(subgraphs.supergraphSdl, { env: { RATE_LIMIT_MAX: '9', RATE_LIMIT_WINDOW_MS: '60000' } });
    const clients = clientsFor(gw.url, token('R-RATE'));
    try {
      for (const client of clients) for (let i = 0; i < 3; i++) expect((await client.run({ query: '{ hello }' })).errors).toBeUndefined();
      for (const client of clients) {
        const refused = await client.run({ query: '{ hello }' });
        expect({ transport: client.name, kind: refused.kind, code: refused.errors?.[0]?.extensions?.code }).toEqual({
          transport: client.name,
          kind: 'refused',
          code: 'RATE_LIMITED',
        });
        if (client.name !== 'ws') expect(refused.status).toBe(429);
      }
      // Another client is not affected.
      expect((await clientsFor(gw.url, token('R-OTHER'))[0].run({ query: '{ hello }' })).errors).toBeUndefined();
    } finally {
      for (const c of clients) await c.close();
    }
  });

  it('queues a few operations of one client and refuses the rest with RATE_LIMITED, on every door', async () => {
    gw = await startSecuredGateway(subgraphs.supergraphSdl, { env: { CLIENT_MAX_IN_FLIGHT: '2', CLIENT_MAX_QUEUED: '2' } });
    const clients = clientsFor(gw.url, token('R-BURST'));
    try {
      for (const client of clients) {
        const outcomes = await Promise.all(Array.from({ length: 8 }, () => client.run({ query: '{ slow(ms: 300) }' })));
        const done = outcomes.filter((o) => o.data?.slow === 'done').length;
        const limited = outcomes.filter((o) => o.errors?.[0]?.extensions?.code === 'RATE_LIMITED');
        expect({ transport: client.name, done, limited: limited.length }).toEqual({ transport: client.name, done: 4, limited: 4 });
        expect(limited[0].errors![0].extensions).toMatchObject({ reason: 'in-flight', limit: 2, queued: 2 });
      }
      // Meanwhile another client's query is answered at once.
      const bystander = clientsFor(gw.url)[0];
      const [answer] = await Promise.all([bystander.run({ query: '{ hello }' }), clients[0].run({ query: '{ slow(ms: 300) }' })]);
      expect(answer.data).toEqual({ hello: 'world' });
    } finally {
      for (const c of clients) await c.close();
    }
  });

  it('refuses a forged token on every door, and counts it against its IP address', async () => {
    gw = await startSecuredGateway(subgraphs.supergraphSdl);
    const forged = signUserToken({ role: 'admin', subject: 'A-EVIL' }, 'not-the-gateways-secret-but-long-enough-32');
    const [http, ws, sse] = clientsFor(gw.url, forged);
    expect(await http.run({ query: '{ hello }' })).toMatchObject({ status: 401, kind: 'refused', errors: [{ extensions: { code: 'UNAUTHENTICATED' } }] });
    expect(await sse.run({ query: '{ hello }' })).toMatchObject({ status: 401, kind: 'refused', errors: [{ extensions: { code: 'UNAUTHENTICATED' } }] });
    // graphql-ws: the connection is refused at connection_init (4403 Forbidden), as the protocol says.
    expect(await ws.run({ query: '{ hello }' })).toMatchObject({ kind: 'closed', closeCode: 4403 });
    await ws.close();
  });

  it('closes a WebSocket that sends a message the protocol does not know (4400), as graphql-ws says', async () => {
    gw = await startSecuredGateway(subgraphs.supergraphSdl);
    const socket = new WebSocket(`${gw.url.replace('http', 'ws')}/graphql`, 'graphql-transport-ws');
    await new Promise((resolve) => socket.once('open', resolve));
    socket.send(JSON.stringify({ type: 'connection_init', payload: {} }));
    await new Promise((resolve) => socket.once('message', resolve));
    const closed = new Promise<number>((resolve) => socket.once('close', (code) => resolve(code)));
    socket.send(JSON.stringify({ id: '1', type: 'subscribe', payload: { variables: {} } }));
    expect(await closed).toBe(4400);
  });
});
