import type { FederationFixture } from '../harness';
import { byArgs, byKey, fed, mediaCatalog, type MediaRow } from '../sdl';

const accounts = [
  { region: 'eu', number: 1, owner: 'Ada', balance: -20 },
  { region: 'us', number: 1, owner: 'Grace', balance: 150 },
  { region: 'eu', number: 2, owner: 'Alan', balance: 0 },
];

/** A key of two fields: both travel in the representation, and both are needed to find the entity. */
const compound: FederationFixture = {
  name: 'keys-compound',
  subgraphs: [
    {
      name: 'accounts',
      typeDefs: `${fed('@key')}
        type Account @key(fields: "region number") { region: String! number: Int! owner: String! }
        type Query { accounts: [Account!]! }`,
      resolvers: {
        Query: { accounts: () => accounts },
        Account: { __resolveReference: byKey(accounts, 'region', 'number') },
      },
    },
    {
      name: 'billing',
      typeDefs: `${fed('@key')}
        type Account @key(fields: "region number") { region: String! number: Int! balance: Int! }
        type Query { topDebtor: Account overdrawn: [Account!]! }`,
      resolvers: {
        Query: {
          topDebtor: () => accounts[0],
          overdrawn: () => accounts.filter((a) => a.balance < 0),
        },
        Account: { __resolveReference: byKey(accounts, 'region', 'number') },
      },
    },
  ],
  cases: [
    {
      name: 'accounts with balances: same number in two regions stay apart',
      query: '{ accounts { region number owner balance } }',
      expected: {
        data: {
          accounts: [
            { region: 'eu', number: 1, owner: 'Ada', balance: -20 },
            { region: 'us', number: 1, owner: 'Grace', balance: 150 },
            { region: 'eu', number: 2, owner: 'Alan', balance: 0 },
          ],
        },
      },
    },
    {
      name: 'from billing to accounts by the compound key',
      query: '{ topDebtor { owner balance } }',
      expected: { data: { topDebtor: { owner: 'Ada', balance: -20 } } },
    },
    {
      name: 'a list from billing, owners from accounts',
      query: '{ overdrawn { owner region } }',
      expected: { data: { overdrawn: [{ owner: 'Ada', region: 'eu' }] } },
    },
    {
      name: 'only key fields: answered by the first subgraph alone',
      query: '{ topDebtor { number region } }',
      expected: { data: { topDebtor: { number: 1, region: 'eu' } } },
    },
  ],
};

const seats = [
  { hall: { id: 'h1' }, row: 1, label: 'A1', price: 10 },
  { hall: { id: 'h1' }, row: 2, label: 'A2', price: 12 },
  { hall: { id: 'h2' }, row: 1, label: 'B1', price: 8 },
];

/** A key that reaches into a nested object (`hall { id } row`). */
const nested: FederationFixture = {
  name: 'keys-nested',
  subgraphs: [
    {
      name: 'venue',
      typeDefs: `${fed('@key', '@shareable')}
        type Hall @shareable { id: ID! }
        type Seat @key(fields: "hall { id } row") { hall: Hall! row: Int! label: String! }
        type Query { seats: [Seat!]! }`,
      resolvers: {
        Query: { seats: () => seats },
        Seat: { __resolveReference: (ref: { hall: { id: string }; row: number }) => seats.find((s) => s.hall.id === ref.hall.id && s.row === ref.row) ?? null },
      },
    },
    {
      name: 'tickets',
      typeDefs: `${fed('@key', '@shareable')}
        type Hall @shareable { id: ID! }
        type Seat @key(fields: "hall { id } row") { hall: Hall! row: Int! price: Int! }
        type Query { cheapest: Seat }`,
      resolvers: {
        Query: { cheapest: () => seats[2] },
        Seat: {
          __resolveReference: (ref: { hall: { id: string }; row: number }) => seats.find((s) => s.hall.id === ref.hall.id && s.row === ref.row) ?? null,
        },
      },
    },
  ],
  cases: [
    {
      name: 'seats with prices by the nested key',
      query: '{ seats { label hall { id } row price } }',
      expected: {
        data: {
          seats: [
            { label: 'A1', hall: { id: 'h1' }, row: 1, price: 10 },
            { label: 'A2', hall: { id: 'h1' }, row: 2, price: 12 },
            { label: 'B1', hall: { id: 'h2' }, row: 1, price: 8 },
          ],
        },
      },
    },
    {
      name: 'the other way: the cheapest seat’s label',
      query: '{ cheapest { price label } }',
      expected: { data: { cheapest: { price: 8, label: 'B1' } } },
    },
    {
      name: 'nested key fields themselves, no other subgraph',
      query: '{ cheapest { hall { id } } }',
      expected: { data: { cheapest: { hall: { id: 'h2' } } } },
    },
  ],
};

const cars = [
  { vin: 'V1', plate: 'SZ-001', model: 'BYD Seal', insured: true, recalls: ['brake hose'] },
  { vin: 'V2', plate: 'SZ-002', model: 'Nio ET5', insured: false, recalls: [] as string[] },
];

