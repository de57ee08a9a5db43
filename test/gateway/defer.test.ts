import { createClient as createSseClient } from 'graphql-sse';
import { createClient as createWsClient } from 'graphql-ws';
import WebSocket from 'ws';
import { loadGatewayOptions } from '../../gateway/config';
import { createGatewayServer, type GatewayServer } from '../../gateway/server';
import { composeSubgraphs } from '../../gateway/supergraph/compose';
import { allParts, multipartParts } from '../support/multipart';
import { startTinySubgraph, type TinySubgraph } from '../support/tiny-subgraph';

/**
 * `@defer` end to end through real HTTP, graphql-ws and SSE, over two subgraphs: the places come
 * from `places`, each place's slow `forecast` from `weather` (an entity fetch that takes 1.2 s).
 * Deferring the forecast lets the first part arrive before the weather subgraph has answered.
 */
const PLACES_SDL = `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])
  type Place @key(fields: "id") { id: ID! name: String! }
  type Query { places: [Place!]! }
`;
const WEATHER_SDL = `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])
  type Place @key(fields: "id") { id: ID! forecast: String! }
`;
const SLOW_MS = 1200;
const PLACES = [
  { id: 'p1', name: 'Shuibei' },
  { id: 'p2', name: 'Dongxiao' },
];
const DEFERRED = 'query Places { places { id name ... @defer(label: "forecast") { forecast } } }';
const MULTIPART = 'multipart/mixed; deferSpec=20220824, application/json';

let places: TinySubgraph;
let weather: TinySubgraph;
let gateway: GatewayServer;
let origin: string;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

beforeAll(async () => {
  places = await startTinySubgraph(PLACES_SDL, { Query: { places: () => PLACES } });
  weather = await startTinySubgraph(WEATHER_SDL, {
    Place: {
      __resolveReference: (ref: { id: string }) => ref,
      forecast: async (p: { id: string }) => {
        await sleep(SLOW_MS);
        return `sunny at ${p.id}`;
      },
    },
  });
  const sdl = composeSubgraphs([
    { name: 'places', url: places.url, sdl: PLACES_SDL },
    { name: 'weather', url: weather.url, sdl: WEATHER_SDL },
  ]).supergraphSdl!;
  const options = loadGatewayOptions({ NODE_ENV: 'test', CITY_AUTH: 'off', RATE_LIMIT_MAX: '0', CLIENT_MAX_IN_FLIGHT: '2', CLIENT_MAX_QUEUED: '0', BATCH_MAX: '5' });
  gateway = await createGatewayServer({ ...options, port: 0, supergraph: { kind: 'sdl', sdl } });
  origin = await gateway.listen(0);
  // Plans and connections made once, so the timings below are the deferral's, not a cold start's.
  await allParts(await post(DEFERRED, MULTIPART));
});

afterAll(async () => {
  await gateway?.stop();
  await places?.stop();
  await weather?.stop();
});

