import { buildSchema, GraphQLError, Kind, parse, type DocumentNode, type OperationDefinitionNode } from 'graphql';
import {
  costDirectivesFromSdl,
  estimateCost,
  measureOperation,
  NO_COST_DIRECTIVES,
  operationCost,
  parseWithTokenLimit,
  shapeError,
  type CostSettings,
} from '../../gateway/security/analysis';
import { ConfigError } from '../../shared/platform/config';
import { CostPolicy } from '../../gateway/security/cost-policy';
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

describe('operationCost on abstract types and @listSize (IBM cost spec)', () => {
  const abstract = buildSchema(`
    interface Media { id: ID! }
    type Book implements Media { id: ID! chapters(first: Int): [Chapter!]! author: Person! }
    type Movie implements Media { id: ID! cast: [Person!]! }
    type Song implements Media { id: ID! }
    type Chapter { title: String! }
    type Person { name: String! }
    union Result = Book | Movie | Person
    type UserConnection { edges: [UserEdge!]! pageInfo: PageInfo! }
    type UserEdge { node: Person! }
    type PageInfo { end: String }
    input Page { first: Int after: String }
    type Query {
      media: [Media!]!
      search: [Result!]!
      one: Media
      users(first: Int, last: Int): UserConnection!
      paged(page: Page): [Person!]!
      either(first: Int, last: Int): [Person!]!
      loose(first: Int, last: Int): [Person!]!
    }
  `);
  const sdl = `
    type Query {
      media: [Media!]! @listSize(assumedSize: 10)
      search: [Result!]! @listSize(assumedSize: 5)
      users(first: Int, last: Int): UserConnection! @listSize(slicingArguments: ["first", "last"], sizedFields: ["edges"])
      paged(page: Page): [Person!]! @listSize(slicingArguments: ["page.first"])
      either(first: Int, last: Int): [Person!]! @listSize(slicingArguments: ["first", "last"])
      loose(first: Int, last: Int): [Person!]! @listSize(slicingArguments: ["first", "last"], requireOneSlicingArgument: false)
    }
    type Movie { cast: [Person!]! @listSize(assumedSize: 30) }
  `;
  const s: CostSettings = { ...settings, directives: costDirectivesFromSdl(sdl) };
  const estimate = (source: string, variables?: Record<string, unknown>) => {
    const doc = parse(source);
    return estimateCost(abstract, doc, op(doc), variables, s);
  };

  it('costs an abstract selection as its most expensive possible type, not the sum of its fragments', () => {
    // Book: 1 + 20 chapters + 1 author = 22; Movie: 1 + 30 cast = 31; Song: 1. Largest: 31, ten times.
    const q = '{ media { id ... on Book { chapters { title } author { name } } ... on Movie { cast { name } } } }';
    expect(estimate(q).cost).toBe(10 * 31);
    // named fragments and fragments on the interface itself count for every possible type
    expect(estimate('{ media { ...B ...M } } fragment B on Book { author { name } } fragment M on Movie { cast { name } }').cost).toBe(10 * 31);
    expect(estimate('{ one { ... on Media { ... on Book { author { name } } } ... on Song { id } } }').cost).toBe(1 + 1);
  });

  it('takes the largest union member, a member fragment counting only for its type', () => {
    const q = '{ search { ... on Book { author { name } chapters(first: 2) { title } } ... on Movie { cast { name } } ... on Person { name } } }';
    expect(estimate(q).cost).toBe(5 * (1 + 30));
    expect(estimate('{ search { ... on Person { name } } }').cost).toBe(5 * 1);
  });

  it('sizes the fields named by sizedFields with the slicing argument, not the connection', () => {
    const cost = estimate('{ users(first: 7) { pageInfo { end } edges { node { name } } } }').cost;
    // connection 1 + pageInfo 1 + 7 × (edge 1 + node 1)
    expect(cost).toBe(1 + 1 + 7 * 2);
    expect(estimate('query($n: Int) { users(last: $n) { edges { node { name } } } }', { n: 40 }).cost).toBe(1 + 40 * 2);
  });

  it('reads slicing arguments nested in an input argument', () => {
    expect(estimate('{ paged(page: { first: 3 }) { name } }').cost).toBe(3);
    expect(estimate('query($p: Page) { paged(page: $p) { name } }', { p: { first: 9, after: 'x' } }).cost).toBe(9);
  });

  it('reports fields given none or several of their required slicing arguments', () => {
    expect(estimate('{ either(first: 2) { name } }').slicingViolations).toEqual([]);
    expect(estimate('{ either(first: 2, last: 3) { name } }')).toEqual({
      cost: 3,
      slicingViolations: [{ field: 'Query.either', slicingArguments: ['first', 'last'], given: 2 }],
    });
    expect(estimate('{ either { name } }').slicingViolations).toEqual([{ field: 'Query.either', slicingArguments: ['first', 'last'], given: 0 }]);
    // requireOneSlicingArgument: false takes the largest, and no argument is fine
    expect(estimate('{ loose(first: 2, last: 8) { name } }')).toEqual({ cost: 8, slicingViolations: [] });
    expect(estimate('{ loose { name } }')).toEqual({ cost: 20, slicingViolations: [] });
  });

  it('adds the @cost of the arguments and input fields given, once per field', () => {
    const weighted = buildSchema(`
      input Filter { text: String tags: [Tag!] }
      input Tag { name: String! fuzzy: Boolean }
      type Person { name: String! }
      type Query { find(filter: Filter, exact: Boolean): [Person!]! }
    `);
    const directives = costDirectivesFromSdl(`
      input Filter { text: String @cost(weight: 5) tags: [Tag!] }
      input Tag { name: String! fuzzy: Boolean @cost(weight: 7) }
      type Query { find(filter: Filter, exact: Boolean @cost(weight: 2)): [Person!]! @listSize(assumedSize: 3) }
    `);
    const c = (source: string, variables?: Record<string, unknown>) => {
      const doc = parse(source);
      return operationCost(weighted, doc, op(doc), variables, { ...settings, directives });
    };
    expect(directives.declared).toBe(true);
    expect(c('{ find { name } }')).toBe(3);
    expect(c('{ find(exact: true) { name } }')).toBe(3 + 2);
    // text 5, and fuzzy 7 for each of the two tags that give it
    expect(c('query($t: [Tag!]) { find(filter: { text: "a", tags: $t }) { name } }', { t: [{ name: 'x', fuzzy: true }, { name: 'y' }, { name: 'z', fuzzy: false }] })).toBe(
      3 + 5 + 7 + 7,
    );
    expect(c('{ find(filter: { text: null }) { name } }')).toBe(3);
  });

  it('knows whether a supergraph declares cost directives', () => {
    expect(costDirectivesFromSdl(sdl).declared).toBe(true);
    expect(costDirectivesFromSdl('type Query { a: Int }').declared).toBe(false);
    expect(costDirectivesFromSdl('type Query { a: [Int] @listSize(assumedSize: 3) }').fields.get('Query.a')).toEqual({
      assumedSize: 3,
      slicingArguments: undefined,
      sizedFields: undefined,
      requireOneSlicingArgument: true,
    });
  });
});

