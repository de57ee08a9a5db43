import type { FederationFixture } from '../harness';
import { byKey, fed } from '../sdl';

/*
 * Stock Apollo Gateway 2.14's known misses, each corrected in gateway/plan (README, "Federation:
 * where CityGraph differs from stock Apollo Gateway"). Stock Apollo Gateway gets every case of
 * these fixtures wrong; test/federation/misses.test.ts asserts both sides.
 */

// ---------------------------------------------------------------------------------------------
// Miss 1: a field with arguments that a @requires selects with other arguments.

const RATES: Record<string, number> = { USD: 1, EUR: 0.9, GBP: 0.8 };
const products = [
  { id: 'p1', usd: 100, stars: [5, 3, 4] },
  // A price of 0 must reach the requiring subgraph as 0, not go missing.
  { id: 'p2', usd: 0, stars: [2] },
];

const requiresWithArguments: FederationFixture = {
  name: 'requires-with-arguments',
  subgraphs: [
    {
      name: 'catalog',
      typeDefs: `${fed('@key', '@shareable')}
        type Review @shareable { stars: Int! }
        type Product @key(fields: "id") { id: ID! price(currency: String = "USD"): Float reviews(first: Int): [Review!]! }
        type Query { products: [Product!]! }`,
      resolvers: {
        Query: { products: () => products },
        Product: {
          __resolveReference: byKey(products, 'id'),
          price: (p: { usd: number }, { currency }: { currency: string }) => {
            if (!(currency in RATES)) throw new Error(`unknown currency ${currency}`);
            return p.usd * RATES[currency];
          },
          reviews: (p: { stars: number[] }, { first }: { first?: number | null }) =>
            p.stars.slice(0, first ?? undefined).map((stars) => ({ stars })),
        },
      },
    },
    {
      name: 'pricing',
      typeDefs: `${fed('@key', '@external', '@requires', '@shareable')}
        type Review @shareable { stars: Int! }
        type Product @key(fields: "id") {
          id: ID!
          price(currency: String = "USD"): Float @external
          reviews(first: Int): [Review!]! @external
          priceInEur: Float @requires(fields: "price(currency: \\"EUR\\")")
          priceInGbp: Float @requires(fields: "price(currency: \\"GBP\\")")
          firstReviewStars: String @requires(fields: "reviews(first: 1) { stars }")
          topTwoStars: String @requires(fields: "reviews(first: 2) { stars }")
        }`,
      resolvers: {
        Product: {
          __resolveReference: (ref: Record<string, unknown>) => ref,
          // The requiring fields answer exactly what they were given, so a wrong input shows.
          priceInEur: (p: { price?: number | null }) => (p.price === undefined ? -1 : p.price),
          priceInGbp: (p: { price?: number | null }) => (p.price === undefined ? -1 : p.price),
          firstReviewStars: (p: { reviews?: Array<{ stars: number }> }) => (p.reviews ?? []).map((r) => r.stars).join(','),
          topTwoStars: (p: { reviews?: Array<{ stars: number }> }) => (p.reviews ?? []).map((r) => r.stars).join(','),
        },
      },
    },
  ],
  cases: [
    {
      name: 'literal argument selected before the requiring field',
      query: '{ products { id price(currency: "GBP") priceInEur } }',
      expected: { data: { products: [{ id: 'p1', price: 80, priceInEur: 90 }, { id: 'p2', price: 0, priceInEur: 0 }] } },
    },
    {
      name: 'default argument selected after the requiring field',
      query: '{ products { priceInEur price } }',
      expected: { data: { products: [{ priceInEur: 90, price: 100 }, { priceInEur: 0, price: 0 }] } },
    },
    {
      name: 'argument from a variable',
      query: 'query Prices($currency: String) { products { price(currency: $currency) priceInEur } }',
      variables: { currency: 'GBP' },
      expected: { data: { products: [{ price: 80, priceInEur: 90 }, { price: 0, priceInEur: 0 }] } },
    },
    {
      name: 'list field with a larger limit, in a named fragment',
      query: '{ products { ...Reviews } } fragment Reviews on Product { reviews(first: 3) { stars } firstReviewStars }',
      expected: {
        data: {
          products: [
            { reviews: [{ stars: 5 }, { stars: 3 }, { stars: 4 }], firstReviewStars: '5' },
            { reviews: [{ stars: 2 }], firstReviewStars: '2' },
          ],
        },
      },
    },
    {
      name: 'list field after the requiring field, limit from a variable in an inline fragment',
      query: 'query Reviews($first: Int) { products { firstReviewStars ... on Product { reviews(first: $first) { stars } } } }',
      variables: { first: 2 },
      expected: {
        data: {
          products: [
            { firstReviewStars: '5', reviews: [{ stars: 5 }, { stars: 3 }] },
            { firstReviewStars: '2', reviews: [{ stars: 2 }] },
          ],
        },
      },
    },
    {
      name: 'a client alias named like the key field',
      query: '{ products { id: price(currency: "GBP") priceInEur } }',
      expected: { data: { products: [{ id: 80, priceInEur: 90 }, { id: 0, priceInEur: 0 }] } },
    },
    {
      name: 'two requiring fields that need the price in two currencies',
      query: '{ products { id priceInEur priceInGbp } }',
      expected: { data: { products: [{ id: 'p1', priceInEur: 90, priceInGbp: 80 }, { id: 'p2', priceInEur: 0, priceInGbp: 0 }] } },
    },
    {
      name: 'two requiring fields with different list limits, with the client’s own copy and aliases',
      query: '{ items: products { top: topTwoStars reviews(first: 3) { stars } first: firstReviewStars eur: priceInEur gbp: priceInGbp } }',
      expected: {
        data: {
          items: [
            { top: '5,3', reviews: [{ stars: 5 }, { stars: 3 }, { stars: 4 }], first: '5', eur: 90, gbp: 80 },
            { top: '2', reviews: [{ stars: 2 }], first: '2', eur: 0, gbp: 0 },
          ],
        },
      },
    },
    {
      name: 'two requiring fields that disagree, one in a named fragment and one in an inline fragment',
      query: '{ products { ...Eur ... on Product { gbp: priceInGbp } } } fragment Eur on Product { id priceInEur }',
      expected: { data: { products: [{ id: 'p1', priceInEur: 90, gbp: 80 }, { id: 'p2', priceInEur: 0, gbp: 0 }] } },
    },
    {
      name: 'two requiring fields that disagree under @include and @skip',
      query: 'query Q($no: Boolean!) { products { priceInGbp @skip(if: $no) ... @include(if: $no) { firstReviewStars } priceInEur ... @skip(if: $no) { topTwoStars } } }',
      variables: { no: false },
      expected: { data: { products: [{ priceInGbp: 80, priceInEur: 90, topTwoStars: '5,3' }, { priceInGbp: 0, priceInEur: 0, topTwoStars: '2' }] } },
    },
    {
      name: "an error on the client's copy keeps the client's path",
      query: '{ products { id price(currency: "JPY") priceInEur } }',
      expected: {
        data: { products: [{ id: 'p1', price: null, priceInEur: 90 }, { id: 'p2', price: null, priceInEur: 0 }] },
        errors: [
          { path: ['products', 0, 'price'], extensions: { serviceName: 'catalog' } },
          { path: ['products', 1, 'price'], extensions: { serviceName: 'catalog' } },
        ],
      },
    },
  ],
};

