import type { FederationFixture } from '../harness';
import { byKey, fed } from '../sdl';

const products = [
  { upc: '1', name: 'Table', weight: 20 },
  { upc: '2', name: 'Couch', weight: 50 },
  { upc: '3', name: 'Chair', weight: 5 },
  { upc: '4', name: 'Lamp', weight: 1 },
];
const inStock: Record<string, number> = { '1': 4, '2': 0, '3': 9 };

/** Entities in shapes the gateway must walk back into: nested lists, lists with holes, long chains. */
const shapes: FederationFixture = {
  name: 'entity-shapes',
  subgraphs: [
    {
      name: 'products',
      typeDefs: `${fed('@key', '@inaccessible')}
        enum Grade { A B RETIRED @inaccessible }
        type Product @key(fields: "upc") { upc: String! name: String! weight: Int! grade: Grade! related: Product }
        type Query {
          grid: [[Product!]!]!
          holes: [Product]!
          unknowns: [Product]!
          strictUnknowns: [Product!]!
          chain: Product
          graded: [Product]!
        }`,
      resolvers: {
        Query: {
          grid: () => [[products[0], products[1]], [], [products[2]]],
          holes: () => [products[0], null, products[2]],
          unknowns: () => [products[0], products[3]],
          strictUnknowns: () => [products[0], products[3]],
          chain: () => products[0],
          graded: () => [products[0], products[1]],
        },
        Product: {
          __resolveReference: byKey(products, 'upc'),
          related: (p: { upc: string }) => products[(Number(p.upc) % 3)],
          // Product 2 answers an enum value clients cannot see.
          grade: (p: { upc: string }) => (p.upc === '2' ? 'RETIRED' : 'A'),
        },
      },
    },
    {
      name: 'inventory',
      typeDefs: `${fed('@key', '@external', '@requires')}
        type Product @key(fields: "upc") {
          upc: String!
          weight: Int! @external
          stock: Int!
          shipping: Int! @requires(fields: "weight")
          alsoBought: Product
        }`,
      resolvers: {
        Product: {
          // The inventory does not know product 4.
          __resolveReference: (ref: { upc: string; weight?: number }) => (ref.upc in inStock ? ref : null),
          stock: (p: { upc: string }) => inStock[p.upc],
          shipping: (p: { weight: number }) => p.weight * 3,
          alsoBought: (p: { upc: string }) => ({ upc: p.upc === '1' ? '2' : '1' }),
        },
      },
    },
  ],
  cases: [
    {
      name: 'entities inside a list of lists',
      query: '{ grid { name stock } }',
      expected: { data: { grid: [[{ name: 'Table', stock: 4 }, { name: 'Couch', stock: 0 }], [], [{ name: 'Chair', stock: 9 }]] } },
    },
    {
      name: 'entity fields inside a list of lists keep their positions',
      query: '{ grid { upc shipping } }',
      expected: { data: { grid: [[{ upc: '1', shipping: 60 }, { upc: '2', shipping: 150 }], [], [{ upc: '3', shipping: 15 }]] } },
    },
    {
      name: 'null items of a list are skipped by the entity fetch and stay null',
      query: '{ holes { upc shipping } }',
      expected: { data: { holes: [{ upc: '1', shipping: 60 }, null, { upc: '3', shipping: 15 }] } },
    },
    {
      // A subgraph's null for an entity means it does not know the id: the item reads null, as the
      // Router answers, not as a broken answer (Apollo's executor adds INVALID_GRAPHQL at stock).
      name: 'an entity the other subgraph does not know, with a non-null field: the item is null, no error',
      query: '{ unknowns { upc stock } }',
      expected: { data: { unknowns: [{ upc: '1', stock: 4 }, null] } },
    },
    {
      // The first non-null position that cannot take the null reports it.
      name: 'an unknown entity inside non-null lists nulls up to the root, with its error',
      query: '{ chain { name } strictUnknowns { upc stock } }',
      expected: { data: null, errors: [{ path: ['strictUnknowns', 1] }] },
    },
    {
      name: 'a chain of four hops between two subgraphs',
      query: '{ chain { name alsoBought { name related { upc alsoBought { name stock } } } } }',
      expected: { data: { chain: { name: 'Table', alsoBought: { name: 'Couch', related: { upc: '3', alsoBought: { name: 'Table', stock: 4 } } } } } },
    },
    {
      name: '@include on a @requires field, false',
      query: 'query($s: Boolean!) { chain { name shipping @include(if: $s) } }',
      variables: { s: false },
      expected: { data: { chain: { name: 'Table' } } },
    },
    {
      name: '@include on a @requires field, true',
      query: 'query($s: Boolean!) { chain { name shipping @include(if: $s) } }',
      variables: { s: true },
      expected: { data: { chain: { name: 'Table', shipping: 60 } } },
    },
    {
      name: '@skip on __typename of an entity',
      query: '{ chain { __typename @skip(if: true) stock } }',
      expected: { data: { chain: { stock: 4 } } },
    },
    {
      name: 'an inaccessible enum value in a result is a field error, not data',
      query: '{ graded { upc grade } }',
      expected: { data: { graded: [{ upc: '1', grade: 'A' }, null] }, errors: [{ path: ['graded', 1, 'grade'] }] },
    },
  ],
};

export const fixtures: FederationFixture[] = [shapes];
