import { parse } from 'graphql';
import { collectPayloads, useFixtureGateway } from './harness';
import { fixtures } from './cases/operations';

/*
 * @defer on CityGraph's executor (gateway/executor): the planner's Defer nodes run, the initial
 * answer leaves the deferred fragments out, and each deferred part arrives as a subsequent
 * payload (deferSpec=20220824) at the concrete path of the object it was spread on.
 */

const fixture = useFixtureGateway(fixtures[1]);

const context = { viewer: { role: 'PUBLIC' } } as never;

it('delivers a deferred fragment from another subgraph after the initial answer', async () => {
  const outcome = await fixture.server.executor!.execute({ document: parse('{ product(upc: "1") { name ... @defer(label: "more") { reviewCount } } }'), context });
  expect(outcome.kind).toBe('incremental');
  if (outcome.kind !== 'incremental') return;
  expect(outcome.initial).toEqual({ data: { product: { name: 'Table' } }, hasNext: true });
  expect(await collectPayloads(outcome.subsequent)).toEqual([{ incremental: [{ data: { reviewCount: 2 }, path: ['product'], label: 'more' }], hasNext: false }]);
});

it('gives one incremental item per list element, at its index', async () => {
  const outcome = await fixture.server.executor!.execute({ document: parse('{ products { upc ... @defer { reviews { body } } } }'), context });
  if (outcome.kind !== 'incremental') throw new Error('expected an incremental outcome');
  expect(outcome.initial).toEqual({ data: { products: [{ upc: '1' }, { upc: '2' }] }, hasNext: true });
  const parts = await collectPayloads(outcome.subsequent);
  expect(parts.flatMap((p) => p.incremental ?? [])).toEqual([
    { data: { reviews: [{ body: 'Love it!' }, { body: 'Sturdy' }] }, path: ['products', 0] },
    { data: { reviews: [{ body: 'Too expensive.' }] }, path: ['products', 1] },
  ]);
  expect(parts[parts.length - 1].hasNext).toBe(false);
});

it('answers in one result when @defer(if: false) turns deferral off', async () => {
  const outcome = await fixture.server.executor!.execute({
    document: parse('query($d: Boolean!) { product(upc: "2") { name ... @defer(if: $d) { reviewCount } } }'),
    variables: { d: false },
    context,
  });
  expect(outcome).toEqual({ kind: 'single', result: { data: { product: { name: 'Couch', reviewCount: 1 } } } });
});

it('answers a deferred query in one response over plain HTTP (no multipart Accept)', async () => {
  const res = await fetch(`http://127.0.0.1:${(fixture.server.httpServer.address() as { port: number }).port}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query: '{ product(upc: "1") { name ... @defer { reviewCount } } }' }),
  });
  expect(await res.json()).toEqual({ data: { product: { name: 'Table', reviewCount: 2 } } });
});
