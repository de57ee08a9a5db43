import http from 'node:http';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import WebSocket from 'ws';
import { waitFor } from '../faults/harness';
import { startSecuredGateway, startSubgraphs, type SecuredGateway, type Subgraphs } from '../security/support';

/*
 * A subscriber that stops reading: its events wait in a bounded queue, and when that is full the
 * subscription ends with SLOW_CONSUMER and its memory comes back, over graphql-ws and over SSE.
 */

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;
const heapMb = () => {
  gc();
  return process.memoryUsage().heapUsed / 1024 / 1024;
};

const COMMUNITY = '440303003001';
const SUBSCRIPTION = `subscription { ticks(community: "${COMMUNITY}", size: 20000) { n payload } }`;
const EVENTS = 1500; // 1500 × 20 kB = 30 MB pushed at a client that reads nothing

let subgraphs: Subgraphs;
let gw: SecuredGateway;

beforeAll(async () => {
  subgraphs = await startSubgraphs();
  gw = await startSecuredGateway(subgraphs.supergraphSdl, { overrides: { subscriptions: { maxPerClient: 50, maxTotal: 1000, maxQueue: 50 } } });
});
afterAll(async () => {
  await gw?.stop();
  await subgraphs?.stop();
});

/** Publishes in slices so the gateway's event loop keeps turning. */
async function flood(): Promise<void> {
  for (let sent = 0; sent < EVENTS; sent += 50) {
    subgraphs.tick(COMMUNITY, 50);
    await new Promise((r) => setTimeout(r, 5));
  }
}

it('ends a graphql-ws subscription that is not read with SLOW_CONSUMER, and lets its memory go', async () => {
  const socket = new WebSocket(`${gw.url.replace('http', 'ws')}/graphql`, 'graphql-transport-ws');
  await new Promise((resolve) => socket.once('open', resolve));
  const messages: Array<{ id?: string; type: string; payload?: any }> = [];
  socket.on('message', (m) => messages.push(JSON.parse(m.toString())));
  socket.send(JSON.stringify({ type: 'connection_init', payload: {} }));
  await waitFor('connection_ack', () => messages.some((m) => m.type === 'connection_ack'));
  socket.send(JSON.stringify({ id: 'slow', type: 'subscribe', payload: { query: SUBSCRIPTION } }));
  await waitFor('the upstream subscription', () => subgraphs.openTicks() === 1 && gw.server.subscriptions.stats().subscriptions === 1);

  const before = heapMb();
  (socket as unknown as { _socket: import('node:net').Socket })._socket.pause();
  await flood();
  await waitFor('the subscription to be dropped', () => gw.server.subscriptions.stats().subscriptions === 0, 20_000);
  await waitFor('the upstream to close', () => subgraphs.openTicks() === 0);
  const after = heapMb();
  console.log(`graphql-ws slow consumer: heap ${before.toFixed(1)} MB before, ${after.toFixed(1)} MB after ${EVENTS} events of 20 kB`);
  expect(after - before).toBeLessThan(20);

  // Reading again, the client gets what was already on its way, then the end with its code.
  (socket as unknown as { _socket: import('node:net').Socket })._socket.resume();
  const ended = await waitFor('the SLOW_CONSUMER answer', () =>
    messages.find((m) => m.id === 'slow' && (m.type === 'next' || m.type === 'error') && JSON.stringify(m.payload).includes('SLOW_CONSUMER')),
  20_000);
  expect(JSON.stringify(ended.payload)).toContain('"code":"SLOW_CONSUMER"');
  expect(messages.filter((m) => m.type === 'next').length).toBeLessThan(EVENTS);
  // The socket itself is still open for other operations.
  expect(socket.readyState).toBe(WebSocket.OPEN);
  socket.close();
});

it('ends an SSE subscription that is not read with SLOW_CONSUMER, and lets its memory go', async () => {
  const url = new URL(`${gw.url}/graphql/stream`);
  const res = await new Promise<http.IncomingMessage>((resolve, reject) => {
    const req = http.request(url, { method: 'POST', headers: { 'content-type': 'application/json', accept: 'text/event-stream' } }, resolve);
    req.on('error', reject);
    req.end(JSON.stringify({ query: SUBSCRIPTION }));
  });
  expect(res.statusCode).toBe(200);
  await waitFor('the upstream subscription', () => subgraphs.openTicks() === 1 && gw.server.subscriptions.stats().subscriptions === 1);
  res.pause();

  const before = heapMb();
  await flood();
  await waitFor('the subscription to be dropped', () => gw.server.subscriptions.stats().subscriptions === 0, 20_000);
  await waitFor('the upstream to close', () => subgraphs.openTicks() === 0);
  const after = heapMb();
  console.log(`SSE slow consumer: heap ${before.toFixed(1)} MB before, ${after.toFixed(1)} MB after ${EVENTS} events of 20 kB`);
  expect(after - before).toBeLessThan(20);

  let text = '';
  res.on('data', (c: Buffer) => (text += c.toString()));
  res.resume();
  await waitFor('the SLOW_CONSUMER event', () => text.includes('SLOW_CONSUMER'), 20_000);
  await waitFor('the stream to complete', () => text.includes('event: complete'), 20_000);
  res.destroy();
});
