import { operationFromDocument, Supergraph } from '@apollo/federation-internals';
import { QueryPlanner, type FetchNode, type PlanNode, type QueryPlan } from '@apollo/query-planner';
import { GraphQLError, parse, print } from 'graphql';
import { supergraphFacts } from '../../gateway/plan/facts';
import { composeSubgraphs } from '../../gateway/supergraph/compose';
import { resolvableKeysFirst } from '../../gateway/plan/resolvable-keys';
import { restoreResult, rewriteForPlanning, type ExecutionOutcome } from '../../gateway/plan/rewrite';
import { fixtures } from './cases/apollo-misses';
import { fixtures as mutationFixtures } from './cases/mutations';
import { postGraphQL, responseDifferences, startFixture, startGateway, type FederationFixture } from './harness';

/*
 * Stock Apollo Gateway 2.14's known misses (cases/apollo-misses.ts), over real HTTP: in-process
 * subgraphs on port 0, the supergraph composed from them, CityGraph's gateway in plain mode and a
 * stock `new ApolloGateway({ supergraphSdl })` in an ApolloServer side by side. CityGraph must
 * give the spec's answer and stock Apollo Gateway must not, or the correction would be pointless.
 * The plan tests below show where each fault lies: in what @apollo/query-planner returns.
 */

function fixture(name: string): FederationFixture {
  const found = [...fixtures, ...mutationFixtures].find((f) => f.name === name);
  if (!found) throw new Error(`no fixture ${name}`);
  return found;
}

type Started = { url: string; close(): Promise<void> };

describe.each(fixtures.map((f) => [f.name, f] as const))('%s', (_name, fx) => {
  let subgraphs: Awaited<ReturnType<typeof startFixture>>;
  let city: Started;
  let stock: Started;

  beforeAll(async () => {
    subgraphs = await startFixture(fx);
    city = await startGateway('citygraph', subgraphs.supergraphSdl);
    stock = await startGateway('apollo-gateway', subgraphs.supergraphSdl);
  });

  afterAll(async () => {
    await city?.close();
    await stock?.close();
    await subgraphs?.close();
  });

  it.each(fx.cases.map((c) => [c.name, c] as const))('CityGraph gives the spec answer: %s', async (_case, c) => {
    // Twice: the second answer comes from the cached (corrected) plan.
    for (let i = 0; i < 2; i++) expect(responseDifferences(c.expected, await postGraphQL(city.url, c))).toEqual([]);
  });

  it.each(fx.cases.map((c) => [c.name, c] as const))('stock Apollo Gateway does not: %s', async (_case, c) => {
    expect(responseDifferences(c.expected, await postGraphQL(stock.url, c))).not.toEqual([]);
  });
});

describe('what the corrections leave alone', () => {
  let started: Array<{ close(): Promise<void> }> = [];
  const serve = async (name: string) => {
    const subgraphs = await startFixture(fixture(name));
    const gateway = await startGateway('citygraph', subgraphs.supergraphSdl);
    started.push(gateway, subgraphs);
    return gateway.url;
  };
  afterAll(async () => {
    for (const s of started) await s.close();
    started = [];
  });

  it('answers queries that need no correction exactly as before', async () => {
    const prices = await serve('requires-with-arguments');
    // The requiring field alone, and a client alias that already keeps the copies apart.
    expect(await postGraphQL(prices, { query: '{ products { priceInEur } }' })).toEqual({ data: { products: [{ priceInEur: 90 }, { priceInEur: 0 }] } });
    expect(await postGraphQL(prices, { query: '{ products { gbp: price(currency: "GBP") priceInEur } }' })).toEqual({
      data: { products: [{ gbp: 80, priceInEur: 90 }, { gbp: 0, priceInEur: 0 }] },
    });
    // A client alias that looks like the correction's own is left alone (and answered as stock would).
    const own = await postGraphQL(prices, { query: '{ products { cgOwn__price: price(currency: "GBP") } }' });
    expect(own).toEqual({ data: { products: [{ cgOwn__price: 80 }, { cgOwn__price: 0 }] } });

    const notes = await serve('interface-object-without-implementation');
    // The @interfaceObject's own subgraph resolves its Node: no error there.
    expect(await postGraphQL(notes, { query: '{ noted { id note } }' })).toEqual({ data: { noted: { id: 'n1', note: 'hello' } } });
  });
});

