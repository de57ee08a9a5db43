import type { FederationFixture } from '../harness';
import { byKey, fed } from '../sdl';

const stores = [
  { id: 's1', name: 'Futian Market', location: { lat: 22.54, lng: 114.05 }, category: 'FOOD' },
  { id: 's2', name: 'Huaqiangbei Tools', location: { lat: 22.55, lng: 114.08 }, category: 'TOOLS' },
];
const events = [{ id: 'e1', title: 'Night market', location: { lat: 22.54, lng: 114.05 }, storeId: 's1' }];

/** Value types and fields resolved by more than one subgraph (`@shareable`): same answer whichever is asked. */
const shareable: FederationFixture = {
  name: 'shareable',
  subgraphs: [
    {
      name: 'stores',
      typeDefs: `${fed('@key', '@shareable')}
        type Location @shareable { lat: Float! lng: Float! }
        enum Category { FOOD TOOLS }
        type Store @key(fields: "id") { id: ID! name: String! location: Location! @shareable category: Category! }
        type Query { stores: [Store!]! version: String! @shareable }`,
      resolvers: {
        Query: { stores: () => stores, version: () => '1.0' },
        Store: { __resolveReference: byKey(stores, 'id') },
      },
    },
    {
      name: 'events',
      typeDefs: `${fed('@key', '@shareable')}
        type Location @shareable { lat: Float! lng: Float! }
        type Store @key(fields: "id") { id: ID! location: Location! @shareable }
        type Event { id: ID! title: String! location: Location! store: Store }
        type Query { events: [Event!]! version: String! @shareable }`,
      resolvers: {
        Query: { events: () => events, version: () => '1.0' },
        Event: { store: (e: { storeId: string }) => stores.find((s) => s.id === e.storeId) },
        Store: { __resolveReference: byKey(stores, 'id') },
      },
    },
  ],
  cases: [
    {
      name: 'a shareable value type from its first subgraph',
      query: '{ stores { name location { lat lng } category } }',
      expected: {
        data: {
          stores: [
            { name: 'Futian Market', location: { lat: 22.54, lng: 114.05 }, category: 'FOOD' },
            { name: 'Huaqiangbei Tools', location: { lat: 22.55, lng: 114.08 }, category: 'TOOLS' },
          ],
        },
      },
    },
    {
      name: 'the same value type from the other subgraph',
      query: '{ events { title location { lng lat } } }',
      expected: { data: { events: [{ title: 'Night market', location: { lng: 114.05, lat: 22.54 } }] } },
    },
    {
      name: 'a shareable entity field where either subgraph may answer',
      query: '{ events { store { location { lat } name category } } }',
      expected: { data: { events: [{ store: { location: { lat: 22.54 }, name: 'Futian Market', category: 'FOOD' } }] } },
    },
    {
      name: 'a shareable root field',
      query: '{ version }',
      expected: { data: { version: '1.0' } },
    },
    {
      name: 'a shareable root field next to one from each subgraph',
      query: '{ version stores { id } events { id } }',
      expected: { data: { version: '1.0', stores: [{ id: 's1' }, { id: 's2' }], events: [{ id: 'e1' }] } },
    },
  ],
};

const users = [
  { id: 'u1', username: 'ada', email: 'ada@example.org' },
  { id: 'u2', username: 'alan', email: 'alan@example.org' },
];
const reviews = [
  { id: 'r1', body: 'Great', authorId: 'u1' },
  { id: 'r2', body: 'Meh', authorId: 'u2' },
];
const depots = [
  { id: 'd1', name: 'Yantian', city: 'Shenzhen' },
  { id: 'd2', name: 'Nansha', city: 'Guangzhou' },
];
const routes = [{ id: 'rt1', originId: 'd1', destinationId: 'd2', km: 140 }];

