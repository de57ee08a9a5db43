import type { FederationFixture } from '../harness';
import { fed } from '../sdl';

const FED = fed('@key');

const products = [
  { upc: '1', name: 'Table', price: 899 },
  { upc: '2', name: 'Couch', price: 1299 },
  { upc: '3', name: 'Chair', price: 54 },
];
const reviews = [
  { id: 'r1', upc: '1', body: 'Love it!', stars: 5, authorId: 'u1' },
  { id: 'r2', upc: '2', body: 'Too expensive.', stars: 2, authorId: 'u2' },
  { id: 'r3', upc: '2', body: 'Comfy', stars: 4, authorId: 'u1' },
];
const users = [
  { id: 'u1', name: 'Ada' },
  { id: 'u2', name: 'Alan' },
];

/** Entities joined across three subgraphs by a simple `@key`. */
const simpleKey: FederationFixture = {
  name: 'entities-simple-key',
  subgraphs: [
    {
      name: 'products',
      typeDefs: `${FED}
        type Product @key(fields: "upc") { upc: String! name: String! price: Int! }
        type Query { topProducts(first: Int = 5): [Product!]! product(upc: String!): Product }`,
      resolvers: {
        Query: {
          topProducts: (_: unknown, { first }: { first: number }) => products.slice(0, first),
          product: (_: unknown, { upc }: { upc: string }) => products.find((p) => p.upc === upc) ?? null,
        },
        Product: { __resolveReference: (ref: { upc: string }) => products.find((p) => p.upc === ref.upc) ?? null },
      },
    },
    {
      name: 'reviews',
      typeDefs: `${FED}
        type Product @key(fields: "upc") { upc: String! reviews: [Review!]! reviewCount: Int! }
        type Review @key(fields: "id") { id: ID! body: String! stars: Int! product: Product! author: User! }
        type User @key(fields: "id") { id: ID! reviews: [Review!]! }
        type Query { review(id: ID!): Review }`,
      resolvers: {
        Query: { review: (_: unknown, { id }: { id: string }) => reviews.find((r) => r.id === id) ?? null },
        Product: {
          reviews: (p: { upc: string }) => reviews.filter((r) => r.upc === p.upc),
          reviewCount: (p: { upc: string }) => reviews.filter((r) => r.upc === p.upc).length,
        },
        Review: {
          __resolveReference: (ref: { id: string }) => reviews.find((r) => r.id === ref.id) ?? null,
          product: (r: { upc: string }) => ({ upc: r.upc }),
          author: (r: { authorId: string }) => ({ id: r.authorId }),
        },
        User: { reviews: (u: { id: string }) => reviews.filter((r) => r.authorId === u.id) },
      },
    },
    {
      name: 'users',
      typeDefs: `${FED}
        type User @key(fields: "id") { id: ID! name: String! }
        type Query { user(id: ID!): User users: [User!]! }`,
      resolvers: {
        Query: { user: (_: unknown, { id }: { id: string }) => users.find((u) => u.id === id) ?? null, users: () => users },
        User: { __resolveReference: (ref: { id: string }) => users.find((u) => u.id === ref.id) ?? null },
      },
    },
  ],
  cases: [
    {
      name: 'top products with their reviews',
      query: '{ topProducts { upc name reviews { body } } }',
      expected: {
        data: {
          topProducts: [
            { upc: '1', name: 'Table', reviews: [{ body: 'Love it!' }] },
            { upc: '2', name: 'Couch', reviews: [{ body: 'Too expensive.' }, { body: 'Comfy' }] },
            { upc: '3', name: 'Chair', reviews: [] },
          ],
        },
      },
    },
    {
      name: 'three hops: product, reviews, author names',
      query: '{ product(upc: "2") { name reviews { stars author { name } } } }',
      expected: { data: { product: { name: 'Couch', reviews: [{ stars: 2, author: { name: 'Alan' } }, { stars: 4, author: { name: 'Ada' } }] } } },
    },
    {
      name: 'a missing entity at the root is null',
      query: '{ product(upc: "404") { name reviews { body } } }',
      expected: { data: { product: null } },
    },
    {
      name: 'only the key is asked: no entity fetch needed',
      query: '{ topProducts(first: 2) { upc } }',
      expected: { data: { topProducts: [{ upc: '1' }, { upc: '2' }] } },
    },
    {
      name: 'the key selected alongside fields of another subgraph',
      query: '{ product(upc: "1") { reviewCount upc } }',
      expected: { data: { product: { reviewCount: 1, upc: '1' } } },
    },
    {
      name: 'back and forth: review → product → reviews → author',
      query: '{ review(id: "r3") { body product { name reviews { id author { name } } } } }',
      expected: {
        data: { review: { body: 'Comfy', product: { name: 'Couch', reviews: [{ id: 'r2', author: { name: 'Alan' } }, { id: 'r3', author: { name: 'Ada' } }] } } },
      },
    },
    {
      name: 'users with their reviews and those reviews’ products',
      query: '{ users { name reviews { product { name price } } } }',
      expected: {
        data: {
          users: [
            { name: 'Ada', reviews: [{ product: { name: 'Table', price: 899 } }, { product: { name: 'Couch', price: 1299 } }] },
            { name: 'Alan', reviews: [{ product: { name: 'Couch', price: 1299 } }] },
          ],
        },
      },
    },
    {
      name: 'the argument default applies (first = 5)',
      query: '{ topProducts { upc } }',
      expected: { data: { topProducts: [{ upc: '1' }, { upc: '2' }, { upc: '3' }] } },
    },
    {
      name: 'a variable sets the argument',
      query: 'query Top($n: Int) { topProducts(first: $n) { name reviewCount } }',
      variables: { n: 1 },
      expected: { data: { topProducts: [{ name: 'Table', reviewCount: 1 }] } },
    },
    {
      name: '__typename of entities from each subgraph',
      query: '{ review(id: "r1") { __typename product { __typename name } author { __typename name } } }',
      expected: { data: { review: { __typename: 'Review', product: { __typename: 'Product', name: 'Table' }, author: { __typename: 'User', name: 'Ada' } } } },
    },
    {
      name: 'the same entity twice in one list',
      query: '{ users { reviews { product { upc name } } } }',
      expected: {
        data: {
          users: [
            { reviews: [{ product: { upc: '1', name: 'Table' } }, { product: { upc: '2', name: 'Couch' } }] },
            { reviews: [{ product: { upc: '2', name: 'Couch' } }] },
          ],
        },
      },
    },
    {
      name: 'field order follows the selection set across subgraphs',
      query: '{ product(upc: "1") { reviewCount name upc price reviews { stars } } }',
      expected: { data: { product: { reviewCount: 1, name: 'Table', upc: '1', price: 899, reviews: [{ stars: 5 }] } } },
    },
  ],
};

export const fixtures: FederationFixture[] = [simpleKey];
