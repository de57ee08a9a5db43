import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createClient as createWsClient } from 'graphql-ws';
import Redis from 'ioredis';
import WebSocket from 'ws';
import { createModels } from '../../subgraphs/parking/models';
import { publishAvailability } from '../../subgraphs/parking/events';
import { COMMUNITIES, DEMO_RESIDENT_ID, DONGXIAO_STREET, OTHER_RESIDENTS, SHUIBEI } from '../../shared/dev/demo';
import { ROOT_DIR } from '../../shared/platform/schema';
import { SUBGRAPH_NAMES } from '../../shared/subgraph/subgraph-deps';
import type { GatewayServer } from '../../gateway/server';
import { gatewayOptions } from '../support/gateway';
import { startGraph, type RunningGraph } from '../support/graph';
import { arrivalToday } from '../support/arrival';

/**
 * The gateway's response cache follows the subgraphs' `@cacheControl` hints through real HTTP:
 * cacheable answers are replayed without touching a subgraph, uncacheable ones never are, answers
 * never cross viewers, and mutations (here or, through Redis, on another replica) empty it.
 */
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const contract = readFileSync(path.join(ROOT_DIR, 'test', 'contract', 'operations.graphql'), 'utf8');
const centre = COMMUNITIES.find((c) => c.streetCode === DONGXIAO_STREET)!;
const LOTS_OF_DONGXIAO = `query Lots($code: ID!) { community(code: $code) { name parkingLots { id name freeSpacesNow } } }`;

let graph: RunningGraph;
let residentToken: string;
let otherToken: string;

function commands(): number {
  return SUBGRAPH_NAMES.reduce((n, s) => n + graph.subgraphs[s].db.counter.total, 0);
}

async function post(url: string, query: string, variables: Record<string, unknown>, token?: string, operationName?: string) {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (token) headers.authorization = `Bearer ${token}`;
  const res = await fetch(url, { method: 'POST', headers, body: JSON.stringify({ query, variables, operationName }) });
  return { cacheControl: res.headers.get('cache-control'), body: (await res.json()) as { data?: any; errors?: any[] } };
}

beforeAll(async () => {
  graph = await startGraph();
  residentToken = graph.token({ role: 'resident', subject: DEMO_RESIDENT_ID, residentId: DEMO_RESIDENT_ID });
  otherToken = graph.token({ role: 'resident', subject: OTHER_RESIDENTS[0].id, residentId: OTHER_RESIDENTS[0].id });
}, 120000);

afterAll(async () => {
  await graph?.stop();
});

it('replays a public dashboard answer for its hint (max-age=5, public) without any subgraph work', async () => {
  const first = await post(graph.gatewayUrl, contract, { code: SHUIBEI }, undefined, 'CommunityDashboard');
  expect(first.body.errors).toBeUndefined();
  // Every part is hinted; the live figures (free spaces, beds, stats, hours) allow 5 s.
  expect(first.cacheControl).toBe('max-age=5, public');
  const before = commands();
  const hits = graph.gateway.responseCache!.hits;
  const second = await post(graph.gatewayUrl, contract, { code: SHUIBEI }, undefined, 'CommunityDashboard');
  expect(second.body).toEqual(first.body);
  expect(commands()).toBe(before);
  expect(graph.gateway.responseCache!.hits).toBe(hits + 1);
  expect(second.cacheControl).toMatch(/^max-age=[0-5], public$/);

  // Operators see it at /metrics.
  const metrics = await (await fetch(graph.gatewayUrl.replace(/\/graphql$/, '/metrics'))).text();
  expect(metrics).toMatch(/^gateway_response_cache_events_total\{[^}]*event="hit"[^}]*\} [1-9]/m);
  expect(metrics).toMatch(/^gateway_response_cache_entries(\{[^}]*\})? [1-9]/m);
});

it('never caches an answer with an unhinted part (a resident\'s own page)', async () => {
  const first = await post(graph.gatewayUrl, contract, {}, residentToken, 'MyCity');
  expect(first.body.errors).toBeUndefined();
  expect(first.cacheControl).toBe('no-store');
  const before = commands();
  await post(graph.gatewayUrl, contract, {}, residentToken, 'MyCity');
  expect(commands()).toBeGreaterThan(before);
});

it('keeps answers per viewer and marks a signed-in viewer\'s answer private', async () => {
  const anonymous = await post(graph.gatewayUrl, LOTS_OF_DONGXIAO, { code: centre.code });
  expect(anonymous.body.errors).toBeUndefined();
  expect(anonymous.cacheControl).toBe('max-age=5, public');

  // The same query from a resident is not served the anonymous entry: it is computed for them.
  let before = commands();
  const resident = await post(graph.gatewayUrl, LOTS_OF_DONGXIAO, { code: centre.code }, residentToken);
  expect(commands()).toBeGreaterThan(before);
  expect(resident.cacheControl).toBe('max-age=5, private');
  // ...and then replayed to that resident only.
  before = commands();
  await post(graph.gatewayUrl, LOTS_OF_DONGXIAO, { code: centre.code }, residentToken);
  expect(commands()).toBe(before);
  await post(graph.gatewayUrl, LOTS_OF_DONGXIAO, { code: centre.code }, otherToken);
  expect(commands()).toBeGreaterThan(before);
});