// ---------------------------------------------------------------------------------------------
// Miss 2: an entity with several keys, composite and nested, resolvable in one subgraph only by
// a key listed after non-resolvable ones.

type Part = { id: string; serial: string; code: { region: string; line: string; batch: string }; label: string };
const parts: Record<string, Part> = {
  '1': { id: '1', serial: 'S-1', code: { region: 'eu', line: 'L1', batch: 'B7' }, label: 'Bolt' },
  '2': { id: '2', serial: 'S-2', code: { region: 'us', line: 'L2', batch: 'B8' }, label: 'Nut' },
};

// Part 9 exists in the kits subgraph only: the parts subgraph answers null for it.
const partsInKits: Record<string, Part> = { ...parts, '9': { id: '9', serial: 'S-9', code: { region: 'eu', line: 'L9', batch: 'B9' }, label: 'Washer' } };

const compositeNestedKeys: FederationFixture = {
  name: 'composite-and-nested-keys',
  subgraphs: [
    {
      name: 'parts',
      typeDefs: `${fed('@key', '@shareable')}
        type Part @key(fields: "id") @key(fields: "serial", resolvable: false) @key(fields: "code { region line }", resolvable: false) {
          id: ID! serial: ID! code: PartCode! label: String!
        }
        type PartCode @shareable { region: ID! line: ID! batch: ID! }`,
      resolvers: { Part: { __resolveReference: (ref: { id?: string }) => (ref.id ? parts[ref.id] ?? null : null) } },
    },
    {
      name: 'kits',
      typeDefs: `${fed('@key', '@external', '@requires', '@shareable')}
        type Kit @key(fields: "id") { id: ID! parts: [Part!]! }
        type Part
          @key(fields: "code { region line }", resolvable: false)
          @key(fields: "serial", resolvable: false)
          @key(fields: "id code { line batch }")
          @key(fields: "id", resolvable: false) {
          id: ID! serial: ID! code: PartCode! label: String! @external labelInKit: String! @requires(fields: "label")
        }
        type PartCode @shareable { region: ID! line: ID! batch: ID! }
        type Query { kit: Kit brokenKit: Kit }`,
      resolvers: {
        Query: { kit: () => ({ id: 'k1', partIds: ['1', '2'] }), brokenKit: () => ({ id: 'k2', partIds: ['1', '9'] }) },
        Kit: { parts: (k: { partIds: string[] }) => k.partIds.map((id) => ({ ...partsInKits[id], label: undefined })) },
        Part: {
          // Only the resolvable key (id code { line batch }) identifies a part here.
          __resolveReference: (ref: { id?: string; code?: { line?: string; batch?: string }; label?: string }) => {
            const part = ref.id ? partsInKits[ref.id] : undefined;
            if (!part || part.code.line !== ref.code?.line || part.code.batch !== ref.code?.batch) return null;
            return { ...part, label: ref.label };
          },
          labelInKit: (p: { label?: string }) => {
            if (!p.label) throw new Error('Part.label was not provided');
            return `kit k1: ${p.label}`;
          },
        },
      },
    },
  ],
  cases: [
    {
      name: 'a required field sends the entity back with its resolvable composite key',
      query: '{ kit { id parts { id label labelInKit } } }',
      expected: {
        data: {
          kit: {
            id: 'k1',
            parts: [
              { id: '1', label: 'Bolt', labelInKit: 'kit k1: Bolt' },
              { id: '2', label: 'Nut', labelInKit: 'kit k1: Nut' },
            ],
          },
        },
      },
    },
    {
      name: 'only the requiring field, key fields not selected',
      query: '{ kit { parts { labelInKit } } }',
      expected: { data: { kit: { parts: [{ labelInKit: 'kit k1: Bolt' }, { labelInKit: 'kit k1: Nut' }] } } },
    },
    {
      name: 'with the nested key object selected by the client',
      query: '{ kit { parts { code { region } labelInKit } } }',
      expected: {
        data: {
          kit: { parts: [{ code: { region: 'eu' }, labelInKit: 'kit k1: Bolt' }, { code: { region: 'us' }, labelInKit: 'kit k1: Nut' }] },
        },
      },
    },
    {
      name: 'client aliases named like the key fields, nested one included',
      query: '{ kit { parts { id: serial code: label labelInKit } } }',
      expected: {
        data: {
          kit: {
            parts: [
              { id: 'S-1', code: 'Bolt', labelInKit: 'kit k1: Bolt' },
              { id: 'S-2', code: 'Nut', labelInKit: 'kit k1: Nut' },
            ],
          },
        },
      },
    },
    {
      // Stock Apollo Gateway files this error under extensions.valueCompletion: the client sees
      // a null kit and no error. The parts subgraph does not know part 9, so the part is null
      // (gateway/executor/merge.ts UNKNOWN_ENTITY) and the non-null list element reports it.
      name: 'a null for a non-null field of an entity is an error in errors',
      query: '{ brokenKit { parts { label } } }',
      expected: { data: { brokenKit: null }, errors: [{ path: ['brokenKit', 'parts', 1] }] },
    },
  ],
};

