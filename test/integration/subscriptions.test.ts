import { createClient as createSseClient } from 'graphql-sse';
import { createClient as createWsClient, type Client } from 'graphql-ws';
import Redis from 'ioredis';
import WebSocket from 'ws';
import { untilUpstreamStreams } from '../support/live';
import { randomBytes } from 'node:crypto';
import { DEMO_RESIDENT_ID, DONGXIAO_STREET, COMMUNITIES, SHUIBEI } from '../../shared/dev/demo';
import { RedisPubSub } from '../../shared/platform/pubsub-redis';
import { InProcessPubSub } from '../../shared/platform/pubsub';
import { createSubgraph as createRequestsSubgraph } from '../../subgraphs/requests/server';
import { startGraph, type RunningGraph } from '../support/graph';
import { gql, residentViewer, testConfig } from '../support/subgraph';
import { arrivalToday } from '../support/arrival';

/**
 * The contract's subscriptions through the gateway against the city graph: a mutation through
 * the gateway makes an event arrive carrying fields from two subgraphs, over graphql-ws and SSE.
 */
const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const prefix = `citygraph-test-${randomBytes(4).toString('hex')}:`;
let redisUp = false;
let graph: RunningGraph;
let token: string;
let wsUrl: string;

beforeAll(async () => {
  const probe = new Redis(REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
  redisUp = await probe.connect().then(() => true, () => false);
  probe.disconnect();
  // The requests subgraph publishes through Redis (when it is there) so a second replica can join.
  graph = await startGraph({ pubsub: (name) => (name === 'requests' && redisUp ? new RedisPubSub(REDIS_URL, prefix) : new InProcessPubSub()) });
  token = graph.token({ role: 'resident', subject: DEMO_RESIDENT_ID, residentId: DEMO_RESIDENT_ID });
  wsUrl = graph.gatewayUrl.replace(/^http/, 'ws');
}, 120000);

afterAll(async () => {
  await graph?.stop();
});

function wsClient(authorization?: string): Client {
  return createWsClient({ url: wsUrl, webSocketImpl: WebSocket, retryAttempts: 0, connectionParams: authorization ? { authorization } : {} });
}

function firstEvent(client: Client, query: string, variables: Record<string, unknown>): { event: Promise<any>; dispose: () => void } {
  let dispose!: () => void;
  const event = new Promise<any>((resolve, reject) => {
    dispose = client.subscribe({ query, variables }, { next: resolve, error: reject, complete: () => {} });
  });
  return { event, dispose };
}


it('LiveParking over graphql-ws: a reservation through the gateway brings free spaces and the lot\'s complaints', async () => {
  const arriveAt = await arrivalToday(20);
  const centre = COMMUNITIES.find((c) => c.streetCode === DONGXIAO_STREET)!;
  const near = await graph.query('query($lat: Float!, $lng: Float!) { parkingLotsNear(lat: $lat, lng: $lng, radiusMeters: 1000, onlyAvailable: true) { id freeSpacesNow } }', { lat: centre.lat, lng: centre.lng });
  const lot = near.data.parkingLotsNear[0];
  const client = wsClient(`Bearer ${token}`);
  const sub = firstEvent(client, 'subscription LiveParking($lotId: ID!) { parkingAvailabilityChanged(lotId: $lotId) { id freeSpacesNow openRequests { id } } }', { lotId: lot.id });
  await untilUpstreamStreams(graph, 1);
  const reserved = await graph.query(
    'mutation($lotId: ID!, $arriveAt: DateTime!) { reserveParking(lotId: $lotId, plate: "粤B7Q210", arriveAt: $arriveAt) { id } }',
    { lotId: lot.id, arriveAt },
    token,
  );
  expect(reserved.errors).toBeUndefined();
  const event = await sub.event;
  expect(event.errors).toBeUndefined();
  expect(event.data.parkingAvailabilityChanged).toEqual({ id: lot.id, freeSpacesNow: lot.freeSpacesNow - 1, openRequests: expect.any(Array) });
  sub.dispose();
  await client.dispose();
});

it('LiveRequests over SSE: a submitted request arrives with its lot from the parking subgraph', async () => {
  const dashboard = await graph.query('query($code: ID!) { community(code: $code) { parkingLots { id name freeSpacesNow } } }', { code: SHUIBEI });
  const lot = dashboard.data.community.parkingLots[0];
  const client = createSseClient({ url: `${graph.gatewayUrl}/stream`, retryAttempts: 0, headers: { authorization: `Bearer ${token}` } });
  const events: any[] = [];
  const got = new Promise<void>((resolve, reject) =>
    client.subscribe(
      { query: 'subscription LiveRequests($c: ID!) { requestUpdated(communityCode: $c) { id status level parkingLot { name freeSpacesNow } } }', variables: { c: SHUIBEI } },
      { next: (e) => { events.push(e); resolve(); }, error: reject, complete: () => {} },
    ),
  );
  await untilUpstreamStreams(graph, 1);
  const submitted = await graph.query(
    'mutation($input: SubmitRequestInput!) { submitRequest(input: $input) { id } }',
    { input: { title: '停车场出口拥堵', description: '晚高峰停车场出口车辆排队到马路上，影响通行。', channel: 'I_SHENZHEN', communityCode: SHUIBEI, parkingLotId: lot.id } },
    token,
  );
  expect(submitted.errors).toBeUndefined();
  await got;
  expect(events[0].errors).toBeUndefined();
  expect(events[0].data.requestUpdated).toMatchObject({ id: submitted.data.submitRequest.id, parkingLot: { name: lot.name, freeSpacesNow: expect.any(Number) } });
  client.dispose();
});

it('refuses a WebSocket connection with a forged token', async () => {
  const client = createWsClient({ url: wsUrl, webSocketImpl: WebSocket, retryAttempts: 0, connectionParams: { authorization: 'Bearer forged.token.value' } });
  const outcome = await new Promise<any>((resolve) => {
    client.subscribe({ query: 'subscription { requestStatsChanged(communityCode: "440303003001") { received } }' }, { next: () => resolve('event'), error: resolve, complete: () => resolve('complete') });
  });
  expect(outcome?.code).toBe(4403);
  await client.dispose();
});

it('with Redis, an event published by one requests replica reaches a client whose upstream is the other', async () => {
  if (!redisUp) {
    console.warn(`SKIPPED: Redis is not reachable at ${REDIS_URL}`);
    return;
  }
  // Replica A shares replica B's database and Redis; the gateway only knows replica B.
  const pubsubA = new RedisPubSub(REDIS_URL, prefix);
  const replicaA = await createRequestsSubgraph({ db: graph.subgraphs.requests.db, config: testConfig, pubsub: pubsubA, clock: () => new Date() });
  const urlA = `${await replicaA.listen(0)}`;
  try {
    const client = wsClient(`Bearer ${token}`);
    const sub = firstEvent(client, 'subscription($c: ID!) { requestStatsChanged(communityCode: $c) { received } }', { c: SHUIBEI });
    await untilUpstreamStreams(graph, 1);
    const before = await graph.query('query($c: ID!) { community(code: $c) { requestStats { received } } }', { c: SHUIBEI });
    const direct = await gql(
      urlA,
      'mutation($input: SubmitRequestInput!) { submitRequest(input: $input) { id } }',
      { input: { title: '垃圾桶满溢', description: '水贝二路垃圾桶两天没人清运，气味很大。', channel: 'WECHAT', communityCode: SHUIBEI } },
      residentViewer(DEMO_RESIDENT_ID),
    );
    expect(direct.errors).toBeUndefined();
    const event = await sub.event;
    expect(event.data.requestStatsChanged.received).toBe(before.data.community.requestStats.received + 1);
    sub.dispose();
    await client.dispose();
  } finally {
    await replicaA.stop();
    await pubsubA.close();
  }
});