it('a mutation through the gateway empties the cache: the next answer shows it at once', async () => {
  const arriveAt = await arrivalToday(30);
  const near = await post(graph.gatewayUrl, contract, { lat: centre.lat, lng: centre.lng, radiusMeters: 1000 }, undefined, 'NearbyParking');
  expect(near.body.errors).toBeUndefined();
  // Open requests may differ per viewer (PRIVATE), so the shortest hint and the narrowest scope win.
  expect(near.cacheControl).toBe('max-age=5, private');
  const lot = near.body.data.parkingLotsNear[0];
  const cached = await post(graph.gatewayUrl, contract, { lat: centre.lat, lng: centre.lng, radiusMeters: 1000 }, undefined, 'NearbyParking');
  expect(cached.body).toEqual(near.body);

  const reserved = await post(graph.gatewayUrl, contract, { lotId: lot.id, plate: '粤B7C101', arriveAt }, residentToken, 'ReserveParking');
  expect(reserved.body.errors).toBeUndefined();
  expect(reserved.cacheControl).toBe('no-store');

  const after = await post(graph.gatewayUrl, contract, { lat: centre.lat, lng: centre.lng, radiusMeters: 1000 }, undefined, 'NearbyParking');
  const again = after.body.data.parkingLotsNear.find((l: any) => l.id === lot.id);
  expect(again?.freeSpacesNow ?? 0).toBe(lot.freeSpacesNow - 1);
});

it('a mutation refused before it runs (bad token, unknown field, bad variables) empties nothing', async () => {
  const cache = graph.gateway.responseCache!;
  const before = cache.invalidations;
  const arriveAt = new Date(Date.now() + 30 * 60000).toISOString();
  const forged = graph.token({ role: 'resident', subject: DEMO_RESIDENT_ID, residentId: DEMO_RESIDENT_ID }).replace(/.$/, (c) => (c === 'A' ? 'B' : 'A'));
  const refused = [
    await post(graph.gatewayUrl, contract, { lotId: 'PL-XX-99', plate: '粤B7C101', arriveAt }, forged, 'ReserveParking'),
    await post(graph.gatewayUrl, 'mutation { cancelParkingReservation(id: "x") { nope } }', {}, residentToken),
    await post(graph.gatewayUrl, contract, { lotId: 1, plate: null, arriveAt: 'never' }, residentToken, 'ReserveParking'),
  ];
  expect(refused.map((r) => r.body.errors?.[0]?.extensions?.code)).toEqual(['UNAUTHENTICATED', 'GRAPHQL_VALIDATION_FAILED', 'BAD_USER_INPUT']);
  expect(cache.invalidations).toBe(before);
});

it('does not cache answers with errors', async () => {
  const bad = await post(graph.gatewayUrl, `{ parkingLotsNear(lat: 22.5, lng: 114.1, radiusMeters: 999999) { id } }`, {});
  expect(bad.body.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
  const size = graph.gateway.responseCache!.size;
  await post(graph.gatewayUrl, `{ parkingLotsNear(lat: 22.5, lng: 114.1, radiusMeters: 999999) { id } }`, {});
  expect(graph.gateway.responseCache!.size).toBe(size);
});

it('an event a subgraph streams to the gateway empties the cache, without Redis (a change behind the gateway)', async () => {
  const filled = await post(graph.gatewayUrl, LOTS_OF_DONGXIAO, { code: centre.code });
  const lotId = filled.body.data.community.parkingLots[0].id;
  expect(graph.gateway.responseCache!.size).toBeGreaterThan(0);

  const client = createWsClient({ url: graph.gatewayUrl.replace(/^http/, 'ws'), webSocketImpl: WebSocket, retryAttempts: 0 });
  const events: unknown[] = [];
  const subscribed = new Promise<void>((resolve) => {
    client.on('connected', () => setTimeout(resolve, 300));
  });
  const dispose = client.subscribe(
    { query: 'subscription($id: ID!) { parkingAvailabilityChanged(lotId: $id) { id freeSpacesNow } }', variables: { id: lotId } },
    { next: (e) => void events.push(e), error: () => {}, complete: () => {} },
  );
  try {
    await subscribed;
    await post(graph.gatewayUrl, LOTS_OF_DONGXIAO, { code: centre.code });
    expect(graph.gateway.responseCache!.size).toBeGreaterThan(0);
    // What a scheduled rule does after freeing a space: publish on the subgraph's own pub/sub.
    const lot = await createModels(graph.subgraphs.parking.db.conn).Lot.findById(lotId).lean();
    await publishAvailability(graph.subgraphs.parking.pubsub, lot as never);
    const deadline = Date.now() + 3000;
    while (events.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect(events.length).toBe(1);
    expect(graph.gateway.responseCache!.size).toBe(0);
  } finally {
    dispose();
    await client.dispose();
  }
});

it('a new supergraph empties the cache: no answer made under the old one is replayed', async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'citygraph-cache-'));
  const file = path.join(dir, 'supergraph.graphql');
  const sdl = readFileSync(path.join(ROOT_DIR, 'schema', 'supergraph.graphql'), 'utf8');
  writeFileSync(file, sdl);
  const { server: watched, url } = await graph.startGateway({ supergraph: { kind: 'file', path: file }, watchSupergraph: true });
  try {
    await post(url, LOTS_OF_DONGXIAO, { code: centre.code });
    expect(watched.responseCache!.size).toBe(1);
    writeFileSync(file, `${sdl}\n# recomposed\n`);
    const deadline = Date.now() + 5000;
    while (watched.responseCache!.size > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect(watched.responseCache!.size).toBe(0);
  } finally {
    await watched.stop();
    rmSync(dir, { recursive: true, force: true });
  }
});