/** `@external` fields a subgraph may serve on one path only, because that path `@provides` them (nested too). */
const provides: FederationFixture = {
  name: 'external-provides',
  subgraphs: [
    {
      name: 'users',
      typeDefs: `${fed('@key', '@shareable')}
        type User @key(fields: "id") { id: ID! username: String! @shareable email: String! }
        type Query { me: User }`,
      resolvers: { Query: { me: () => users[0] }, User: { __resolveReference: byKey(users, 'id') } },
    },
    {
      name: 'reviews',
      typeDefs: `${fed('@key', '@external', '@provides')}
        type User @key(fields: "id") { id: ID! username: String! @external reviews: [Review!]! }
        type Review { id: ID! body: String! author: User! @provides(fields: "username") }
        type Query { reviews: [Review!]! reviewers: [User!]! }`,
      resolvers: {
        Query: { reviews: () => reviews, reviewers: () => users.map((u) => ({ id: u.id })) },
        Review: { author: (r: { authorId: string }) => users.find((u) => u.id === r.authorId) },
        User: { reviews: (u: { id: string }) => reviews.filter((r) => r.authorId === u.id) },
      },
    },
    {
      name: 'logistics',
      typeDefs: `${fed('@key', '@shareable')}
        type Depot @key(fields: "id") { id: ID! name: String! @shareable city: String! }
        type Route @key(fields: "id") { id: ID! origin: Depot! @shareable destination: Depot! km: Int! @shareable }`,
      resolvers: {
        Depot: { __resolveReference: byKey(depots, 'id') },
        Route: {
          __resolveReference: byKey(routes, 'id'),
          origin: (r: { originId: string }) => depots.find((d) => d.id === r.originId),
          destination: (r: { destinationId: string }) => depots.find((d) => d.id === r.destinationId),
        },
      },
    },
    {
      name: 'parcels',
      typeDefs: `${fed('@key', '@external', '@provides')}
        type Depot @key(fields: "id") { id: ID! name: String! @external }
        type Route @key(fields: "id") { id: ID! origin: Depot! @external km: Int! @external }
        type Parcel { id: ID! route: Route! @provides(fields: "origin { name } km") }
        type Query { parcels: [Parcel!]! }`,
      resolvers: {
        Query: { parcels: () => [{ id: 'p1', routeId: 'rt1' }] },
        Parcel: {
          route: (p: { routeId: string }) => {
            const r = routes.find((x) => x.id === p.routeId)!;
            const origin = depots.find((d) => d.id === r.originId)!;
            return { id: r.id, km: r.km, origin: { id: origin.id, name: origin.name } };
          },
        },
      },
    },
  ],
  cases: [
    {
      name: 'a provided field on the providing path',
      query: '{ reviews { body author { username } } }',
      expected: { data: { reviews: [{ body: 'Great', author: { username: 'ada' } }, { body: 'Meh', author: { username: 'alan' } }] } },
    },
    {
      name: 'a provided field next to one only the owner has',
      query: '{ reviews { author { username email } } }',
      expected: { data: { reviews: [{ author: { username: 'ada', email: 'ada@example.org' } }, { author: { username: 'alan', email: 'alan@example.org' } }] } },
    },
    {
      name: 'the same external field off the providing path comes from its owner',
      query: '{ reviewers { id username } }',
      expected: { data: { reviewers: [{ id: 'u1', username: 'ada' }, { id: 'u2', username: 'alan' }] } },
    },
    {
      name: 'from the owner into the subgraph with the external field and back',
      query: '{ me { username reviews { body author { username email } } } }',
      expected: { data: { me: { username: 'ada', reviews: [{ body: 'Great', author: { username: 'ada', email: 'ada@example.org' } }] } } },
    },
    {
      name: 'nested provides: provided leaves with unprovided siblings',
      query: '{ parcels { id route { km origin { name city } destination { name city } } } }',
      expected: {
        data: { parcels: [{ id: 'p1', route: { km: 140, origin: { name: 'Yantian', city: 'Shenzhen' }, destination: { name: 'Nansha', city: 'Guangzhou' } } }] },
      },
    },
    {
      name: 'nested provides: only provided fields',
      query: '{ parcels { route { origin { name } km } } }',
      expected: { data: { parcels: [{ route: { origin: { name: 'Yantian' }, km: 140 } }] } },
    },
  ],
};

export const fixtures: FederationFixture[] = [shareable, provides];
