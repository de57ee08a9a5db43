import type { FederationFixture } from '../harness';
import { byArgs, byKey, fed } from '../sdl';

const products = [
  { upc: '1', name: 'Table', price: 899 },
  { upc: '2', name: 'Couch', price: 1299 },
];
const reviews: Record<string, string[]> = { '1': ['Love it!', 'Sturdy'], '2': ['Too expensive.'] };

const subgraphs = [
  {
    name: 'products',
    typeDefs: `${fed('@key')}
      type Product @key(fields: "upc") { upc: String! name: String! price: Int! }
      type Query { product(upc: String!): Product products: [Product!]! }`,
    resolvers: {
      Query: { product: byArgs(products, 'upc'), products: () => products },
      Product: { __resolveReference: byKey(products, 'upc') },
    },
  },
  {
    name: 'reviews',
    typeDefs: `${fed('@key')}
      type Product @key(fields: "upc") { upc: String! reviews(first: Int): [Review!]! reviewCount: Int! }
      type Review { body: String! }`,
    resolvers: {
      Product: {
        reviews: (p: { upc: string }, a: { first?: number }) => (reviews[p.upc] ?? []).slice(0, a.first ?? undefined).map((body) => ({ body })),
        reviewCount: (p: { upc: string }) => (reviews[p.upc] ?? []).length,
      },
    },
  },
];

/** `@include` / `@skip` (GraphQL spec §3.13), on local and remote fields, fragments, literals and variables. */
const conditions: FederationFixture = {
  name: 'include-skip',
  subgraphs,
  cases: [
    {
      name: '@include(if: false) on a remote field',
      query: '{ product(upc: "1") { name reviewCount @include(if: false) } }',
      expected: { data: { product: { name: 'Table' } } },
    },
    {
      name: '@skip(if: true) on a local field',
      query: '{ product(upc: "1") { name @skip(if: true) reviewCount } }',
      expected: { data: { product: { reviewCount: 2 } } },
    },
    {
      name: '@include with a variable that is true',
      query: 'query($withReviews: Boolean!) { product(upc: "2") { name reviews @include(if: $withReviews) { body } } }',
      variables: { withReviews: true },
      expected: { data: { product: { name: 'Couch', reviews: [{ body: 'Too expensive.' }] } } },
    },
    {
      name: '@include with a variable that is false',
      query: 'query($withReviews: Boolean!) { product(upc: "2") { name reviews @include(if: $withReviews) { body } } }',
      variables: { withReviews: false },
      expected: { data: { product: { name: 'Couch' } } },
    },
    {
      name: '@skip with a variable default',
      query: 'query($hide: Boolean = true) { products { upc price @skip(if: $hide) } }',
      expected: { data: { products: [{ upc: '1' }, { upc: '2' }] } },
    },
    {
      name: '@skip with the default overridden',
      query: 'query($hide: Boolean = true) { products { upc price @skip(if: $hide) } }',
      variables: { hide: false },
      expected: { data: { products: [{ upc: '1', price: 899 }, { upc: '2', price: 1299 }] } },
    },
    {
      name: 'on an inline fragment with remote fields',
      query: 'query($x: Boolean!) { product(upc: "1") { name ... @include(if: $x) { reviewCount reviews { body } } } }',
      variables: { x: false },
      expected: { data: { product: { name: 'Table' } } },
    },
    {
      name: 'on a named fragment spread',
      query: '{ product(upc: "1") { name ...R @skip(if: true) } } fragment R on Product { reviewCount }',
      expected: { data: { product: { name: 'Table' } } },
    },
    {
      name: 'both: included only when skip is false and include is true',
      query: '{ product(upc: "1") { a: name @skip(if: false) @include(if: false) b: name @skip(if: false) @include(if: true) c: name @skip(if: true) @include(if: true) } }',
      expected: { data: { product: { b: 'Table' } } },
    },
    {
      name: 'the only remote field skipped leaves an empty object',
      query: '{ product(upc: "1") { reviewCount @include(if: false) } }',
      expected: { data: { product: {} } },
    },
    {
      name: 'the same field twice, once skipped: it is there',
      query: '{ product(upc: "1") { reviewCount @skip(if: true) reviewCount } }',
      expected: { data: { product: { reviewCount: 2 } } },
    },
    {
      name: 'on a root field',
      query: '{ a: product(upc: "1") @skip(if: true) { name } b: product(upc: "2") { name } }',
      expected: { data: { b: { name: 'Couch' } } },
    },
    {
      name: 'an included field inside a skipped parent is not fetched',
      query: '{ product(upc: "1") { upc reviews @skip(if: true) { body @include(if: true) } } }',
      expected: { data: { product: { upc: '1' } } },
    },
  ],
};