/** An entity with two keys: a subgraph knowing only one of them is reached through one that knows both. */
const severalKeys: FederationFixture = {
  name: 'keys-several',
  subgraphs: [
    {
      name: 'registry',
      typeDefs: `${fed('@key')}
        type Car @key(fields: "vin") @key(fields: "plate") { vin: ID! plate: String! model: String! }
        type Query { cars: [Car!]! }`,
      resolvers: {
        Query: { cars: () => cars },
        Car: { __resolveReference: (ref: { vin?: string; plate?: string }) => cars.find((c) => (ref.vin ? c.vin === ref.vin : c.plate === ref.plate)) ?? null },
      },
    },
    {
      name: 'insurance',
      typeDefs: `${fed('@key')}
        type Car @key(fields: "plate") { plate: String! insured: Boolean! }
        type Query { uninsured: [Car!]! }`,
      resolvers: {
        Query: { uninsured: () => cars.filter((c) => !c.insured) },
        Car: { __resolveReference: byKey(cars, 'plate') },
      },
    },
    {
      name: 'recalls',
      typeDefs: `${fed('@key')}
        type Car @key(fields: "vin") { vin: ID! recalls: [String!]! }
        type Query { recalled: [Car!]! }`,
      resolvers: {
        Query: { recalled: () => cars.filter((c) => c.recalls.length) },
        Car: { __resolveReference: byKey(cars, 'vin') },
      },
    },
  ],
  cases: [
    {
      name: 'each subgraph by its own key',
      query: '{ cars { model insured recalls } }',
      expected: { data: { cars: [{ model: 'BYD Seal', insured: true, recalls: ['brake hose'] }, { model: 'Nio ET5', insured: false, recalls: [] }] } },
    },
    {
      name: 'plate → vin through the subgraph that has both keys',
      query: '{ uninsured { plate recalls } }',
      expected: { data: { uninsured: [{ plate: 'SZ-002', recalls: [] }] } },
    },
    {
      name: 'vin → plate the other way round',
      query: '{ recalled { vin insured model } }',
      expected: { data: { recalled: [{ vin: 'V1', insured: true, model: 'BYD Seal' }] } },
    },
    {
      name: 'a key field of the other key comes from the registry',
      query: '{ recalled { plate } }',
      expected: { data: { recalled: [{ plate: 'SZ-001' }] } },
    },
  ],
};

const media: MediaRow[] = [
  { __typename: 'Book', id: 'm1', title: 'Dune', pages: 412, isbn: '978-0441' },
  { __typename: 'Movie', id: 'm2', title: 'Alien', minutes: 117 },
  { __typename: 'Book', id: 'm3', title: 'Solaris', pages: 204, isbn: '978-0156' },
];

/** `@key` on an interface (an entity interface): its implementations are entities other subgraphs extend. */
const interfaceKey: FederationFixture = {
  name: 'keys-on-interfaces',
  subgraphs: [
    mediaCatalog(media),
    {
      name: 'library',
      typeDefs: `${fed('@key')}
        type Book @key(fields: "id") { id: ID! isbn: String! }
        type Query { newestBook: Book }`,
      resolvers: {
        Query: { newestBook: () => media[2] },
        Book: { __resolveReference: byKey(media, 'id') },
      },
    },
  ],
  cases: [
    {
      name: 'interface list with fragments reaching another subgraph',
      query: '{ media { __typename title ... on Book { isbn pages } ... on Movie { minutes } } }',
      expected: {
        data: {
          media: [
            { __typename: 'Book', title: 'Dune', isbn: '978-0441', pages: 412 },
            { __typename: 'Movie', title: 'Alien', minutes: 117 },
            { __typename: 'Book', title: 'Solaris', isbn: '978-0156', pages: 204 },
          ],
        },
      },
    },
    {
      name: 'an implementation reached from the other subgraph',
      query: '{ newestBook { isbn title pages } }',
      expected: { data: { newestBook: { isbn: '978-0156', title: 'Solaris', pages: 204 } } },
    },
    {
      name: 'interface fields only',
      query: '{ media { id title } }',
      expected: { data: { media: [{ id: 'm1', title: 'Dune' }, { id: 'm2', title: 'Alien' }, { id: 'm3', title: 'Solaris' }] } },
    },
  ],
};

const stations = [
  { id: 's1', name: 'Futian', lines: 3 },
  { id: 's2', name: 'Luohu', lines: 2 },
];

/** `resolvable: false`: a subgraph that only references an entity it cannot resolve. */
const unresolvable: FederationFixture = {
  name: 'keys-unresolvable-reference',
  subgraphs: [
    {
      name: 'stations',
      typeDefs: `${fed('@key')}
        type Station @key(fields: "id") { id: ID! name: String! lines: Int! }
        type Query { station(id: ID!): Station }`,
      resolvers: { Query: { station: byArgs(stations, 'id') }, Station: { __resolveReference: byKey(stations, 'id') } },
    },
    {
      name: 'trips',
      typeDefs: `${fed('@key')}
        type Station @key(fields: "id", resolvable: false) { id: ID! }
        type Trip { id: ID! from: Station! to: Station! }
        type Query { trips: [Trip!]! }`,
      resolvers: { Query: { trips: () => [{ id: 't1', from: { id: 's1' }, to: { id: 's2' } }] } },
    },
  ],
  cases: [
    {
      name: 'stations of a trip from the subgraph that owns them',
      query: '{ trips { id from { name } to { name lines } } }',
      expected: { data: { trips: [{ id: 't1', from: { name: 'Futian' }, to: { name: 'Luohu', lines: 2 } }] } },
    },
    {
      name: 'the referenced key needs no fetch',
      query: '{ trips { from { id } to { id } } }',
      expected: { data: { trips: [{ from: { id: 's1' }, to: { id: 's2' } }] } },
    },
  ],
};

export const fixtures: FederationFixture[] = [compound, nested, severalKeys, interfaceKey, unresolvable];