it('holds at most RESPONSE_CACHE_MAX_BYTES: the oldest answers go first, a larger answer is not kept', async () => {
  // The sizes of two answers, as the cache measures them.
  const sized = graph.gateway.responseCache!;
  sized.invalidate();
  await post(graph.gatewayUrl, LOTS_OF_DONGXIAO, { code: centre.code });
  const lotsBytes = sized.heldBytes;
  await post(graph.gatewayUrl, contract, { code: SHUIBEI }, undefined, 'CommunityDashboard');
  const dashboardBytes = sized.heldBytes - lotsBytes;
  expect(lotsBytes).toBeGreaterThan(100);
  expect(dashboardBytes).toBeGreaterThan(100);

  const bounded = async (maxBytes: number) => {
    const defaults = gatewayOptions({});
    return graph.startGateway({ perf: { ...defaults.perf!, responseCache: { ...defaults.perf!.responseCache, maxBytes } } });
  };

  // Room for either answer but not both: the second pushes the first out.
  const both = await bounded(lotsBytes + dashboardBytes - 1);
  try {
    await post(both.url, LOTS_OF_DONGXIAO, { code: centre.code });
    await post(both.url, contract, { code: SHUIBEI }, undefined, 'CommunityDashboard');
    expect(both.server.responseCache!.size).toBe(1);
    expect(both.server.responseCache!.heldBytes).toBe(dashboardBytes);
  } finally {
    await both.server.stop();
  }
  // Room for the smaller answer only: the larger one is answered but never kept.
  const small = await bounded(Math.min(lotsBytes, dashboardBytes));
  try {
    await post(small.url, LOTS_OF_DONGXIAO, { code: centre.code });
    await post(small.url, contract, { code: SHUIBEI }, undefined, 'CommunityDashboard');
    expect(small.server.responseCache!.size).toBe(1);
    expect(small.server.responseCache!.heldBytes).toBe(Math.min(lotsBytes, dashboardBytes));
  } finally {
    await small.server.stop();
  }
});

it('starts and serves with its cache when Redis is unreachable', async () => {
  const started = Date.now();
  const { server: lonely, url } = await graph.startGateway({ redisUrl: 'redis://127.0.0.1:9' }); // nothing listens there
  try {
    expect(Date.now() - started).toBeLessThan(10_000);
    const first = await post(url, LOTS_OF_DONGXIAO, { code: centre.code });
    expect(first.body.errors).toBeUndefined();
    await post(url, LOTS_OF_DONGXIAO, { code: centre.code });
    expect(lonely.responseCache!.hits).toBe(1);
  } finally {
    await lonely.stop();
  }
});

describe('two gateway replicas with Redis', () => {
  let a: GatewayServer;
  let b: GatewayServer;
  let aUrl: string;
  let bUrl: string;

  beforeAll(async () => {
    const redis = new Redis(REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 1 });
    await redis.connect();
    await redis.quit();
    [{ server: a, url: aUrl }, { server: b, url: bUrl }] = await Promise.all([
      graph.startGateway({ redisUrl: REDIS_URL }),
      graph.startGateway({ redisUrl: REDIS_URL }),
    ]);
  });

  afterAll(async () => {
    await a?.stop();
    await b?.stop();
  });

  it('a mutation served by one replica empties the other replica\'s cache', async () => {
    const arriveAt = await arrivalToday(40);
    const first = await post(bUrl, LOTS_OF_DONGXIAO, { code: centre.code });
    expect(first.body.errors).toBeUndefined();
    const lot = first.body.data.community.parkingLots.find((l: any) => l.freeSpacesNow > 0);
    expect(b.responseCache!.size).toBeGreaterThan(0);

    const reserved = await post(aUrl, contract, { lotId: lot.id, plate: '粤B7C102', arriveAt }, otherToken, 'ReserveParking');
    expect(reserved.body.errors).toBeUndefined();

    // The invalidation travels through Redis; B answers fresh data within moments, not after 5 s.
    const deadline = Date.now() + 2000;
    let seen = -1;
    while (Date.now() < deadline) {
      const now = await post(bUrl, LOTS_OF_DONGXIAO, { code: centre.code });
      seen = now.body.data.community.parkingLots.find((l: any) => l.id === lot.id).freeSpacesNow;
      if (seen === lot.freeSpacesNow - 1) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(seen).toBe(lot.freeSpacesNow - 1);
  });
});
