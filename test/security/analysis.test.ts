import { buildSchema, GraphQLError, Kind, parse, type DocumentNode, type OperationDefinitionNode } from 'graphql';
import {
  costDirectivesFromSdl,
  measureOperation,
  NO_COST_DIRECTIVES,
  operationCost,
  parseWithTokenLimit,
  shapeError,
  type CostSettings,
} from '../../gateway/security/analysis';
import { ConfigError } from '../../shared/config';
import { DEFAULT_MANIFEST, loadSecurityOptions } from '../../gateway/security/options';
import { PersistedQueryCache, sha256, TrustedOperations } from '../../gateway/security/trusted';
import { createErrorFormatter } from '../../gateway/pipeline/errors';
import { aliasQuery, deepQuery } from './support';

/** Pure checks over parsed documents: no server. */

const schema = buildSchema(`
  type Community { code: ID! name: String! neighbours(first: Int): [Community!]! residents: [Resident!]! matrix: [[Int]] }
  type Resident { id: ID! name: String! phone: String }
  type Query { hello: String! communities(limit: Int): [Community!]! community(code: ID!): Community nearby(radiusMeters: Int!): [Community!]! }
  type Mutation { ping: String! }
`);

const op = (doc: DocumentNode): OperationDefinitionNode =>
  doc.definitions.find((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION)!;
const measure = (source: string) => {
  const doc = parse(source);
  return measureOperation(doc, op(doc));
};
const settings: CostSettings = { listSize: 20, slicingArguments: ['first', 'limit'], mutationWeight: 10, directives: NO_COST_DIRECTIVES };
const cost = (source: string, variables?: Record<string, unknown>, s: CostSettings = settings) => {
  const doc = parse(source);
  return operationCost(schema, doc, op(doc), variables, s);
};

describe('measureOperation', () => {
  it('measures depth, aliases and root fields', () => {
    expect(measure('{ hello }')).toEqual({ depth: 1, aliases: 0, rootFields: 1 });
    expect(measure('{ a: hello b: hello communities { n: name neighbours { code } } }')).toEqual({ depth: 3, aliases: 3, rootFields: 3 });
    expect(measure(deepQuery(50)).depth).toBe(50);
    expect(measure(aliasQuery(1000)).aliases).toBe(1000);
  });

  it('follows fragments (inline and named) and expands them where spread', () => {
    const shape = measure(`
      query { ...Root communities { ...C } }
      fragment Root on Query { x: hello y: hello }
      fragment C on Community { a: name neighbours { ...D } ... on Community { b: code } }
      fragment D on Community { neighbours { name } }
    `);
    expect(shape).toEqual({ depth: 4, aliases: 4, rootFields: 3 });
  });

  it('is safe with fragment cycles and measures a repeated fragment once', () => {
    const cyclic = measure('{ communities { ...A } } fragment A on Community { neighbours { ...B } } fragment B on Community { neighbours { ...A } }');
    expect(cyclic.depth).toBeGreaterThan(0);
    // 2^30 expansions if walked naively: memoised, it is instant.
    const defs = Array.from({ length: 30 }, (_, i) => `fragment F${i} on Community { neighbours { ...F${i + 1} } neighbours { ...F${i + 1} } }`);
    const start = Date.now();
    const bomb = measure(`{ communities { ...F0 } } ${defs.join(' ')} fragment F30 on Community { name }`);
    expect(Date.now() - start).toBeLessThan(100);
    expect(bomb.depth).toBe(32);
  });

  it('reports the first exceeded limit with the limit and the actual value', () => {
    const limits = { maxDepth: 12, maxAliases: 30, maxRootFields: 20, maxCost: 0 };
    expect(shapeError(measure(deepQuery(12)), limits)).toBeUndefined();
    const depth = shapeError(measure(deepQuery(13)), limits)!;
    expect(depth.extensions).toMatchObject({ code: 'DEPTH_LIMIT_EXCEEDED', limit: 12, actual: 13 });
    expect(shapeError(measure(aliasQuery(31)), limits)!.extensions).toMatchObject({ code: 'ALIAS_LIMIT_EXCEEDED', limit: 30, actual: 31 });
    expect(shapeError(measure(`{ ${Array.from({ length: 21 }, () => 'hello').join(' ')} }`), limits)!.extensions).toMatchObject({
      code: 'ROOT_FIELD_LIMIT_EXCEEDED',
      limit: 20,
      actual: 21,
    });
    expect(shapeError(measure(deepQuery(50)), { ...limits, maxDepth: 0 })).toBeUndefined();
  });
});

describe('operationCost', () => {
  it('charges objects 1, scalars 0 and multiplies lists by their size', () => {
    expect(cost('{ hello }')).toBe(0);
    expect(cost('{ community(code: "1") { name } }')).toBe(1);
    // no slicing argument: the assumed size 20
    expect(cost('{ communities { name } }')).toBe(20);
    expect(cost('{ communities(limit: 5) { name } }')).toBe(5);
    // 5 × (1 + 3 × (1 + 20 × 1))
    expect(cost('{ communities(limit: 5) { neighbours(first: 3) { residents { id } } } }')).toBe(5 * (1 + 3 * (1 + 20)));
    // nested list type: first level sized, the inner one assumed
    expect(cost('{ community(code: "1") { matrix } }')).toBe(1);
    // radiusMeters is not a slicing argument
    expect(cost('{ nearby(radiusMeters: 5) { name } }')).toBe(20);
  });

  it('reads slicing arguments from variables, variable defaults and argument defaults', () => {
    const q = 'query($n: Int = 7) { communities(limit: $n) { name } }';
    expect(cost(q, { n: 100 })).toBe(100);
    expect(cost(q, {})).toBe(7);
    expect(cost(q, { n: -5 })).toBe(0);
  });

  it('charges mutation root fields and follows fragments', () => {
    expect(cost('mutation { ping }')).toBe(10);
    expect(cost('{ ...Q } fragment Q on Query { communities(limit: 2) { ...C } } fragment C on Community { residents { name } }')).toBe(2 * (1 + 20));
  });

  it('uses @cost and @listSize from the supergraph', () => {
    const directives = costDirectivesFromSdl(`
      type Community { neighbours(first: Int): [Community!]! @listSize(slicingArguments: ["first"], assumedSize: 6) residents: [Resident!]! @listSize(assumedSize: 2) }
      type Resident @cost(weight: 4) { phone: String @cost(weight: 3) }
    `);
    const s = { ...settings, directives };
    expect(cost('{ community(code: "1") { neighbours { name } } }', undefined, s)).toBe(1 + 6);
    expect(cost('{ community(code: "1") { neighbours(first: 2) { name } } }', undefined, s)).toBe(1 + 2);
    expect(cost('{ community(code: "1") { residents { phone } } }', undefined, s)).toBe(1 + 2 * (4 + 3));
  });

  it('makes a cost bomb on nested lists expensive', () => {
    const bomb = '{ communities(limit: 1000) { neighbours(first: 1000) { neighbours(first: 1000) { name } } } }';
    expect(cost(bomb)).toBeGreaterThan(1e9);
  });
});

describe('token limit', () => {
  it('refuses a document longer than maxTokens with TOKEN_LIMIT_EXCEEDED', () => {
    expect(() => parseWithTokenLimit(aliasQuery(100), 3000)).not.toThrow();
    let error: unknown;
    try {
      parseWithTokenLimit(aliasQuery(1000), 3000);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(GraphQLError);
    expect((error as GraphQLError).extensions).toMatchObject({ code: 'TOKEN_LIMIT_EXCEEDED', limit: 3000 });
  });
});

describe('the error formatter', () => {
  const errors = [
    { message: 'connect ECONNREFUSED 10.0.0.7', extensions: { code: 'INTERNAL_SERVER_ERROR', stacktrace: ['at x'] } },
    { message: 'weird', extensions: { code: 'DOWNSTREAM_SERVICE_ERROR', serviceName: 'places' } },
    { message: 'no code' },
    { message: 'Too deep', extensions: { code: 'DEPTH_LIMIT_EXCEEDED', limit: 12, actual: 50, stacktrace: ['at y'] } },
    { message: 'The places service is unreachable', path: ['hello'], extensions: { code: 'SUBGRAPH_UNAVAILABLE', serviceName: 'places' } },
    { message: 'Cannot query field "nam" on type "Community". Did you mean "name"?', extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } },
  ];

  it('masks internal errors in production, keeps client codes and subgraph outages, and drops schema hints', () => {
    const format = createErrorFormatter({ production: true, debugErrors: false });
    const out = errors.map(format);
    expect(out.slice(0, 3).map((e) => e.message)).toEqual(['Internal server error', 'Internal server error', 'Internal server error']);
    expect(out.slice(0, 3).every((e) => e.extensions?.code === 'INTERNAL_SERVER_ERROR' && !('stacktrace' in e.extensions))).toBe(true);
    expect(out[3]).toEqual({ message: 'Too deep', extensions: { code: 'DEPTH_LIMIT_EXCEEDED', limit: 12, actual: 50 } });
    expect(out[4]).toEqual({ message: 'The places service is unreachable', path: ['hello'], extensions: { code: 'SUBGRAPH_UNAVAILABLE', serviceName: 'places' } });
    expect(out[5].message).toBe('Cannot query field "nam" on type "Community".');
    // formatting twice changes nothing
    expect(out.map(format)).toEqual(out);
  });

  it('in development keeps messages, and stack traces only when DEBUG_ERRORS asks', () => {
    const plain = errors.map(createErrorFormatter({ production: false, debugErrors: false }));
    expect(plain[0]).toEqual({ message: 'connect ECONNREFUSED 10.0.0.7', extensions: { code: 'INTERNAL_SERVER_ERROR' } });
    expect(plain[5].message).toMatch(/Did you mean "name"\?/);
    const debug = errors.map(createErrorFormatter({ production: false, debugErrors: true }));
    expect(debug[0].extensions?.stacktrace).toEqual(['at x']);
    // refusals never carry a stack trace
    expect(debug[3]).toEqual(plain[3]);
    expect(plain[3]).toEqual({ message: 'Too deep', extensions: { code: 'DEPTH_LIMIT_EXCEEDED', limit: 12, actual: 50 } });
  });
});

describe('trusted operations', () => {
  it('loads the contract operations as a manifest and trusts them however formatted', () => {
    const trusted = TrustedOperations.fromFile(DEFAULT_MANIFEST);
    expect(trusted.size).toBeGreaterThan(3);
    const communities = trusted.operations().find((o) => o.name === 'Communities')!;
    expect(trusted.body(communities.id)).toBe(communities.body);
    const reformatted = parse(communities.body.replace(/\s+/g, ' ') + ' # a comment');
    expect(trusted.trusts(undefined, reformatted, op(reformatted))).toBe(true);
    expect(trusted.trusts(sha256(communities.body), parse('{ x }'), op(parse('{ x }')))).toBe(true);
    const other = parse('query Communities { communities { code name phone } }');
    expect(trusted.trusts(sha256('other'), other, op(other))).toBe(false);
  });

  it('serves manifest ids from the APQ cache and stores nothing else in trusted mode', async () => {
    const trusted = new TrustedOperations([{ id: 'hello-v1', body: 'query Hello { hello }' }]);
    const cache = new PersistedQueryCache(trusted, undefined);
    expect(await cache.get('apq:hello-v1')).toBe('query Hello { hello }');
    expect(await cache.get(`apq:${sha256('query Hello { hello }')}`)).toBe('query Hello { hello }');
    await cache.set('apq:abc', '{ hello }');
    expect(await cache.get('apq:abc')).toBeUndefined();
  });
});

describe('loadSecurityOptions', () => {
  const base = { production: false, introspection: true, bodyLimitBytes: 1048576 };

  it('has defaults that suit a city app', () => {
    expect(loadSecurityOptions({}, base)).toMatchObject({
      maxDepth: 12,
      maxAliases: 30,
      maxRootFields: 20,
      maxTokens: 3000,
      maxCost: 5000,
      costListSize: 20,
      batchMax: 0,
      rateLimitMax: 300,
      rateLimitWindowMs: 10000,
      csrfPrevention: true,
      apq: true,
      trustedOperations: false,
      trustedOperationsManifest: DEFAULT_MANIFEST,
      bodyLimitBytes: 1048576,
    });
  });

  it('fails fast naming the bad variable', () => {
    expect(() => loadSecurityOptions({ MAX_DEPTH: 'deep' }, base)).toThrow(ConfigError);
    expect(() => loadSecurityOptions({ MAX_DEPTH: 'deep' }, base)).toThrow(/MAX_DEPTH/);
    expect(() => loadSecurityOptions({ TRUSTED_OPERATIONS: 'yes' }, base)).toThrow(/TRUSTED_OPERATIONS/);
    expect(() => loadSecurityOptions({ COST_SLICING_ARGUMENTS: 'first,,x' }, base)).toThrow(/COST_SLICING_ARGUMENTS/);
  });
});
