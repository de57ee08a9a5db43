import type { FederationFixture } from '../harness';
import { byArgs, byKey, fed } from '../sdl';

const users = [
  { id: 'u1', name: 'Ada', email: 'ada@example.org' },
  { id: 'u2', name: 'Alan', email: 'alan@example.org' },
];
const posts = [{ id: 'p1', title: 'On engines', authorId: 'u1' }];
const songs = [{ id: 's1', title: 'Blue', seconds: 200 }];

/** Unions and interfaces spread over subgraphs: members and implementations come from different ones. */
const unions: FederationFixture = {
  name: 'abstract-unions',
  subgraphs: [
    {
      name: 'users',
      typeDefs: `${fed('@key')}
        type User @key(fields: "id") { id: ID! name: String! email: String! }
        type Query { user(id: ID!): User }`,
      resolvers: { Query: { user: byArgs(users, 'id') }, User: { __resolveReference: byKey(users, 'id') } },
    },
    {
      name: 'search',
      typeDefs: `${fed('@key')}
        type User @key(fields: "id") { id: ID! }
        type Post @key(fields: "id") { id: ID! title: String! author: User! }
        union SearchResult = User | Post
        type Query { search(term: String!): [SearchResult!]! }`,
      resolvers: {
        Query: { search: () => [{ __typename: 'Post', ...posts[0] }, { __typename: 'User', id: 'u2' }] },
        SearchResult: { __resolveType: (r: { __typename: string }) => r.__typename },
        Post: { __resolveReference: byKey(posts, 'id'), author: (p: { authorId: string }) => ({ id: p.authorId }) },
      },
    },
    {
      name: 'music',
      typeDefs: `${fed('@key')}
        type Post @key(fields: "id") { id: ID! }
        type Song @key(fields: "id") { id: ID! title: String! seconds: Int! }
        union SearchResult = Song | Post
        type Query { playlistSearch: [SearchResult!]! }`,
      resolvers: {
        Query: { playlistSearch: () => [{ __typename: 'Song', ...songs[0] }, { __typename: 'Post', id: 'p1' }] },
        SearchResult: { __resolveType: (r: { __typename: string }) => r.__typename },
        Song: { __resolveReference: byKey(songs, 'id') },
      },
    },
  ],
  cases: [
    {
      name: 'union members with fields from another subgraph',
      query: '{ search(term: "a") { __typename ... on Post { title author { name } } ... on User { name email } } }',
      expected: {
        data: {
          search: [
            { __typename: 'Post', title: 'On engines', author: { name: 'Ada' } },
            { __typename: 'User', name: 'Alan', email: 'alan@example.org' },
          ],
        },
      },
    },
    {
      name: 'a fragment on a member the subgraph’s union lacks selects nothing',
      query: '{ search(term: "a") { ... on Song { seconds } ... on Post { id } } }',
      expected: { data: { search: [{ id: 'p1' }, {}] } },
    },
    {
      name: 'the merged union seen from the other subgraph',
      query: '{ playlistSearch { __typename ... on Song { title seconds } ... on Post { title author { name } } ... on User { name } } }',
      expected: {
        data: {
          playlistSearch: [
            { __typename: 'Song', title: 'Blue', seconds: 200 },
            { __typename: 'Post', title: 'On engines', author: { name: 'Ada' } },
          ],
        },
      },
    },
    {
      name: 'only __typename of union members',
      query: '{ search(term: "a") { __typename } playlistSearch { __typename } }',
      expected: { data: { search: [{ __typename: 'Post' }, { __typename: 'User' }], playlistSearch: [{ __typename: 'Song' }, { __typename: 'Post' }] } },
    },
    {
      name: 'named fragments on union members',
      query: '{ search(term: "a") { ...P ...U } } fragment P on Post { title } fragment U on User { name }',
      expected: { data: { search: [{ title: 'On engines' }, { name: 'Alan' }] } },
    },
  ],
};

const vehicles = [
  { __typename: 'Car', id: 'c1', wheels: 4, seats: 5 },
  { __typename: 'Bike', id: 'b1', wheels: 2, gears: 21 },
  { __typename: 'Car', id: 'c2', wheels: 4, seats: 2 },
];
const prices: Record<string, number> = { c1: 30000, c2: 90000 };

