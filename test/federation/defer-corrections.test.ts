import { parse } from 'graphql';
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
