import net from 'node:net';
import { Agent, request } from 'undici';
import { loadGatewayOptions } from '../../gateway/config';
import { waitFor } from '../faults/harness';
import { startHelloGraph, type HelloGraph } from '../support/tiny-subgraph';

/**
 * Slow and greedy clients cannot starve the gateway: sockets beyond the per-IP cap are closed at
 * once, and a client that sends its headers or body too slowly is cut after the timeout.
 */

let graph: HelloGraph;

beforeAll(async () => {
  graph = await startHelloGraph();
});

afterAll(async () => {
  await graph.stop();
});

const gatewayWith = (env: NodeJS.ProcessEnv) => graph.gateway(env);

interface RawSocket {
  socket: net.Socket;
  closed: boolean;
  received: string;
  closedAt?: number;
}

function connect(port: number, localAddress = '127.0.0.1'): Promise<RawSocket> {
  return new Promise((resolve, reject) => {
    const raw: RawSocket = { socket: net.connect({ port, host: '127.0.0.1', localAddress }), closed: false, received: '' };
    raw.socket.on('data', (d) => (raw.received += d.toString()));
    raw.socket.on('error', () => {});
    raw.socket.once('close', () => {
      raw.closed = true;
      raw.closedAt = Date.now();
    });
    raw.socket.once('connect', () => resolve(raw));
    raw.socket.once('error', reject);
  });
}

/** A query from another source address (127.0.0.2 is the same loopback, another client to the cap). */
async function queryFrom(origin: string, localAddress: string): Promise<unknown> {
  const dispatcher = new Agent({ localAddress });
  try {
    const res = await request(`${origin}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ hello }' }),
      dispatcher,
    });
    return await res.body.json();
  } finally {
    await dispatcher.close();
  }
}

it('holds 256 idle sockets from one IP and closes the rest at once; other addresses are served meanwhile', async () => {
  const { origin, port } = await gatewayWith({ MAX_CONNECTIONS_PER_IP: '256' });
  const sockets: RawSocket[] = [];
  try {
    for (let i = 0; i < 300; i++) sockets.push(await connect(port));
    await waitFor('44 sockets to be closed', () => sockets.filter((s) => s.closed).length >= 44, 5000, 50);
    await new Promise((r) => setTimeout(r, 300));
    expect(sockets.filter((s) => s.closed).length).toBe(44);
    expect(sockets.filter((s) => !s.closed).length).toBe(256);
    // The ones closed got nothing: no parser, no answer.
    expect(sockets.filter((s) => s.closed).every((s) => s.received === '')).toBe(true);
    // Another client is not affected by this one's sockets.
    expect(await queryFrom(origin, '127.0.0.2')).toEqual({ data: { hello: 'world' } });
    // One of the held sockets still works.
    const held = sockets.find((s) => !s.closed)!;
    held.socket.write('GET /health HTTP/1.1\r\nHost: x\r\n\r\n');
    await waitFor('an answer on a held socket', () => held.received.includes('\r\n\r\n'), 5000, 20);
    expect(held.received).toMatch(/^HTTP\/1\.1 200/);
  } finally {
    for (const s of sockets) s.socket.destroy();
  }
  // Once they are gone, the address is served again.
  await waitFor('127.0.0.1 to be served again', async () => JSON.stringify(await queryFrom(origin, '127.0.0.1')) === '{"data":{"hello":"world"}}', 5000, 50);
});

/**
 * Writes `head`, then one `drip()` every 100 ms until the gateway closes the connection; resolves
 * with how long that took and what it answered.
 */
async function dripUntilCut(port: number, head: string, drip: () => string): Promise<{ ms: number; received: string }> {
  const raw = await connect(port);
  const started = Date.now();
  raw.socket.write(head);
  const timer = setInterval(() => raw.socket.writable && raw.socket.write(drip()), 100);
  try {
    await waitFor('the slow client to be cut', () => raw.closed, 5000, 20);
  } finally {
    clearInterval(timer);
  }
  return { ms: raw.closedAt! - started, received: raw.received };
}

it('cuts a connection whose body arrives too slowly after REQUEST_TIMEOUT_MS (408)', async () => {
  const { port } = await gatewayWith({ HEADERS_TIMEOUT_MS: '500', REQUEST_TIMEOUT_MS: '1000' });
  // One byte every 100 ms: the whole body would take 100 s.
  const cut = await dripUntilCut(port, 'POST /graphql HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{', () => ' ');
  expect(cut.ms).toBeGreaterThanOrEqual(950);
  expect(cut.ms).toBeLessThan(2500);
  expect(cut.received).toMatch(/^HTTP\/1\.1 408/);
});

it('cuts a connection whose headers arrive too slowly after HEADERS_TIMEOUT_MS', async () => {
  const { port } = await gatewayWith({ HEADERS_TIMEOUT_MS: '500', REQUEST_TIMEOUT_MS: '1000' });
  let n = 0;
  const cut = await dripUntilCut(port, 'GET /health HTTP/1.1\r\nHost: x\r\n', () => `X-${n++}: y\r\n`);
  expect(cut.ms).toBeGreaterThanOrEqual(450);
  expect(cut.ms).toBeLessThan(2000);
});

it('serves a request whose body arrives in pieces within the timeout', async () => {
  const { port } = await gatewayWith({ HEADERS_TIMEOUT_MS: '500', REQUEST_TIMEOUT_MS: '1000' });
  const raw = await connect(port);
  const body = JSON.stringify({ query: '{ hello }' });
  raw.socket.write(`POST /graphql HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n`);
  for (const piece of [body.slice(0, 5), body.slice(5, 12), body.slice(12)]) {
    await new Promise((r) => setTimeout(r, 150));
    raw.socket.write(piece);
  }
  await waitFor('the answer', () => raw.received.includes('"hello":"world"'), 5000, 20);
  expect(raw.received).toMatch(/^HTTP\/1\.1 200/);
  raw.socket.destroy();
});

it('refuses HEADERS_TIMEOUT_MS above REQUEST_TIMEOUT_MS and a negative cap at start-up', () => {
  expect(() => loadGatewayOptions({ CITY_AUTH: 'off', HEADERS_TIMEOUT_MS: '40000', REQUEST_TIMEOUT_MS: '30000' })).toThrow(/HEADERS_TIMEOUT_MS: must not be more than REQUEST_TIMEOUT_MS/);
  expect(() => loadGatewayOptions({ CITY_AUTH: 'off', MAX_CONNECTIONS_PER_IP: '-1' })).toThrow(/MAX_CONNECTIONS_PER_IP/);
  expect(loadGatewayOptions({ CITY_AUTH: 'off' }).connections).toEqual({ headersTimeoutMs: 10000, requestTimeoutMs: 30000, maxPerIp: 256 });
});
