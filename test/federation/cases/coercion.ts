import type { FederationFixture } from '../harness';
import { byKey, fed } from '../sdl';

const BAD_INPUT = { extensions: { code: 'BAD_USER_INPUT' } };
const VALIDATION = { extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } };

const paints = [
  { id: 'p1', color: 'RED', cny: 70 },
  { id: 'p2', color: 'BLUE', cny: 140 },
];

/**
 * Input coercion (GraphQL spec §3.6 / §6.1.2, "Coercing Variable Values"): literals and variables
 * reach the subgraph coerced (defaults filled in, single values wrapped in lists, Int to Float and
 * ID), and bad variables are request errors: no data, no subgraph asked. The `echo` fields answer
 * with the argument exactly as the subgraph received it.
 */
const coercion: FederationFixture = {
  name: 'enum-input-coercion',
  subgraphs: [
    {
      name: 'shop',
      typeDefs: `${fed('@key')}
        enum Color { RED GREEN BLUE }
        input Range { from: Int! to: Int = 100 }
        input Filter { color: Color = RED minPrice: Float tags: [String!] range: Range }
        type Paint @key(fields: "id") { id: ID! color: Color! }
        type Query {
          echoColor(c: Color!): Color!
          echoFilter(f: Filter!): String!
          echoInts(xs: [Int!]!): [Int!]!
          echoFloat(x: Float!): Float!
          echoId(id: ID!): ID!
          paints(color: Color): [Paint!]!
        }`,
      resolvers: {
        Query: {
          echoColor: (_: unknown, a: { c: string }) => a.c,
          echoFilter: (_: unknown, a: { f: unknown }) => JSON.stringify(a.f),
          echoInts: (_: unknown, a: { xs: number[] }) => a.xs,
          echoFloat: (_: unknown, a: { x: number }) => a.x,
          echoId: (_: unknown, a: { id: string }) => `${typeof a.id}:${a.id}`,
          paints: (_: unknown, a: { color?: string }) => paints.filter((p) => !a.color || p.color === a.color),
        },
        Paint: { __resolveReference: byKey(paints, 'id') },
      },
    },
    {
      name: 'pricing',
      typeDefs: `${fed('@key')}
        enum Currency { CNY USD }
        input Rounding { digits: Int = 0 }
        type Paint @key(fields: "id") { id: ID! price(currency: Currency = CNY, rounding: Rounding): Float currencyGiven(currency: Currency = CNY): String! }`,
      resolvers: {
        Paint: {
          __resolveReference: byKey(paints, 'id'),
          price: (p: { cny: number }, a: { currency: string | null; rounding?: { digits: number } }) => {
            if (a.currency === null) return null;
            const v = a.currency === 'USD' ? p.cny / 7 : p.cny;
            const f = 10 ** (a.rounding?.digits ?? 2);
            return Math.round(v * f) / f;
          },
          currencyGiven: (_: unknown, a: { currency: string | null }) => JSON.stringify(a.currency),
        },
      },
    },
  ],
  cases: [
    { name: 'an enum literal', query: '{ echoColor(c: GREEN) }', expected: { data: { echoColor: 'GREEN' } } },
    {
      name: 'an enum variable',
      query: 'query($c: Color!) { echoColor(c: $c) }',
      variables: { c: 'BLUE' },
      expected: { data: { echoColor: 'BLUE' } },
    },
    {
      name: 'an unknown enum value in a variable is a request error',
      query: 'query($c: Color!) { echoColor(c: $c) }',
      variables: { c: 'PURPLE' },
      expected: { errors: [BAD_INPUT] },
    },
    { name: 'a string literal for an enum is a validation error', query: '{ echoColor(c: "RED") }', expected: { errors: [VALIDATION] } },
    {
      name: 'input field defaults are filled in',
      query: '{ echoFilter(f: {}) }',
      expected: { data: { echoFilter: '{"color":"RED"}' } },
    },
    {
      name: 'nested input defaults from a variable',
      query: 'query($f: Filter!) { echoFilter(f: $f) }',
      variables: { f: { range: { from: 1 }, tags: 'one' } },
      expected: { data: { echoFilter: '{"color":"RED","tags":["one"],"range":{"from":1,"to":100}}' } },
    },
    {
      name: 'an explicit null input field stays null',
      query: '{ echoFilter(f: { color: BLUE, minPrice: null }) }',
      expected: { data: { echoFilter: '{"color":"BLUE","minPrice":null}' } },
    },
    { name: 'a single literal for a list is wrapped', query: '{ echoInts(xs: 5) }', expected: { data: { echoInts: [5] } } },
    {
      name: 'a single variable value for a list is wrapped',
      query: 'query($xs: [Int!]!) { echoInts(xs: $xs) }',
      variables: { xs: 7 },
      expected: { data: { echoInts: [7] } },
    },
    { name: 'an Int literal for a Float', query: '{ echoFloat(x: 3) }', expected: { data: { echoFloat: 3 } } },
    { name: 'an Int literal for an ID arrives as a string', query: '{ echoId(id: 42) }', expected: { data: { echoId: 'string:42' } } },
    {
      name: 'an Int variable for an ID arrives as a string',
      query: 'query($id: ID!) { echoId(id: $id) }',
      variables: { id: 7 },
      expected: { data: { echoId: 'string:7' } },
    },
    {
      name: 'a string for a Float variable is a request error',
      query: 'query($x: Float!) { echoFloat(x: $x) }',
      variables: { x: 'abc' },
      expected: { errors: [BAD_INPUT] },
    },
    {
      name: 'a missing non-null variable is a request error',
      query: 'query($x: Float!) { echoFloat(x: $x) }',
      expected: { errors: [BAD_INPUT] },
    },
    {
      name: 'null for a non-null variable is a request error',
      query: 'query($x: Float!) { echoFloat(x: $x) }',
      variables: { x: null },
      expected: { errors: [BAD_INPUT] },
    },
    {
      name: 'an unknown input field in a variable is a request error',
      query: 'query($f: Filter!) { echoFilter(f: $f) }',
      variables: { f: { colour: 'RED' } },
      expected: { errors: [BAD_INPUT] },
    },
    {
      name: 'an Int beyond 32 bits is a request error',
      query: 'query($xs: [Int!]!) { echoInts(xs: $xs) }',
      variables: { xs: [1, 2147483648] },
      expected: { errors: [BAD_INPUT] },
    },
    {
      name: 'a fractional number for an Int is a request error',
      query: 'query($xs: [Int!]!) { echoInts(xs: $xs) }',
      variables: { xs: [1.5] },
      expected: { errors: [BAD_INPUT] },
    },
    {
      name: 'a variable of the wrong type for its position is a validation error',
      query: 'query($c: String!) { echoColor(c: $c) }',
      variables: { c: 'RED' },
      expected: { errors: [VALIDATION] },
    },
    {
      name: 'enum outputs and argument defaults across subgraphs',
      query: '{ paints { id color price } }',
      expected: { data: { paints: [{ id: 'p1', color: 'RED', price: 70 }, { id: 'p2', color: 'BLUE', price: 140 }] } },
    },
    {
      name: 'an enum argument of an entity field from a variable',
      query: 'query($c: Currency) { paints(color: BLUE) { price(currency: $c) } }',
      variables: { c: 'USD' },
      expected: { data: { paints: [{ price: 20 }] } },
    },
    {
      name: 'an omitted variable leaves the argument’s default in force',
      query: 'query($c: Currency) { paints { currencyGiven(currency: $c) } }',
      expected: { data: { paints: [{ currencyGiven: '"CNY"' }, { currencyGiven: '"CNY"' }] } },
    },
    {
      name: 'an explicit null variable reaches the subgraph as null',
      query: 'query($c: Currency) { paints { currencyGiven(currency: $c) price(currency: $c) } }',
      variables: { c: null },
      expected: { data: { paints: [{ currencyGiven: 'null', price: null }, { currencyGiven: 'null', price: null }] } },
    },
    {
      name: 'an input object argument of an entity field',
      query: 'query($r: Rounding) { paints(color: RED) { price(currency: USD, rounding: $r) } }',
      variables: { r: {} },
      expected: { data: { paints: [{ price: 10 }] } },
    },
    {
      name: 'the same entity field with two argument sets under aliases',
      query: '{ paints(color: BLUE) { cny: price usd: price(currency: USD) } }',
      expected: { data: { paints: [{ cny: 140, usd: 20 }] } },
    },
    {
      name: 'an enum variable with a default',
      query: 'query($c: Color = BLUE) { paints(color: $c) { id } }',
      expected: { data: { paints: [{ id: 'p2' }] } },
    },
  ],
};

export const fixtures: FederationFixture[] = [coercion];
