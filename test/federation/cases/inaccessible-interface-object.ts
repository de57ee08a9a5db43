import type { FederationFixture } from '../harness';
import { byKey, fed, mediaCatalog, type MediaRow } from '../sdl';

const VALIDATION = { extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } };

const items = [
  { sku: 'k1', internalId: 'INT-1', name: 'Kettle', cost: 12, status: 'ACTIVE' },
  { sku: 'k2', internalId: 'INT-2', name: 'Kite', cost: 3, status: 'ACTIVE' },
];
const stock: Record<string, number> = { 'INT-1': 7, 'INT-2': 0 };

/** `@inaccessible`: part of the supergraph, usable between subgraphs, invisible and unusable for clients. */
const inaccessible: FederationFixture = {
  name: 'inaccessible',
  subgraphs: [
    {
      name: 'catalog',
      typeDefs: `${fed('@key', '@inaccessible')}
        enum Status { ACTIVE RETIRED @inaccessible }
        type Item @key(fields: "sku") @key(fields: "internalId") {
          sku: ID!
          internalId: ID! @inaccessible
          name: String!
          cost: Int! @inaccessible
          status: Status!
        }
        type Secret @inaccessible { code: String! }
        type Query {
          items(status: Status, includeCost: Boolean @inaccessible): [Item!]!
          secret: Secret @inaccessible
        }`,
      resolvers: {
        Query: { items: (_: unknown, a: { status?: string }) => items.filter((i) => !a.status || i.status === a.status) },
        Item: { __resolveReference: (ref: { sku?: string; internalId?: string }) => items.find((i) => i.sku === ref.sku || i.internalId === ref.internalId) ?? null },
      },
    },
    {
      name: 'warehouse',
      typeDefs: `${fed('@key', '@inaccessible')}
        type Item @key(fields: "internalId") { internalId: ID! @inaccessible inStock: Int! }`,
      resolvers: { Item: { __resolveReference: (ref: { internalId: string }) => ({ ...ref, inStock: stock[ref.internalId] }) } },
    },
  ],
  cases: [
    {
      name: 'an inaccessible key still joins the subgraphs',
      query: '{ items { name inStock } }',
      expected: { data: { items: [{ name: 'Kettle', inStock: 7 }, { name: 'Kite', inStock: 0 }] } },
    },
    {
      name: 'selecting an inaccessible field is a validation error',
      query: '{ items { name cost } }',
      expected: { errors: [VALIDATION] },
    },
    {
      name: 'selecting an inaccessible key field is a validation error',
      query: '{ items { internalId } }',
      expected: { errors: [VALIDATION] },
    },
    {
      name: 'an inaccessible root field and type are unknown',
      query: '{ secret { code } }',
      expected: { errors: [VALIDATION] },
    },
    {
      name: 'an inaccessible argument is unknown',
      query: '{ items(includeCost: true) { name } }',
      expected: { errors: [VALIDATION] },
    },
    {
      name: 'an inaccessible enum value is not a valid literal',
      query: '{ items(status: RETIRED) { name } }',
      expected: { errors: [VALIDATION] },
    },
    {
      name: 'an inaccessible enum value is not a valid variable value',
      query: 'query($s: Status) { items(status: $s) { name } }',
      variables: { s: 'RETIRED' },
      expected: { errors: [{ extensions: { code: 'BAD_USER_INPUT' } }] },
    },
    {
      name: 'an accessible enum value works',
      query: 'query($s: Status) { items(status: $s) { sku status } }',
      variables: { s: 'ACTIVE' },
      expected: { data: { items: [{ sku: 'k1', status: 'ACTIVE' }, { sku: 'k2', status: 'ACTIVE' }] } },
    },
    {
      name: 'introspection does not show inaccessible fields',
      query: '{ __type(name: "Item") { fields { name } } }',
      expected: { data: { __type: { fields: [{ name: 'sku' }, { name: 'name' }, { name: 'status' }, { name: 'inStock' }] } } },
    },
    {
      name: 'introspection does not show inaccessible types',
      query: '{ __type(name: "Secret") { name } }',
      expected: { data: { __type: null } },
    },
    {
      name: 'introspection does not show inaccessible enum values or arguments',
      query: '{ __type(name: "Status") { enumValues { name } } __schema { queryType { fields { name args { name } } } } }',
      expected: {
        data: {
          __type: { enumValues: [{ name: 'ACTIVE' }] },
          __schema: { queryType: { fields: [{ name: 'items', args: [{ name: 'status' }] }] } },
        },
      },
    },
  ],
};