// ---------------------------------------------------------------------------------------------
// Miss 3: a field whose interface has no object type in the subgraph resolving it, and whose
// selected fields live only on another subgraph's @interfaceObject.

const interfaceObjectOnly: FederationFixture = {
  name: 'interface-object-without-implementation',
  subgraphs: [
    {
      name: 'directory',
      typeDefs: `${fed('@key')}
        interface Node @key(fields: "id") { id: ID! }
        type Shelf { id: ID! item: Node }
        type Query { node: Node shelf: Shelf }`,
      resolvers: {
        // A value for an interface no object type implements: graphql-js raises the spec's error.
        Query: { node: () => ({ id: 'n1' }), shelf: () => ({ id: 's1', item: { id: 'n2' } }) },
        Node: { __resolveType: () => null },
      },
    },
    {
      name: 'notes',
      typeDefs: `${fed('@key', '@interfaceObject')}
        type Node @key(fields: "id") @interfaceObject { id: ID! note: String }
        type Query { noted: Node }`,
      resolvers: {
        Query: { noted: () => ({ id: 'n1', note: 'hello' }) },
        Node: { __resolveReference: (ref: { id: string }) => ({ id: ref.id, note: `note of ${ref.id}` }) },
      },
    },
  ],
  cases: [
    {
      name: 'a root field answers an error at its path',
      query: '{ node { note } }',
      expected: { data: { node: null }, errors: [{ path: ['node'], extensions: { serviceName: 'directory' } }] },
    },
    {
      name: 'a nested field answers an error at its path, its parent is kept',
      query: '{ shelf { id item { note } } }',
      expected: { data: { shelf: { id: 's1', item: null } }, errors: [{ path: ['shelf', 'item'], extensions: { serviceName: 'directory' } }] },
    },
    {
      name: 'through an inline fragment on the interface',
      query: '{ node { ... on Node { note } } }',
      expected: { data: { node: null }, errors: [{ path: ['node'], extensions: { serviceName: 'directory' } }] },
    },
  ],
};

export const fixtures: FederationFixture[] = [requiresWithArguments, compositeNestedKeys, interfaceObjectOnly];