const post = (query: string, accept: string, variables: Record<string, unknown> = {}) =>
  fetch(`${origin}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', accept }, body: JSON.stringify({ query, variables }) });

it('answers multipart/mixed; deferSpec=20220824: the first part before the slow subgraph answered, the forecasts after', async () => {
  const started = Date.now();
  const res = await post(DEFERRED, MULTIPART);
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toBe('multipart/mixed; boundary="graphql"; deferSpec=20220824');
  const parts = await allParts(res, started);
  expect(parts[0].body).toEqual({ data: { places: PLACES }, hasNext: true });
  const last = parts[parts.length - 1];
  expect(last.body.hasNext).toBe(false);
  expect(last.atMs).toBeGreaterThanOrEqual(SLOW_MS - 50);
  // The first part did not wait for the slow subgraph.
  expect(last.atMs - parts[0].atMs).toBeGreaterThan(SLOW_MS / 2);
  // Every deferred forecast arrives at its place's path, labelled.
  const incremental = parts.slice(1).flatMap((p) => p.body.incremental ?? []);
  expect(incremental).toEqual(
    expect.arrayContaining([
      { data: { forecast: 'sunny at p1' }, path: ['places', 0], label: 'forecast' },
      { data: { forecast: 'sunny at p2' }, path: ['places', 1], label: 'forecast' },
    ]),
  );
});

it('answers a deferred operation whole, in one JSON response, when Accept does not take multipart', async () => {
  // Only another spec version and no JSON: nothing this server can answer in (GraphQL over HTTP's 406).
  expect((await post(DEFERRED, 'multipart/mixed; deferSpec=20990101')).status).toBe(406);
  for (const accept of ['application/json', 'application/graphql-response+json', '*/*', 'multipart/mixed; deferSpec=20990101, application/json']) {
    const res = await post(DEFERRED, accept);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).not.toContain('multipart');
    const body = (await res.json()) as { data: { places: Array<{ id: string; forecast: string }> } };
    expect(body.data.places).toEqual(expect.arrayContaining([expect.objectContaining({ id: 'p1', forecast: 'sunny at p1' })]));
  }
  // GraphiQL's fetcher sends the bare type: accepted.
  const graphiql = await post(DEFERRED, 'application/json, multipart/mixed');
  expect(graphiql.headers.get('content-type')).toContain('multipart/mixed');
  await allParts(graphiql);
  // @defer(if: false) defers nothing: one JSON answer, whatever the client accepts.
  const never = await post('query Places($d: Boolean!) { places { id ... @defer(if: $d) { forecast } } }', 'application/json', { d: false });
  expect(never.status).toBe(200);
  expect(await never.json()).toEqual({ data: { places: [{ id: 'p1', forecast: 'sunny at p1' }, { id: 'p2', forecast: 'sunny at p2' }] } });
});

it('runs the pipeline on deferred operations and gives the slot back after the last part', async () => {
  // Validation inside a deferred fragment, as for any operation.
  const invalid = await post('{ places { id ... @defer { weather } } }', MULTIPART);
  expect(invalid.status).toBe(400);
  expect(((await invalid.json()) as any).errors[0].extensions.code).toBe('GRAPHQL_VALIDATION_FAILED');
  // Two slots, no queue: while two deferred answers stream, a third is refused; once they are done, it runs.
  const started = Date.now();
  const streaming = [await post(DEFERRED, MULTIPART), await post(DEFERRED, MULTIPART)];
  const third = await post('{ places { id } }', 'application/json');
  expect(third.status).toBe(429);
  expect(((await third.json()) as any).errors[0].extensions.code).toBe('RATE_LIMITED');
  for (const res of streaming) await allParts(res, started);
  const after = await post('{ places { id } }', 'application/json');
  expect(after.status).toBe(200);
});

it('answers a deferred operation in a batch BAD_REQUEST in its place, the others as usual', async () => {
  const res = await fetch(`${origin}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: MULTIPART },
    body: JSON.stringify([{ query: DEFERRED }, { query: '{ places { id } }' }]),
  });
  expect(res.status).toBe(200);
  const [deferred, plain] = (await res.json()) as any[];
  expect(deferred.errors[0].extensions).toMatchObject({ code: 'BAD_REQUEST', field: 'query' });
  expect(plain).toEqual({ data: { places: [{ id: 'p1' }, { id: 'p2' }] } });
});

it('gives the slot back when the client goes away mid-answer', async () => {
  const controller = new AbortController();
  const res = await fetch(`${origin}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: MULTIPART },
    body: JSON.stringify({ query: DEFERRED }),
    signal: controller.signal,
  });
  const parts = multipartParts(res);
  expect((await parts.next()).value?.body.hasNext).toBe(true);
  controller.abort();
  await sleep(SLOW_MS + 200);
  const answers = await Promise.all([post('{ places { id } }', 'application/json'), post('{ places { id } }', 'application/json')]);
  expect(answers.map((a) => a.status)).toEqual([200, 200]);
});

it('sends each part as its own next message over graphql-ws', async () => {
  const client = createWsClient({ url: `${origin.replace(/^http/, 'ws')}/graphql`, webSocketImpl: WebSocket, retryAttempts: 0 });
  try {
    const started = Date.now();
    const got: Array<{ body: any; atMs: number }> = [];
    for await (const message of client.iterate({ query: DEFERRED })) got.push({ body: message, atMs: Date.now() - started });
    expect(got[0].body).toEqual({ data: { places: PLACES }, hasNext: true });
    expect(got[got.length - 1].body.hasNext).toBe(false);
    expect(got[got.length - 1].atMs - got[0].atMs).toBeGreaterThan(SLOW_MS / 2);
    expect(got.slice(1).flatMap((m) => m.body.incremental ?? []).map((i: any) => i.data.forecast).sort()).toEqual(['sunny at p1', 'sunny at p2']);
  } finally {
    await client.dispose();
  }
});

it('sends each part as its own next event over SSE', async () => {
  const client = createSseClient({ url: `${origin}/graphql/stream`, retryAttempts: 0 });
  try {
    const got: any[] = [];
    for await (const message of client.iterate({ query: DEFERRED })) got.push(message);
    expect(got[0]).toEqual({ data: { places: PLACES }, hasNext: true });
    expect(got[got.length - 1].hasNext).toBe(false);
    expect(got.slice(1).flatMap((m) => m.incremental ?? []).map((i: any) => i.data.forecast).sort()).toEqual(['sunny at p1', 'sunny at p2']);
  } finally {
    client.dispose();
  }
});
