import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { composeSubgraphs } from '../../gateway/supergraph/compose';
import { createGatewayServer, type GatewayServer } from '../../gateway/server';
import { startFerret, type FerretInstance } from '../../shared/dev/ferret';
import { sendJson } from '../../shared/platform/http';
import { waitFor } from '../faults/harness';
import { gatewayOptions } from '../support/gateway';
import { startGraph, type RunningGraph } from '../support/graph';
import { startTinySubgraph, type TinySubgraph } from '../support/tiny-subgraph';

/**
 * `/health/ready` says whether the gateway can serve: each subgraph is asked at its own
 * `/health/ready` (which includes its database), and a subgraph that is not ready is named with
 * its reason. `/health` (liveness) stays 200 throughout.
 */

async function getJson(url: string): Promise<{ status: number; body: any; ms: number }> {
  const started = Date.now();
  const res = await fetch(url, { signal: AbortSignal.timeout(10000) });
  return { status: res.status, body: await res.json(), ms: Date.now() - started };
}

describe('city graph: a subgraph whose database goes away', () => {
  let dir: string;
  let ferret: FerretInstance;
  let graph: RunningGraph;
  let origin: string;

  beforeAll(async () => {
    // Parking gets a FerretDB of its own, so stopping it takes nothing else away.
    dir = mkdtempSync(path.join(os.tmpdir(), 'citygraph-ready-'));
    ferret = await startFerret(dir, 0);
    graph = await startGraph({ databaseUri: { parking: ferret.uri } });
    origin = new URL(graph.gatewayUrl).origin;
  });

  afterAll(async () => {
    await graph?.stop();
    await ferret?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('is ready while every database answers', async () => {
    const ready = await getJson(`${origin}/health/ready`);
    expect(ready.status).toBe(200);
    expect(ready.body).toMatchObject({
      status: 'ready',
      subgraphs: { requests: { status: 'up' }, parking: { status: 'up' }, hostels: { status: 'up' }, volunteers: { status: 'up' } },
    });
  });

  it('answers 503 naming the subgraph and why while its database is down, and 200 once it is back', async () => {
    const parkingOrigin = new URL(graph.subgraphs.parking.url).origin;
    await ferret.stop();

    // The subgraph itself: not ready within about a second, though its driver would wait longer.
    const own = await getJson(`${parkingOrigin}/health/ready`);
    expect(own).toMatchObject({ status: 503, body: { status: 'not ready', subgraph: 'parking', reason: 'database unavailable' } });
    expect(own.ms).toBeLessThan(2500);
    expect((await getJson(`${parkingOrigin}/health`)).status).toBe(200);

    const down = await waitFor('the gateway to report parking not ready', async () => {
      const r = await getJson(`${origin}/health/ready`);
      return r.status === 503 ? r : undefined;
    });
    expect(down.body).toEqual({
      status: 'not ready',
      ready: false,
      supergraphLoaded: true,
      subgraphs: {
        requests: { status: 'up' },
        parking: { status: 'down', reason: 'database unavailable' },
        hostels: { status: 'up' },
        volunteers: { status: 'up' },
      },
    });
    expect((await getJson(`${origin}/health`)).status).toBe(200);

    ferret = await startFerret(dir, ferret.port);
    const back = await waitFor(
      'the gateway to report ready again',
      async () => {
        const r = await getJson(`${origin}/health/ready`);
        return r.status === 200 ? r : undefined;
      },
      30000,
      250,
    );
    expect(back.body.subgraphs.parking).toEqual({ status: 'up' });
  });
});

describe('plain mode: subgraphs with and without a readiness endpoint', () => {
  const sdlA = `
    extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])
    type Query { a: String! }
  `;
  const sdlB = `
    extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])
    type Query { b: String! }
  `;
  let bReady: 'yes' | 'warming' | 'html' = 'yes';
  let aReadyCalls = 0;
  let a: TinySubgraph;
  let b: TinySubgraph;
  let gateway: GatewayServer;
  let origin: string;

  beforeAll(async () => {
    // `a` has no /health/ready (404), like most GraphQL servers: its readiness is `{ __typename }`.
    a = await startTinySubgraph(sdlA, { Query: { a: () => 'a' } }, (req: IncomingMessage, res: ServerResponse) => {
      if (!req.url?.startsWith('/health/ready')) return false;
      aReadyCalls += 1;
      sendJson(res, 404, { error: 'not found' });
      return true;
    });
    b = await startTinySubgraph(sdlB, { Query: { b: () => 'b' } }, (req: IncomingMessage, res: ServerResponse) => {
      if (!req.url?.startsWith('/health/ready')) return false;
      if (bReady === 'yes') sendJson(res, 200, { status: 'ready' });
      else if (bReady === 'warming') sendJson(res, 503, { status: 'not ready', reason: 'warming up' });
      else {
        res.writeHead(503, { 'content-type': 'text/html' });
        res.end('<h1>Service Unavailable</h1>');
      }
      return true;
    });
    const composed = composeSubgraphs([
      { name: 'a', url: a.url, sdl: sdlA },
      { name: 'b', url: b.url, sdl: sdlB },
    ]);
    gateway = await createGatewayServer(gatewayOptions({ supergraph: { kind: 'sdl', sdl: composed.supergraphSdl! } }));
    origin = await gateway.listen(0);
  });

  afterAll(async () => {
    await gateway?.stop();
    await b?.stop();
  });

  /** The gateway's readiness once its 1 s cache has passed and it matches `expected`. */
  const readiness = (expected: (body: any) => boolean) =>
    waitFor('readiness to change', async () => {
      const r = await getJson(`${origin}/health/ready`);
      return expected(r.body) ? r : undefined;
    });

  it('asks /health/ready, falls back to { __typename } where there is none, and passes 503 reasons on', async () => {
    const up = await getJson(`${origin}/health/ready`);
    expect(up).toMatchObject({ status: 200, body: { status: 'ready', subgraphs: { a: { status: 'up' }, b: { status: 'up' } } } });
    expect(aReadyCalls).toBeGreaterThan(0);

    bReady = 'warming';
    const warming = await readiness((body) => body.subgraphs.b.status === 'down');
    expect(warming.status).toBe(503);
    expect(warming.body.subgraphs).toEqual({ a: { status: 'up' }, b: { status: 'down', reason: 'warming up' } });

    // A 503 that is not ours (a proxy's page) still means not ready.
    bReady = 'html';
    const proxied = await readiness((body) => body.subgraphs.b.reason === 'HTTP 503');
    expect(proxied.status).toBe(503);

    bReady = 'yes';
    await a.stop();
    const gone = await readiness((body) => body.subgraphs.a.status === 'down');
    expect(gone.status).toBe(503);
    expect(gone.body.subgraphs).toEqual({ a: { status: 'down', reason: 'connection refused' }, b: { status: 'up' } });
  });
});