// ---------------------------------------------------------------------------------------------
// Where the faults lie: the plans @apollo/query-planner returns, stock and corrected.

function fetches(plan: QueryPlan): FetchNode[] {
  const out: FetchNode[] = [];
  const walk = (node: PlanNode | undefined): void => {
    if (!node) return;
    if (node.kind === 'Fetch') out.push(node);
    else if (node.kind === 'Flatten') walk(node.node);
    else if (node.kind === 'Sequence' || node.kind === 'Parallel') node.nodes.forEach(walk);
    else if (node.kind === 'Condition') [node.ifClause, node.elseClause].forEach(walk);
  };
  walk(plan.node?.kind === 'Subscription' ? plan.node.primary : plan.node);
  return out;
}

/** A fetch's operation, printed the way graphql-js prints (the plan's text is minified). */
const printed = (fetch: FetchNode) => print(parse(fetch.operation));

/** The fixture's supergraph SDL (planning needs no running subgraph). */
function supergraphSdlOf(name: string): string {
  const composed = composeSubgraphs(fixture(name).subgraphs.map((s) => ({ name: s.name, url: 'http://unused.invalid', sdl: s.typeDefs })));
  if (!composed.supergraphSdl) throw new Error(composed.errors.join('\n'));
  return composed.supergraphSdl;
}

/** The plan for `query` on the fixture's supergraph; `corrected` applies gateway/plan's corrections first. */
function planFor(name: string, query: string, corrected: boolean): QueryPlan {
  const sdl = supergraphSdlOf(name);
  const supergraph = Supergraph.build(corrected ? (resolvableKeysFirst(sdl) ?? sdl) : sdl);
  let document = parse(query);
  if (corrected) {
    const api = supergraph.apiSchema().toGraphQLJSSchema();
    document = rewriteForPlanning(document, api, supergraphFacts(supergraph)) ?? document;
  }
  return new QueryPlanner(supergraph).buildQueryPlan(operationFromDocument(supergraph.apiSchema(), document));
}

describe('the query plans behind the misses', () => {
  it('miss 1: the stock plan fetches the client field and the @requires copy as one, with the client arguments', async () => {
    const query = '{ products { price(currency: "GBP") priceInEur } }';
    const [stockFirst] = fetches(planFor('requires-with-arguments', query, false));
    expect(printed(stockFirst)).toContain('price(currency: "GBP")');
    expect(printed(stockFirst)).not.toContain('"EUR"');

    const [first, requiring] = fetches(planFor('requires-with-arguments', query, true));
    expect(printed(first)).toContain('cgOwn__price: price(currency: "GBP")');
    expect(printed(first)).toContain('price(currency: "EUR")');
    // The representations read the required copy under the field's own name: no input rewrite.
    expect(requiring.requires).toEqual([
      { kind: 'InlineFragment', typeCondition: 'Product', selections: [{ kind: 'Field', name: '__typename' }, { kind: 'Field', name: 'id' }, { kind: 'Field', name: 'price' }] },
    ]);
    expect(requiring.inputRewrites).toBeUndefined();
  });

  it('miss 2: the stock plan keys the @requires fetch with a non-resolvable key', async () => {
    const query = '{ kit { parts { labelInKit } } }';
    const keyOf = (plan: QueryPlan) => {
      const back = fetches(plan).find((f) => f.serviceName === 'kits' && f.requires);
      return back!.requires!.flatMap((s) => (s.kind === 'InlineFragment' ? s.selections : [s])).map((s) => (s.kind === 'Field' ? s.name : '?'));
    };
    expect(keyOf(planFor('composite-and-nested-keys', query, false))).toEqual(['__typename', 'label', 'code']);
    expect(keyOf(planFor('composite-and-nested-keys', query, true))).toEqual(['__typename', 'label', 'id', 'code']);
  });

  it('miss 3: the stock plan is empty, the corrected one asks the subgraph owning the field', async () => {
    const query = '{ node { note } }';
    expect((planFor('interface-object-without-implementation', query, false)).node).toBeUndefined();
    const corrected = fetches(planFor('interface-object-without-implementation', query, true));
    expect(corrected.map((f) => [f.serviceName, printed(f)])).toEqual([['directory', print(parse('{ cgNone__node: node { __typename } }'))]]);
  });

  it('two @requires on one field with different arguments: the stock plan asks one price, the corrected one both, in one fetch', () => {
    const query = '{ products { priceInEur priceInGbp } }';
    const stock = fetches(planFor('requires-with-arguments', query, false));
    expect(stock.map((f) => f.serviceName)).toEqual(['catalog', 'pricing']);
    expect(printed(stock[0])).toContain('price(currency: "GBP")');
    expect(printed(stock[0])).not.toContain('"EUR"');

    const corrected = fetches(planFor('requires-with-arguments', query, true));
    // Both copies of `products` come from one catalog fetch; each requiring field gets its own.
    expect(corrected.map((f) => f.serviceName)).toEqual(['catalog', 'pricing', 'pricing']);
    expect(printed(corrected[0])).toContain('price(currency: "EUR")');
    expect(printed(corrected[0])).toContain('cgCopy1__products: products');
    expect(printed(corrected[0])).toContain('price(currency: "GBP")');
  });

  it('consecutive mutations: the stock plan runs d and e in one fetch before reading d’s value', () => {
    const query = 'mutation { d: double { value } e: double { value } }';
    const stock = fetches(planFor('mutations-in-order', query, false));
    expect(stock.map((f) => [f.serviceName, printed(f).includes('d: double') && printed(f).includes('e: double')])).toEqual([
      ['audit', true],
      ['counter', false],
      ['counter', false],
    ]);
  });

  it('rewrites no operation that selects key and required fields only under their own names', () => {
    const supergraph = Supergraph.build(supergraphSdlOf('requires-with-arguments'));
    const rewrite = (query: string) => rewriteForPlanning(parse(query), supergraph.apiSchema().toGraphQLJSSchema(), supergraphFacts(supergraph));
    expect(rewrite('{ products { id id: id priceInEur gbp: price(currency: "GBP") } }')).toBeUndefined();
    expect(print(rewrite('{ products { id: price priceInEur } }')!)).toBe(print(parse('{ products { cgOwn__id: price priceInEur } }')));
  });

  it('reorders nothing in a supergraph whose resolvable keys already come first', () => {
    expect(resolvableKeysFirst(supergraphSdlOf('requires-with-arguments'))).toBeUndefined();
  });
});