describe('CostPolicy', () => {
  const options = (costMode: 'enforce' | 'measure' | 'off' | 'auto', maxCost = 50) => ({
    costMode,
    maxCost,
    costListSize: 20,
    costSlicingArguments: ['first', 'limit'],
    costMutationWeight: 10,
  });
  const request = (source: string, extensions?: Record<string, unknown>) => {
    const document = parse(source);
    return { schema, document, operation: op(document), extensions };
  };
  const bomb = '{ communities(limit: 100) { residents { name } } }';

  it('auto: off without cost directives, enforcing once the supergraph declares them', () => {
    const policy = new CostPolicy(options('auto'));
    policy.schemaDidLoad('type Query { hello: String }');
    expect(policy.mode).toBe('off');
    expect(policy.check(request(bomb)).error).toBeUndefined();
    policy.schemaDidLoad('type Query { communities(limit: Int): [Community!]! @listSize(slicingArguments: ["limit"]) }');
    expect(policy.mode).toBe('enforce');
    expect(policy.check(request(bomb)).error?.message).toMatch(/estimated cost is 2100; the limit is 50/);
  });

  it('measure: records every estimate and refuses nothing; reports it to a client that asks', () => {
    const seen: Array<[number, string]> = [];
    const policy = new CostPolicy(options('measure'), (cost, type) => seen.push([cost, type]));
    policy.schemaDidLoad(undefined);
    const asked = request(bomb, { cost: true });
    expect(policy.check(asked).error).toBeUndefined();
    policy.check(request('mutation { ping }'));
    expect(seen).toEqual([[2100, 'query'], [10, 'mutation']]);
    expect(policy.report(policy.check(asked).cost!)).toEqual({ estimated: 2100, mode: 'measure', limit: null });
  });

  it('enforce: refuses a required slicing argument left out; off estimates nothing', () => {
    const policy = new CostPolicy(options('enforce', 0));
    policy.schemaDidLoad('type Query { communities(limit: Int): [Community!]! @listSize(slicingArguments: ["limit"]) }');
    expect(policy.check(request('{ communities { name } }')).error?.message).toMatch(/Query.communities needs exactly one of its slicing arguments/);
    expect(policy.check(request(bomb)).error).toBeUndefined();
    const seen: number[] = [];
    const off = new CostPolicy(options('off'), (c) => seen.push(c));
    off.check(request(bomb));
    expect(seen).toEqual([]);
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
    expect(() => loadSecurityOptions({ COST_MODE: 'sometimes' }, base)).toThrow(/COST_MODE/);
  });

  it('enforces cost with the city layer; in plain mode only when asked or when the supergraph declares it', () => {
    expect(loadSecurityOptions({}, base).costMode).toBe('enforce');
    expect(loadSecurityOptions({}, { ...base, plain: true }).costMode).toBe('auto');
    expect(loadSecurityOptions({ MAX_COST: '800' }, { ...base, plain: true })).toMatchObject({ costMode: 'enforce', maxCost: 800 });
    expect(loadSecurityOptions({ COST_MODE: 'measure' }, { ...base, plain: true }).costMode).toBe('measure');
    expect(loadSecurityOptions({ COST_MODE: 'off' }, base).costMode).toBe('off');
  });
});