/**
 * An interface whose implementations differ between subgraphs: the fleet knows Car and Bike,
 * the dealer knows only Car (with fields of its own) and its own Truck.
 */
const interfaces: FederationFixture = {
  name: 'abstract-interfaces',
  subgraphs: [
    {
      name: 'fleet',
      typeDefs: `${fed('@key', '@shareable')}
        interface Vehicle { id: ID! wheels: Int! }
        type Car implements Vehicle @key(fields: "id") { id: ID! wheels: Int! @shareable seats: Int! }
        type Bike implements Vehicle @key(fields: "id") { id: ID! wheels: Int! gears: Int! }
        type Query { vehicles: [Vehicle!]! vehicle(id: ID!): Vehicle }`,
      resolvers: {
        Query: { vehicles: () => vehicles, vehicle: byArgs(vehicles, 'id') },
        Vehicle: { __resolveType: (v: { __typename: string }) => v.__typename },
        Car: { __resolveReference: byKey(vehicles, 'id') },
        Bike: { __resolveReference: byKey(vehicles, 'id') },
      },
    },
    {
      name: 'dealer',
      typeDefs: `${fed('@key', '@shareable')}
        interface Vehicle { id: ID! wheels: Int! }
        type Car implements Vehicle @key(fields: "id") { id: ID! wheels: Int! @shareable price: Int! }
        type Truck implements Vehicle @key(fields: "id") { id: ID! wheels: Int! payload: Int! }
        type Query { forSale: [Vehicle!]! }`,
      resolvers: {
        Query: { forSale: () => [{ __typename: 'Truck', id: 't1', wheels: 6, payload: 8 }, { __typename: 'Car', id: 'c2', wheels: 4 }] },
        Vehicle: { __resolveType: (v: { __typename: string }) => v.__typename },
        Car: { __resolveReference: (ref: { id: string }) => ({ ...ref, wheels: 4 }), price: (c: { id: string }) => prices[c.id] },
      },
    },
  ],
  cases: [
    {
      name: 'interface fields and fragments, one implementation extended elsewhere',
      query: '{ vehicles { id wheels ... on Car { seats price } ... on Bike { gears } } }',
      expected: {
        data: {
          vehicles: [
            { id: 'c1', wheels: 4, seats: 5, price: 30000 },
            { id: 'b1', wheels: 2, gears: 21 },
            { id: 'c2', wheels: 4, seats: 2, price: 90000 },
          ],
        },
      },
    },
    {
      name: 'a fragment on an implementation the subgraph does not know selects nothing',
      query: '{ vehicles { ... on Truck { payload } __typename } }',
      expected: { data: { vehicles: [{ __typename: 'Car' }, { __typename: 'Bike' }, { __typename: 'Car' }] } },
    },
    {
      name: 'the other subgraph’s interface field: its Car reaches back for seats',
      query: '{ forSale { __typename wheels ... on Truck { payload } ... on Car { seats price } ... on Bike { gears } } }',
      expected: {
        data: {
          forSale: [
            { __typename: 'Truck', wheels: 6, payload: 8 },
            { __typename: 'Car', wheels: 4, seats: 2, price: 90000 },
          ],
        },
      },
    },
    {
      name: 'an interface-typed root field with a fragment on the interface',
      query: '{ vehicle(id: "c1") { ... on Vehicle { id } ... on Car { price } } }',
      expected: { data: { vehicle: { id: 'c1', price: 30000 } } },
    },
    {
      name: 'an interface-typed root field returning null',
      query: '{ vehicle(id: "x") { id } }',
      expected: { data: { vehicle: null } },
    },
    {
      name: 'fragments nested in fragments on abstract types',
      query: '{ vehicles { ...V } } fragment V on Vehicle { ... on Car { ...C } } fragment C on Car { id price }',
      expected: { data: { vehicles: [{ id: 'c1', price: 30000 }, {}, { id: 'c2', price: 90000 }] } },
    },
    {
      name: 'the same field in the interface and the implementation fragment is merged',
      query: '{ vehicle(id: "b1") { wheels ... on Bike { wheels gears } } }',
      expected: { data: { vehicle: { wheels: 2, gears: 21 } } },
    },
  ],
};

export const fixtures: FederationFixture[] = [unions, interfaces];