describe('restoring a rewritten operation\'s result', () => {
  it('renames the aliases back in data and error paths, in the client\'s field order', () => {
    const restored = restoreResult<ExecutionOutcome>({
      data: { products: [{ cgOwn__price: 80, priceInEur: 90 }, { cgOwn__price: null, priceInEur: 0 }] },
      errors: [new GraphQLError('unknown currency', { path: ['products', 1, 'cgOwn__price'], extensions: { serviceName: 'catalog' } })],
    });
    expect(JSON.parse(JSON.stringify(restored.data))).toEqual({ products: [{ price: 80, priceInEur: 90 }, { price: null, priceInEur: 0 }] });
    expect(Object.keys((restored.data!.products as Array<Record<string, unknown>>)[0])).toEqual(['price', 'priceInEur']);
    expect(restored.errors!.map((e) => [e.path, e.extensions.serviceName])).toEqual([[['products', 1, 'price'], 'catalog']]);
  });

  it('puts a copy\'s values into their placeholders, nulls what the copy nulled, and refuses lists that disagree', () => {
    const restored = restoreResult<ExecutionOutcome>({
      data: {
        items: [{ cgSlot1__gbp: 'Product', eur: 90 }, { cgSlot1__gbp: 'Product', eur: 0 }, null],
        cgCopy1__items: [{ gbp: 80 }, null, null],
        other: [{ cgSlot1__gbp: 'Product' }],
        cgCopy1__other: [{ gbp: 1 }, { gbp: 2 }],
      },
      errors: [new GraphQLError('boom', { path: ['cgCopy1__items', 1, 'gbp'] })],
    });
    expect(JSON.stringify(restored.data)).toBe(JSON.stringify({ items: [{ gbp: 80, eur: 90 }, null, null], other: null }));
    expect(restored.errors!.map((e) => e.path)).toEqual([['items', 1, 'gbp'], ['other']]);
  });

  it('nulls an object a subgraph answers where no object type can be, with an error at that path', () => {
    const restored = restoreResult<ExecutionOutcome>({ data: { cgNone__node: { __typename: 'Node' }, shelf: { cgNone__item: null } } });
    expect(restored.data).toEqual({ node: null, shelf: { item: null } });
    expect(restored.errors!.map((e) => e.path)).toEqual([['node']]);
  });
});
