import { GraphQLError } from 'graphql';
import type { FederationFixture } from '../harness';
import { byArgs, byKey, fed } from '../sdl';

const products = [
  { upc: '1', name: 'Table' },
  { upc: '2', name: 'Couch' },
  { upc: '3', name: 'Chair' },
];
const fail = (code: string) => {
  throw new GraphQLError(`failed on purpose (${code})`, { extensions: { code } });
};

/**
 * Null propagation and errors across subgraphs (GraphQL spec §6.4.4, "Handling Field Errors"): a
 * field error nulls the field, or, if it is non-null, its nearest nullable parent; the error has
 * the field's path in the merged answer, its code, and the subgraph's name; one error per fault.
 */
const nulls: FederationFixture = {
  name: 'nulls-and-errors',
  subgraphs: [
    {
      name: 'products',
      typeDefs: `${fed('@key')}
        type Product @key(fields: "upc") { upc: String! name: String! }
        type Query {
          product(upc: String!): Product
          topProducts: [Product]!
          strictProducts: [Product!]
          mustHave: Product!
          failing: String
          broken: String!
        }`,
      resolvers: {
        Query: {
          product: byArgs(products, 'upc'),
          topProducts: () => products,
          strictProducts: () => products,
          mustHave: () => products[1],
          failing: () => fail('NOT_FOUND'),
          broken: () => fail('BROKEN'),
        },
        Product: { __resolveReference: byKey(products, 'upc') },
      },
    },
    {
      name: 'inventory',
      typeDefs: `${fed('@key')}
        type Product @key(fields: "upc") { upc: String! stock: Int! rating: Int warehouse: Warehouse }
        type Warehouse { code: String! manager: String! }
        type Query { ok: String! }`,
      resolvers: {
        Query: { ok: () => 'ok' },
        Product: {
          __resolveReference: (ref: { upc: string }) => ref,
          stock: (p: { upc: string }) => (p.upc === '2' ? fail('STOCK_UNAVAILABLE') : 10 * Number(p.upc)),
          rating: (p: { upc: string }) => (p.upc === '3' ? fail('RATING_UNAVAILABLE') : 4),
          warehouse: (p: { upc: string }) => ({ code: `W${p.upc}`, manager: p.upc === '1' ? null : 'Lin' }),
        },
      },
    },
    {
      name: 'reviews',
      typeDefs: `${fed('@key')}
        type Product @key(fields: "upc") { upc: String! topReview: String }`,
      resolvers: {
        Product: {
          // The reviews subgraph knows no product 3: it answers null for that representation.
          __resolveReference: (ref: { upc: string }) => (ref.upc === '3' ? null : ref),
          topReview: (p: { upc: string }) => `best of ${p.upc}`,
        },
      },
    },
  ],
  cases: [
    {
      name: 'a nullable field’s error nulls that field only',
      query: '{ product(upc: "3") { name rating } }',
      expected: {
        data: { product: { name: 'Chair', rating: null } },
        errors: [{ path: ['product', 'rating'], extensions: { code: 'RATING_UNAVAILABLE', serviceName: 'inventory' } }],
      },
    },
    {
      name: 'a non-null field’s error nulls its nullable parent',
      query: '{ product(upc: "2") { name stock } }',
      expected: {
        data: { product: null },
        errors: [{ path: ['product', 'stock'], extensions: { code: 'STOCK_UNAVAILABLE', serviceName: 'inventory' } }],
      },
    },
    {
      name: 'in a list of nullable items only the failing item is null',
      query: '{ topProducts { name stock } }',
      expected: {
        data: { topProducts: [{ name: 'Table', stock: 10 }, null, { name: 'Chair', stock: 30 }] },
        errors: [{ path: ['topProducts', 1, 'stock'], extensions: { code: 'STOCK_UNAVAILABLE', serviceName: 'inventory' } }],
      },
    },
    {
      name: 'in a nullable list of non-null items the whole list is null',
      query: '{ strictProducts { name stock } }',
      expected: {
        data: { strictProducts: null },
        errors: [{ path: ['strictProducts', 1, 'stock'], extensions: { code: 'STOCK_UNAVAILABLE', serviceName: 'inventory' } }],
      },
    },
    {
      name: 'non-null up to the root: data is null',
      query: '{ mustHave { name stock } }',
      expected: {
        data: null,
        errors: [{ path: ['mustHave', 'stock'], extensions: { code: 'STOCK_UNAVAILABLE', serviceName: 'inventory' } }],
      },
    },
    {
      name: 'a root field of one subgraph fails, another subgraph’s root field stays',
      query: '{ failing ok }',
      expected: { data: { failing: null, ok: 'ok' }, errors: [{ path: ['failing'], extensions: { code: 'NOT_FOUND', serviceName: 'products' } }] },
    },
    {
      name: 'a non-null root field fails: data is null, one error only',
      query: '{ broken ok }',
      expected: { data: null, errors: [{ path: ['broken'], extensions: { code: 'BROKEN', serviceName: 'products' } }] },
    },
    {
      name: 'several failing entities of one fetch: one error each, each with its index',
      query: '{ topProducts { upc rating } }',
      expected: {
        data: { topProducts: [{ upc: '1', rating: 4 }, { upc: '2', rating: 4 }, { upc: '3', rating: null }] },
        errors: [{ path: ['topProducts', 2, 'rating'], extensions: { code: 'RATING_UNAVAILABLE', serviceName: 'inventory' } }],
      },
    },
    {
      name: 'errors of two fields of one entity fetch',
      query: '{ topProducts { upc stock rating } }',
      expected: {
        data: { topProducts: [{ upc: '1', stock: 10, rating: 4 }, null, { upc: '3', stock: 30, rating: null }] },
        errors: [
          { path: ['topProducts', 1, 'stock'], extensions: { code: 'STOCK_UNAVAILABLE', serviceName: 'inventory' } },
          { path: ['topProducts', 2, 'rating'], extensions: { code: 'RATING_UNAVAILABLE', serviceName: 'inventory' } },
        ],
      },
    },
    {
      name: 'null for a non-null field inside a subgraph object nulls that object',
      query: '{ topProducts { upc warehouse { code manager } } }',
      expected: {
        data: {
          topProducts: [
            { upc: '1', warehouse: null },
            { upc: '2', warehouse: { code: 'W2', manager: 'Lin' } },
            { upc: '3', warehouse: { code: 'W3', manager: 'Lin' } },
          ],
        },
        errors: [{ path: ['topProducts', 0, 'warehouse', 'manager'], extensions: { serviceName: 'inventory' } }],
      },
    },
    {
      name: 'an entity its subgraph does not know: its nullable fields are null, no error',
      query: '{ topProducts { upc topReview } }',
      expected: { data: { topProducts: [{ upc: '1', topReview: 'best of 1' }, { upc: '2', topReview: 'best of 2' }, { upc: '3', topReview: null }] } },
    },
    {
      name: 'a failure in one subgraph does not touch another subgraph’s fields of the same entity',
      query: '{ product(upc: "3") { topReview rating name } }',
      expected: {
        data: { product: { topReview: null, rating: null, name: 'Chair' } },
        errors: [{ path: ['product', 'rating'], extensions: { code: 'RATING_UNAVAILABLE', serviceName: 'inventory' } }],
      },
    },
    {
      name: 'an aliased failing field is reported under its alias',
      query: '{ p: product(upc: "3") { score: rating } }',
      expected: {
        data: { p: { score: null } },
        errors: [{ path: ['p', 'score'], extensions: { code: 'RATING_UNAVAILABLE', serviceName: 'inventory' } }],
      },
    },
  ],
};

export const fixtures: FederationFixture[] = [nulls];
