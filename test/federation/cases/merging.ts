import type { FederationFixture } from '../harness';
import { fed } from '../sdl';

const VALIDATION = { extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } };

/**
 * How composition merges types a client sees (federation composition rules): an output-only enum
 * gets every subgraph's values (union), an input-only enum and an input type only those all
 * subgraphs share (intersection), and an argument a shared field lacks somewhere is dropped.
 */
const merging: FederationFixture = {
  name: 'type-merging',
  subgraphs: [
    {
      name: 'shirts',
      typeDefs: `${fed('@shareable')}
        enum Size { S M L }
        enum Color { RED GREEN }
        input Query2 { color: Color text: String exact: Boolean }
        type Query {
          shirtSize: Size!
          shirts(color: Color): [String!]!
          search(q: Query2!): String!
          label(lang: String): String! @shareable
        }`,
      resolvers: {
        Query: {
          shirtSize: () => 'M',
          shirts: (_: unknown, a: { color?: string }) => (a.color ? [`${a.color} shirt`] : ['RED shirt', 'GREEN shirt']),
          search: (_: unknown, a: { q: unknown }) => JSON.stringify(a.q),
          label: () => 'shirts',
        },
      },
    },
    {
      name: 'coats',
      typeDefs: `${fed('@shareable')}
        enum Size { S M L XL }
        enum Color { RED GREEN BLUE }
        input Query2 { color: Color text: String }
        type Query { coatSize: Size! coats(color: Color): [String!]! label: String! @shareable }`,
      resolvers: {
        Query: {
          coatSize: () => 'XL',
          coats: (_: unknown, a: { color?: string }) => [`${a.color ?? 'any'} coat`],
          label: () => 'shirts',
        },
      },
    },
  ],
  cases: [
    {
      name: 'an output enum has every subgraph’s values',
      query: '{ shirtSize coatSize }',
      expected: { data: { shirtSize: 'M', coatSize: 'XL' } },
    },
    {
      name: 'an input enum value all subgraphs know',
      query: '{ shirts(color: RED) coats(color: GREEN) }',
      expected: { data: { shirts: ['RED shirt'], coats: ['GREEN coat'] } },
    },
    {
      name: 'an input enum value one subgraph lacks is not in the API',
      query: '{ coats(color: BLUE) }',
      expected: { errors: [VALIDATION] },
    },
    {
      name: 'an input enum value one subgraph lacks is not accepted in a variable',
      query: 'query($c: Color) { coats(color: $c) }',
      variables: { c: 'BLUE' },
      expected: { errors: [{ extensions: { code: 'BAD_USER_INPUT' } }] },
    },
    {
      name: 'an input field all subgraphs share',
      query: '{ search(q: { color: GREEN, text: "polo" }) }',
      expected: { data: { search: '{"color":"GREEN","text":"polo"}' } },
    },
    {
      name: 'an input field one subgraph lacks is not in the API',
      query: '{ search(q: { text: "polo", exact: true }) }',
      expected: { errors: [VALIDATION] },
    },
    {
      name: 'an argument a shared field lacks in one subgraph is not in the API',
      query: '{ label(lang: "zh") }',
      expected: { errors: [VALIDATION] },
    },
    {
      name: 'the shared field without it',
      query: '{ label }',
      expected: { data: { label: 'shirts' } },
    },
  ],
};

export const fixtures: FederationFixture[] = [merging];
