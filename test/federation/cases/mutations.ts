import { GraphQLError } from 'graphql';
import type { FederationFixture } from '../harness';
import { fed } from '../sdl';

// Both subgraphs act on one counter, so the answer shows the order in which the gateway ran them.
const state = { value: 0, history: [] as string[] };
const counter = () => ({ id: 'c', value: state.value });

/**
 * Mutations across subgraphs (GraphQL spec §6.2.2): root fields run one after the other, each with
 * its selection set (entity fields of other subgraphs included) resolved before the next starts.
 */
const mutations: FederationFixture = {
  name: 'mutations-in-order',
  sequential: true,
  reset: () => {
    state.value = 0;
    state.history = [];
  },
  subgraphs: [
    {
      name: 'counter',
      typeDefs: `${fed('@key')}
        type Counter @key(fields: "id") { id: ID! value: Int! }
        type Query { counter: Counter! }
        type Mutation { reset: Counter! add(n: Int!): Counter! }`,
      resolvers: {
        Query: { counter },
        Mutation: {
          reset: () => {
            state.value = 0;
            state.history = [];
            return counter();
          },
          add: (_: unknown, { n }: { n: number }) => {
            state.value += n;
            state.history.push(`add ${n}`);
            return counter();
          },
        },
        Counter: { __resolveReference: () => counter(), value: () => state.value },
      },
    },
    {
      name: 'audit',
      typeDefs: `${fed('@key')}
        type Counter @key(fields: "id") { id: ID! history: [String!]! }
        type Mutation { double: Counter! fail: Counter failHard: Counter! }`,
      resolvers: {
        Mutation: {
          double: () => {
            state.value *= 2;
            state.history.push('double');
            return { id: 'c' };
          },
          fail: () => {
            throw new GraphQLError('refused', { extensions: { code: 'REFUSED' } });
          },
          failHard: () => {
            throw new GraphQLError('refused', { extensions: { code: 'REFUSED' } });
          },
        },
        Counter: { __resolveReference: () => ({ id: 'c' }), history: () => [...state.history] },
      },
    },
  ],
  cases: [
    {
      name: 'root fields of two subgraphs run in document order',
      query: 'mutation { r: reset { value } a: add(n: 1) { value } b: double { value } c: add(n: 2) { value } }',
      expected: { data: { r: { value: 0 }, a: { value: 1 }, b: { value: 2 }, c: { value: 4 } } },
    },
    {
      name: 'each root field’s entity fields are fetched before the next mutation',
      query: 'mutation { reset { value } a: add(n: 3) { value history } b: double { value history } }',
      expected: { data: { reset: { value: 0 }, a: { value: 3, history: ['add 3'] }, b: { value: 6, history: ['add 3', 'double'] } } },
    },
    {
      name: 'a query afterwards sees the state the mutations left',
      query: '{ counter { value history } }',
      expected: { data: { counter: { value: 6, history: ['add 3', 'double'] } } },
    },
    {
      name: 'a failing mutation in the middle does not stop the next ones',
      query: 'mutation { reset { value } a: add(n: 1) { value } f: fail { value } c: add(n: 1) { value history } }',
      expected: {
        data: { reset: { value: 0 }, a: { value: 1 }, f: null, c: { value: 2, history: ['add 1', 'add 1'] } },
        errors: [{ path: ['f'], extensions: { code: 'REFUSED', serviceName: 'audit' } }],
      },
    },
    {
      name: 'mutation arguments from variables',
      query: 'mutation Add($n: Int!, $m: Int!) { reset { value } x: add(n: $n) { value } y: add(n: $m) { value } }',
      variables: { n: 5, m: -2 },
      expected: { data: { reset: { value: 0 }, x: { value: 5 }, y: { value: 3 } } },
    },
    {
      name: 'alternating subgraphs three times',
      query: 'mutation { reset { value } a: add(n: 1) { value } b: double { value } c: add(n: 1) { value } d: double { value } e: double { history value } }',
      expected: {
        data: {
          reset: { value: 0 },
          a: { value: 1 },
          b: { value: 2 },
          c: { value: 3 },
          d: { value: 6 },
          e: { history: ['add 1', 'double', 'add 1', 'double', 'double'], value: 12 },
        },
      },
    },
    {
      name: 'consecutive mutations of one subgraph from fragments, @include and @skip, in document order',
      query: `mutation M($yes: Boolean!) {
          reset { value }
          a: add(n: 1) { value }
          ...Twice
          ... on Mutation @include(if: $yes) { c: add(n: 1) { value } }
          x: add(n: 100) @skip(if: $yes) { value }
          f: double { value }
        }
        fragment Twice on Mutation { d: double { value } e: double { value } }`,
      variables: { yes: true },
      expected: { data: { reset: { value: 0 }, a: { value: 1 }, d: { value: 2 }, e: { value: 4 }, c: { value: 5 }, f: { value: 10 } } },
    },
    {
      name: 'one mutation selected twice under its response name runs once, its selections merged',
      query: 'mutation { reset { value } a: add(n: 1) { value } d: double { value } d: double { history } e: double { value } }',
      expected: {
        data: { reset: { value: 0 }, a: { value: 1 }, d: { value: 2, history: ['add 1', 'double'] }, e: { value: 4 } },
      },
    },
    {
      name: '__typename between mutations keeps its place',
      query: 'mutation { reset { value } a: add(n: 1) { value } d: double { value } __typename e: double { value history } }',
      expected: {
        data: { reset: { value: 0 }, a: { value: 1 }, d: { value: 2 }, __typename: 'Mutation', e: { value: 4, history: ['add 1', 'double', 'double'] } },
      },
    },
    {
      name: 'a non-null mutation that fails nulls the data, with its error',
      query: 'mutation { reset { value } a: add(n: 1) { value } f: failHard { value } d: double { value } }',
      expected: { data: null, errors: [{ path: ['f'], extensions: { code: 'REFUSED', serviceName: 'audit' } }] },
    },
    {
      name: '__typename of the mutation root',
      query: 'mutation { __typename reset { __typename value } }',
      expected: { data: { __typename: 'Mutation', reset: { __typename: 'Counter', value: 0 } } },
    },
  ],
};

export const fixtures: FederationFixture[] = [mutations];