const media: MediaRow[] = [
  { __typename: 'Book', id: 'm1', title: 'Dune', pages: 412 },
  { __typename: 'Movie', id: 'm2', title: 'Alien', minutes: 117 },
  { __typename: 'Book', id: 'm3', title: 'Solaris', pages: 204 },
];
const ratings: Record<string, number> = { m1: 5, m2: 4, m3: 3 };

/**
 * `@interfaceObject`: a subgraph adds fields to every implementation of an entity interface
 * without knowing the implementations; the gateway finds the concrete type where needed.
 */
const interfaceObject: FederationFixture = {
  name: 'interface-object',
  subgraphs: [
    mediaCatalog(media),
    {
      name: 'ratings',
      typeDefs: `${fed('@key', '@interfaceObject')}
        type Media @key(fields: "id") @interfaceObject { id: ID! rating: Int! similar: [Media!]! }
        type Query { topRated: [Media!]! }`,
      resolvers: {
        Query: { topRated: () => Object.entries(ratings).sort((a, b) => b[1] - a[1]).map(([id]) => ({ id })) },
        Media: {
          __resolveReference: (ref: { id: string }) => ref,
          rating: (m: { id: string }) => ratings[m.id],
          similar: (m: { id: string }) => Object.keys(ratings).filter((id) => id !== m.id).map((id) => ({ id })),
        },
      },
    },
  ],
  cases: [
    {
      name: 'interface-object fields on every implementation',
      query: '{ media { title rating } }',
      expected: { data: { media: [{ title: 'Dune', rating: 5 }, { title: 'Alien', rating: 4 }, { title: 'Solaris', rating: 3 }] } },
    },
    {
      name: 'from the interface object: concrete __typename',
      query: '{ topRated { id __typename } }',
      expected: { data: { topRated: [{ id: 'm1', __typename: 'Book' }, { id: 'm2', __typename: 'Movie' }, { id: 'm3', __typename: 'Book' }] } },
    },
    {
      name: 'from the interface object: fragments on implementations',
      query: '{ topRated { rating title ... on Book { pages } ... on Movie { minutes } } }',
      expected: {
        data: {
          topRated: [
            { rating: 5, title: 'Dune', pages: 412 },
            { rating: 4, title: 'Alien', minutes: 117 },
            { rating: 3, title: 'Solaris', pages: 204 },
          ],
        },
      },
    },
    {
      name: 'a concrete type reaches the interface object’s fields',
      query: '{ book(id: "m3") { title rating } }',
      expected: { data: { book: { title: 'Solaris', rating: 3 } } },
    },
    {
      name: 'nested: interface object to interface object',
      query: '{ book(id: "m1") { similar { __typename title rating } } }',
      expected: {
        data: { book: { similar: [{ __typename: 'Movie', title: 'Alien', rating: 4 }, { __typename: 'Book', title: 'Solaris', rating: 3 }] } },
      },
    },
    {
      name: 'only interface-object fields: no catalog fetch needed',
      query: '{ topRated { id rating } }',
      expected: { data: { topRated: [{ id: 'm1', rating: 5 }, { id: 'm2', rating: 4 }, { id: 'm3', rating: 3 }] } },
    },
  ],
};

export const fixtures: FederationFixture[] = [inaccessible, interfaceObject];
