import { createHash } from 'node:crypto';
import { getIntrospectionQuery } from 'graphql';
import { aliasQuery, deepQuery } from './support';
import type { Outcome, Params, TransportName } from './transports';

/**
 * The hostile cases, one list for every door. `refused`: answered before execution (HTTP status
 * from the error registry, a graphql-ws `error` message, an SSE answer that is not a stream);
 * otherwise the operation ran and its answer carries the error. `check` adds what a case needs
 * beyond its code (masking, hints), per mode.
 */
export interface HostileCase {
  name: string;
  params: Params;
  /** The first error's `extensions.code`; undefined for a control case that must succeed. */
  code?: string;
  refused: boolean;
  /** Where plain HTTP answers otherwise (subscriptions are refused there as BAD_REQUEST once the limits pass). */
  codeOverHttp?: string;
  /**
   * Doors where the case cannot be sent: graphql-ws and graphql-sse both require a `query` string
   * (a graphql-ws message without one is invalid and closes the socket with 4400; graphql-sse
   * answers 400 BAD_REQUEST), so hash-only persisted queries exist on plain HTTP only.
   */
  skip?: TransportName[];
  /** Only in this mode (e.g. introspection is answered in development). */
  only?: 'development' | 'production';
  check?: (outcome: Outcome, mode: 'development' | 'production', transport: TransportName) => void;
}

const sha = (s: string) => createHash('sha256').update(s).digest('hex');

export const HOSTILE_CASES: HostileCase[] = [
  {
    name: 'a normal query (control)',
    params: { query: '{ hello communities(limit: 2) { code lots { freeSpaces } } }' },
    refused: false,
    check: (o) => expect(o.data).toEqual({ hello: 'world', communities: [{ code: '440303003001', lots: [{ freeSpaces: 12 }] }, { code: '440303003002', lots: [{ freeSpaces: 12 }] }] }),
  },
  { name: 'a 50-deep query', params: { query: deepQuery(50) }, code: 'DEPTH_LIMIT_EXCEEDED', refused: true },
  { name: '60 aliases', params: { query: aliasQuery(60) }, code: 'ALIAS_LIMIT_EXCEEDED', refused: true },
  { name: '25 root fields', params: { query: aliasQuery(25) }, code: 'ROOT_FIELD_LIMIT_EXCEEDED', refused: true },
  { name: 'a 3,300-token document', params: { query: aliasQuery(1100) }, code: 'TOKEN_LIMIT_EXCEEDED', refused: true },
  {
    name: 'a nested-list cost bomb',
    params: { query: '{ communities(limit: 100) { neighbours(first: 100) { residents { name } } } }' },
    code: 'COST_LIMIT_EXCEEDED',
    refused: true,
  },
  {
    name: 'a subscription with 40 aliases',
    params: { query: `subscription { ${Array.from({ length: 40 }, (_, i) => `t${i}: ticks(community: "440303003001") { n payload }`).join(' ')} }` },
    code: 'ALIAS_LIMIT_EXCEEDED',
    refused: true,
  },
  {
    name: 'an unknown field',
    params: { query: '{ communities { nam } }' },
    code: 'GRAPHQL_VALIDATION_FAILED',
    refused: true,
    check: (o, mode) => {
      if (mode === 'production') expect(o.errors![0].message).not.toMatch(/Did you mean/);
      else expect(o.errors![0].message).toMatch(/Did you mean "name"\?/);
    },
  },
  {
    name: 'a variable of the wrong type',
    params: { query: 'query($l: Int) { communities(limit: $l) { code } }', variables: { l: 'many' } },
    code: 'BAD_USER_INPUT',
    refused: true,
    check: (o) => expect(o.errors![0].extensions).toMatchObject({ field: '$l' }),
  },
  {
    name: 'a subscription without its required variable',
    params: { query: 'subscription($c: ID!) { ticks(community: $c) { n } }', variables: {} },
    code: 'BAD_USER_INPUT',
    codeOverHttp: 'BAD_REQUEST',
    refused: true,
    check: (o, _mode, transport) => transport !== 'http' && expect(o.errors![0].extensions).toMatchObject({ field: '$c' }),
  },
  { name: 'a document that does not parse', params: { query: '{ communities {' }, code: 'GRAPHQL_PARSE_FAILED', refused: true },
  { name: 'no query at all', params: {}, code: 'BAD_REQUEST', refused: true, skip: ['ws'] },
  { name: 'an operation name the document lacks', params: { query: 'query A { hello }', operationName: 'B' }, code: 'OPERATION_RESOLUTION_FAILURE', refused: true },
  {
    name: 'an unknown persisted-query hash',
    params: { extensions: { persistedQuery: { version: 1, sha256Hash: sha('{ never sent }') } } },
    code: 'PERSISTED_QUERY_NOT_FOUND',
    refused: true,
    skip: ['ws', 'sse'],
  },
  {
    name: 'a persisted-query hash that does not match its query',
    params: { query: '{ hello }', extensions: { persistedQuery: { version: 1, sha256Hash: sha('{ other }') } } },
    code: 'BAD_REQUEST',
    refused: true,
  },
  {
    name: 'a mutation the subgraph refuses (FORBIDDEN)',
    params: { query: 'mutation { forbidden }' },
    code: 'FORBIDDEN',
    refused: false,
    check: (o) => expect(o.data).toEqual({ forbidden: null }),
  },
  {
    name: 'a resolver that fails inside a subgraph',
    params: { query: '{ boom }' },
    code: undefined,
    refused: false,
    check: (o, mode) => {
      const text = JSON.stringify(o.errors);
      // Development shows the internal message (it helps the developer); never a stack trace.
      expect(text).not.toMatch(mode === 'production' ? /hunter2|stacktrace/ : /stacktrace/);
      if (mode === 'production') expect(o.errors![0]).toEqual({ message: 'Internal server error', path: ['boom'], extensions: { code: 'INTERNAL_SERVER_ERROR' } });
      else expect(o.errors![0].path).toEqual(['boom']);
    },
  },
  {
    name: "graphql-js's full introspection query (tools: GraphiQL, codegen, rover) in development",
    params: {
      query: getIntrospectionQuery({ descriptions: true, specifiedByUrl: true, directiveIsRepeatable: true, schemaDescription: true, inputValueDeprecation: true }),
    },
    refused: false,
    only: 'development',
    check: (o) => expect(o.data.__schema.queryType).toMatchObject({ name: 'Query' }),
  },
  {
    name: 'introspection nested past its own bound (25 ofType deep)',
    params: { query: `{ __type(name: "Community") { ${'ofType { '.repeat(24)}name${' }'.repeat(24)} } }` },
    code: 'DEPTH_LIMIT_EXCEEDED',
    refused: true,
    only: 'development',
    check: (o) => expect(o.errors![0].extensions).toMatchObject({ limit: 20 }),
  },
  {
    name: 'introspection in production',
    params: { query: '{ __schema { types { name } } }' },
    code: 'INTROSPECTION_DISABLED',
    refused: true,
    only: 'production',
  },
  {
    name: 'a 2 MB operation',
    params: { query: 'query($pad: String) { hello }', variables: { pad: 'x'.repeat(2 * 1024 * 1024) } },
    code: 'PAYLOAD_TOO_LARGE',
    refused: true,
  },
];
