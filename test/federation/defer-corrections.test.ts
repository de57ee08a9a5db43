import { parse } from 'graphql';
import { createClient as createSseClient } from 'graphql-sse';
import { createClient as createWsClient } from 'graphql-ws';
import WebSocket from 'ws';
import { allParts } from '../support/multipart';
import { collectPayloads, useFixtureGateway } from './harness';
import { fixtures } from './cases/apollo-misses';

/*
 * The plan corrections (gateway/plan) on the executor's direct path for @defer, where Apollo
 * Server's executor wrapper does not run: a deferred fragment that selects a field a @requires
 * needs with other arguments is planned from the rewritten document (the client's copy under an
 * alias of its own) and every part is sent back under the client's names.
 */

const fixture = useFixtureGateway(fixtures.find((f) => f.name === 'requires-with-arguments')!);

const context = { viewer: { role: 'PUBLIC' } } as never;

it("answers a deferred field a @requires needs with other arguments with the client's arguments and names", async () => {
  const outcome = await fixture.server.executor!.execute({
    document: parse('{ products { id ... @defer(label: "prices") { price(currency: "GBP") priceInEur } } }'),
    context,
  });
  if (outcome.kind !== 'incremental') throw new Error(`expected an incremental outcome, got ${JSON.stringify(outcome)}`);
  expect(outcome.initial).toEqual({ data: { products: [{ id: 'p1' }, { id: 'p2' }] }, hasNext: true });
  const items = (await collectPayloads(outcome.subsequent)).flatMap((p) => p.incremental ?? []);
  expect(items).toEqual([
    { data: { price: 80, priceInEur: 90 }, path: ['products', 0], label: 'prices' },
    { data: { price: 0, priceInEur: 0 }, path: ['products', 1], label: 'prices' },
  ]);
});

it('restores the names in the initial answer when the rewritten field is not deferred', async () => {
  const outcome = await fixture.server.executor!.execute({
    document: parse('{ products { id: price(currency: "GBP") ... @defer { priceInEur } } }'),
    context,
  });
  if (outcome.kind !== 'incremental') throw new Error(`expected an incremental outcome, got ${JSON.stringify(outcome)}`);
  expect(outcome.initial).toEqual({ data: { products: [{ id: 80 }, { id: 0 }] }, hasNext: true });
  const items = (await collectPayloads(outcome.subsequent)).flatMap((p) => p.incremental ?? []);
  expect(items).toEqual([
    { data: { priceInEur: 90 }, path: ['products', 0] },
    { data: { priceInEur: 0 }, path: ['products', 1] },
  ]);
});

it("keeps the client's path on an error in a deferred part", async () => {
  const outcome = await fixture.server.executor!.execute({
    document: parse('{ products { id ... @defer { price(currency: "JPY") priceInEur } } }'),
    context,
  });
  if (outcome.kind !== 'incremental') throw new Error(`expected an incremental outcome, got ${JSON.stringify(outcome)}`);
  const items = (await collectPayloads(outcome.subsequent)).flatMap((p) => p.incremental ?? []);
  const paths = items.flatMap((i) => (i.errors ?? []).map((e) => e.path));
  expect(paths.length).toBeGreaterThan(0);
  for (const path of paths) expect(JSON.stringify(path)).not.toContain('cg');
  expect(items.map((i) => i.data)).toEqual([
    { price: null, priceInEur: 90 },
    { price: null, priceInEur: 0 },
  ]);
});

it('gives the same corrected parts through every door that delivers @defer: HTTP multipart, graphql-ws and SSE', async () => {
  const query = '{ products { id ... @defer(label: "prices") { price(currency: "GBP") priceInEur } } }';
  const initial = { data: { products: [{ id: 'p1' }, { id: 'p2' }] }, hasNext: true };
  const items = [
    { data: { price: 80, priceInEur: 90 }, path: ['products', 0], label: 'prices' },
    { data: { price: 0, priceInEur: 0 }, path: ['products', 1], label: 'prices' },
  ];
  const incremental = (bodies: any[]) => bodies.slice(1).flatMap((b) => b.incremental ?? []).sort((a: any, b: any) => a.path[1] - b.path[1]);
  const origin = `http://127.0.0.1:${(fixture.server.httpServer.address() as { port: number }).port}`;

  const res = await fetch(`${origin}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'multipart/mixed; deferSpec=20220824, application/json' },
    body: JSON.stringify({ query }),
  });
  const http = (await allParts(res as never)).map((p) => p.body);
  expect(http[0]).toEqual(initial);
  expect(incremental(http)).toEqual(items);

  const ws = createWsClient({ url: `${origin.replace(/^http/, 'ws')}/graphql`, webSocketImpl: WebSocket, retryAttempts: 0 });
  const sse = createSseClient({ url: `${origin}/graphql/stream`, retryAttempts: 0 });
  try {
    for (const client of [ws, sse]) {
      const got: any[] = [];
      for await (const message of client.iterate({ query })) got.push(message);
      expect(got[0]).toEqual(initial);
      expect(incremental(got)).toEqual(items);
    }
  } finally {
    await ws.dispose();
    sse.dispose();
  }
});