/** Aliases (§2.7), `__typename` (§4.4) and operation selection, across subgraphs. */
const aliases: FederationFixture = {
  name: 'aliases-typename',
  subgraphs,
  cases: [
    {
      name: 'one remote field twice with different arguments',
      query: '{ product(upc: "1") { first: reviews(first: 1) { body } all: reviews { body } } }',
      expected: { data: { product: { first: [{ body: 'Love it!' }], all: [{ body: 'Love it!' }, { body: 'Sturdy' }] } } },
    },
    {
      name: 'one root field twice with different arguments',
      query: '{ a: product(upc: "1") { name } b: product(upc: "2") { name reviewCount } }',
      expected: { data: { a: { name: 'Table' }, b: { name: 'Couch', reviewCount: 1 } } },
    },
    {
      name: 'an aliased key field',
      query: '{ product(upc: "1") { code: upc reviewCount } }',
      expected: { data: { product: { code: '1', reviewCount: 2 } } },
    },
    {
      name: 'aliases that swap field names',
      query: '{ product(upc: "1") { name: upc upc: name } }',
      expected: { data: { product: { name: '1', upc: 'Table' } } },
    },
    {
      name: 'an alias named like a remote field',
      query: '{ product(upc: "2") { reviewCount: price count: reviewCount } }',
      expected: { data: { product: { reviewCount: 1299, count: 1 } } },
    },
    {
      name: 'aliases on nested remote objects',
      query: '{ products { n: name rs: reviews(first: 1) { text: body } } }',
      expected: { data: { products: [{ n: 'Table', rs: [{ text: 'Love it!' }] }, { n: 'Couch', rs: [{ text: 'Too expensive.' }] }] } },
    },
    {
      name: "aliases named like Object.prototype's properties, on merged entities",
      query: '{ constructor: product(upc: "1") { toString: name hasOwnProperty: reviewCount } products { constructor: reviews(first: 1) { valueOf: body } } }',
      expected: {
        data: {
          constructor: { toString: 'Table', hasOwnProperty: 2 },
          products: [{ constructor: [{ valueOf: 'Love it!' }] }, { constructor: [{ valueOf: 'Too expensive.' }] }],
        },
      },
    },
    {
      name: '__typename of the query root',
      query: '{ __typename }',
      expected: { data: { __typename: 'Query' } },
    },
    {
      name: 'aliased __typename at several levels',
      query: '{ t: __typename product(upc: "1") { kind: __typename reviews(first: 1) { k: __typename __typename } } }',
      expected: { data: { t: 'Query', product: { kind: 'Product', reviews: [{ k: 'Review', __typename: 'Review' }] } } },
    },
    {
      name: '__typename only on an entity',
      query: '{ products { __typename } }',
      expected: { data: { products: [{ __typename: 'Product' }, { __typename: 'Product' }] } },
    },
    {
      name: 'operationName picks one of several operations',
      query: 'query A { product(upc: "1") { name } } query B { product(upc: "2") { reviewCount } }',
      operationName: 'B',
      expected: { data: { product: { reviewCount: 1 } } },
    },
    {
      name: 'several operations without operationName is a request error',
      query: 'query A { product(upc: "1") { name } } query B { product(upc: "2") { name } }',
      expected: { errors: [{ extensions: { code: 'OPERATION_RESOLUTION_FAILURE' } }] },
    },
    {
      name: 'an operationName the document does not have is a request error',
      query: 'query A { product(upc: "1") { name } }',
      operationName: 'C',
      expected: { errors: [{ extensions: { code: 'OPERATION_RESOLUTION_FAILURE' } }] },
    },
    {
      name: 'a fragment on the query root with remote fields',
      query: '{ ...Root } fragment Root on Query { product(upc: "2") { name reviewCount } }',
      expected: { data: { product: { name: 'Couch', reviewCount: 1 } } },
    },
    {
      name: 'the federation root fields are not in the API',
      query: '{ _service { sdl } }',
      expected: { errors: [{ extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } }] },
    },
    {
      name: 'introspection lists the API’s root fields only',
      query: '{ __schema { queryType { fields { name } } } }',
      expected: { data: { __schema: { queryType: { fields: [{ name: 'product' }, { name: 'products' }] } } } },
    },
    {
      name: 'introspection knows no federation types',
      query: '{ e: __type(name: "_Entity") { name } a: __type(name: "_Any") { name } s: __type(name: "_Service") { name } }',
      expected: { data: { e: null, a: null, s: null } },
    },
    {
      name: 'an unknown field is a validation error with no data',
      query: '{ product(upc: "1") { name colour } }',
      expected: { errors: [{ extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } }] },
    },
    {
      // CityGraph's executor runs @defer (stock Apollo Gateway's API schema declares no @defer:
      // a validation error there). A client that does not accept multipart/mixed gets the
      // whole answer at once, the deferred fragment in its place.
      name: '@defer without a multipart Accept: the whole answer in one response',
      query: '{ product(upc: "1") { name ... @defer { reviewCount } } }',
      expected: { data: { product: { name: 'Table', reviewCount: 2 } } },
    },
    {
      name: 'a syntax error is a parse failure',
      query: '{ product(upc: "1") { name }',
      expected: { errors: [{ extensions: { code: 'GRAPHQL_PARSE_FAILED' } }] },
    },
  ],
};

export const fixtures: FederationFixture[] = [conditions, aliases];
