import type { GatewayOptions } from '../../gateway/config';
import { readdirSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import path from 'node:path';
import { ApolloGateway } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { parse } from 'graphql';
import { createGatewayServer } from '../../gateway/server';
import { composeSubgraphs } from '../../gateway/supergraph/compose';
import { listen, serveGraphQL } from '../../shared/platform/http';
import { gatewayOptions } from '../support/gateway';

/*
 * The federation conformance suite: fixtures of small subgraphs served over real HTTP, composed
 * with @apollo/composition, and queries whose answers are written from the GraphQL and
 * federation specs. Every case runs against CityGraph's gateway in plain mode and against a
 * stock Apollo Gateway with no CityGraph code, so the two can be compared.
 */

/** One subgraph of a fixture. */
export interface SubgraphFixture {
  /** The subgraph's name in the supergraph (also what `extensions.serviceName` reports). */
  name: string;
  /** Its SDL, with the federation `@link`. */
  typeDefs: string;
  /** Resolvers for `buildSubgraphSchema` (including `__resolveReference` and `__resolveType`). */
  resolvers?: Record<string, any>;
}

/**
 * An error the answer must contain. Errors are matched as a set (the spec gives them no order).
 * `path` absent means the error must have no path (a request error); `extensions` is a subset
 * match; `message` is compared only when given, since messages are not part of the contract.
 */
export interface ExpectedError {
  path?: ReadonlyArray<string | number>;
  extensions?: Record<string, unknown>;
  message?: string | RegExp;
}

/** The exact answer of a case. */
export interface ExpectedResponse {
  /**
   * The `data` entry, compared exactly, key order included (the spec orders response fields as
   * the selection set does). Absent: the response must have no `data` entry (a request error).
   */
  data?: unknown;
  /** Absent or empty: the response must have no errors. */
  errors?: ExpectedError[];
}

export interface FederationCase {
  name: string;
  query: string;
  variables?: Record<string, unknown>;
  operationName?: string;
  expected: ExpectedResponse;
  /**
   * CityGraph is known to answer this case against the spec: why, and where the fix belongs. The
   * case still states the spec's answer; conformance.test.ts expects CityGraph to fail it (so the
   * test turns red once CityGraph is fixed, and the note goes), and RESULTS.md lists it.
   */
  knownGap?: string;
}

export interface FederationFixture {
  /** Unique across the suite; also the label in reports. */
  name: string;
  subgraphs: SubgraphFixture[];
  cases: FederationCase[];
  /** Cases change state (mutations): run them one after the other, in the order written. */
  sequential?: boolean;
  /** Restores the subgraphs' state before the cases run against each gateway. */
  reset?: () => void;
}

export type TargetName = 'citygraph' | 'apollo-gateway';
export const TARGETS: TargetName[] = ['citygraph', 'apollo-gateway'];

export interface CaseResult {
  fixture: string;
  case: string;
  target: TargetName;
  pass: boolean;
  /** What differs from the expected answer (empty when it passes). */
  problems: string[];
  actual?: unknown;
}

export interface GraphQLResponseBody {
  data?: unknown;
  errors?: Array<{ message?: string; path?: Array<string | number>; extensions?: Record<string, unknown> }>;
}

// ---------------------------------------------------------------------------------------------
// Comparing answers

function show(value: unknown): string {
  const s = JSON.stringify(value);
  return s === undefined ? 'undefined' : s.length > 300 ? `${s.slice(0, 300)}…` : s;
}

/** Differences between `expected` and `actual` (exact JSON equality, object key order included). */
export function dataDifferences(expected: unknown, actual: unknown, at = 'data'): string[] {
  if (expected === null || typeof expected !== 'object' || actual === null || typeof actual !== 'object') {
    return Object.is(expected, actual) ? [] : [`${at}: expected ${show(expected)}, got ${show(actual)}`];
  }
  if (Array.isArray(expected) !== Array.isArray(actual)) return [`${at}: expected ${show(expected)}, got ${show(actual)}`];
  if (Array.isArray(expected)) {
    const got = actual as unknown[];
    if (expected.length !== got.length) return [`${at}: expected ${expected.length} items ${show(expected)}, got ${got.length} ${show(got)}`];
    return expected.flatMap((e, i) => dataDifferences(e, got[i], `${at}[${i}]`));
  }
  const ek = Object.keys(expected);
  const ak = Object.keys(actual);
  const missing = ek.filter((k) => !ak.includes(k));
  const extra = ak.filter((k) => !ek.includes(k));
  if (missing.length || extra.length) {
    return [`${at}: keys differ (missing ${show(missing)}, unexpected ${show(extra)}); got ${show(actual)}`];
  }
  const out = ek.flatMap((k) => dataDifferences((expected as Record<string, unknown>)[k], (actual as Record<string, unknown>)[k], `${at}.${k}`));
  if (!out.length && ek.join(',') !== ak.join(',')) out.push(`${at}: fields in order ${show(ak)}, expected ${show(ek)}`);
  return out;
}

function errorMatches(expected: ExpectedError, actual: NonNullable<GraphQLResponseBody['errors']>[number]): boolean {
  if (expected.path === undefined ? actual.path !== undefined : show(expected.path) !== show(actual.path)) return false;
  if (expected.message !== undefined) {
    const m = actual.message ?? '';
    if (typeof expected.message === 'string' ? m !== expected.message : !expected.message.test(m)) return false;
  }
  for (const [k, v] of Object.entries(expected.extensions ?? {})) {
    if (show(actual.extensions?.[k]) !== show(v)) return false;
  }
  return true;
}

/** Assigns each expected error a distinct actual one (backtracking: error lists are short). */
function matchErrors(expected: ExpectedError[], actual: NonNullable<GraphQLResponseBody['errors']>): boolean {
  if (expected.length !== actual.length) return false;
  const used = new Array<boolean>(actual.length).fill(false);
  const assign = (i: number): boolean => {
    if (i === expected.length) return true;
    for (let j = 0; j < actual.length; j++) {
      if (used[j] || !errorMatches(expected[i], actual[j])) continue;
      used[j] = true;
      if (assign(i + 1)) return true;
      used[j] = false;
    }
    return false;
  };
  return assign(0);
}

const describeError = (e: ExpectedError | NonNullable<GraphQLResponseBody['errors']>[number]) =>
  show({ path: e.path, code: e.extensions?.code, serviceName: e.extensions?.serviceName, message: e.message?.toString() });

/** Everything in which a response differs from the expected one. */
export function responseDifferences(expected: ExpectedResponse, body: GraphQLResponseBody): string[] {
  const problems: string[] = [];
  if (!('data' in expected)) {
    if ('data' in body) problems.push(`data: expected no data entry, got ${show(body.data)}`);
  } else if (!('data' in body)) problems.push(`data: expected ${show(expected.data)}, got no data entry`);
  else problems.push(...dataDifferences(expected.data, body.data));
  const wanted = expected.errors ?? [];
  const got = body.errors ?? [];
  if (!matchErrors(wanted, got)) {
    problems.push(`errors: expected [${wanted.map(describeError).join(', ')}], got [${got.map(describeError).join(', ')}]`);
  }
  return problems;
}

// ---------------------------------------------------------------------------------------------
// Serving fixtures

interface Closable {
  close(): Promise<void>;
}

async function serveApollo(apollo: ApolloServer): Promise<{ url: string } & Closable> {
  await apollo.start();
  const server: Server = createServer((req, res) => void serveGraphQL(apollo, req, res, async () => ({})));
  const url = await listen(server, 0);
  return {
    url: `${url}/graphql`,
    async close() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await apollo.stop();
    },
  };
}

/** The fixture's subgraphs on port 0 and the supergraph composed from them. */
export async function startFixture(fixture: FederationFixture): Promise<{ supergraphSdl: string } & Closable> {
  const servers = await Promise.all(
    fixture.subgraphs.map((s) =>
      serveApollo(
        new ApolloServer({
          schema: buildSubgraphSchema({ typeDefs: parse(s.typeDefs), resolvers: s.resolvers ?? {} }),
          // Traces would only add noise to the subgraphs' answers and logs.
          plugins: [ApolloServerPluginInlineTraceDisabled()],
          stopOnTerminationSignals: false,
        }),
      ),
    ),
  );
  const close = async () => void (await Promise.all(servers.map((s) => s.close())));
  const composed = composeSubgraphs(fixture.subgraphs.map((s, i) => ({ name: s.name, url: servers[i].url, sdl: s.typeDefs })));
  if (!composed.supergraphSdl) {
    await close();
    throw new Error(`fixture ${fixture.name} does not compose:\n  ${composed.errors.join('\n  ')}`);
  }
  return { supergraphSdl: composed.supergraphSdl, close };
}

/** A gateway over the supergraph: CityGraph's in plain mode, or a stock Apollo Gateway. */
export async function startGateway(target: TargetName, supergraphSdl: string, overrides: Partial<GatewayOptions> = {}): Promise<{ url: string } & Closable> {
  if (target === 'apollo-gateway') {
    return serveApollo(new ApolloServer({ gateway: new ApolloGateway({ supergraphSdl }), stopOnTerminationSignals: false }));
  }
  // A generous subgraph timeout: the cases judge answers, not speed, and CI machines may be slow.
  const server = await createGatewayServer(gatewayOptions({ supergraph: { kind: 'sdl', sdl: supergraphSdl }, subgraphTimeoutMs: 30_000, ...overrides }));
  const url = await server.listen(0);
  return { url: `${url}/graphql`, close: () => server.stop() };
}

export async function postGraphQL(url: string, c: Pick<FederationCase, 'query' | 'variables' | 'operationName'>): Promise<GraphQLResponseBody> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query: c.query, variables: c.variables, operationName: c.operationName }),
  });
  const text = await res.text();
  try {
    return JSON.parse(text) as GraphQLResponseBody;
  } catch {
    return { errors: [{ message: `HTTP ${res.status}, not JSON: ${text.slice(0, 200)}` }] };
  }
}

/** Runs the fixture's cases against one running gateway. */
export async function runCases(fixture: FederationFixture, target: TargetName, url: string): Promise<CaseResult[]> {
  fixture.reset?.();
  const one = async (c: FederationCase): Promise<CaseResult> => {
    try {
      const body = await postGraphQL(url, c);
      const problems = responseDifferences(c.expected, body);
      return { fixture: fixture.name, case: c.name, target, pass: problems.length === 0, problems, actual: body };
    } catch (err) {
      return { fixture: fixture.name, case: c.name, target, pass: false, problems: [`request failed: ${(err as Error).message}`] };
    }
  };
  if (!fixture.sequential) return Promise.all(fixture.cases.map(one));
  const out: CaseResult[] = [];
  for (const c of fixture.cases) out.push(await one(c));
  return out;
}

/** Starts the fixture once, runs its cases against each target in turn, and stops it. */
export async function runFixture(fixture: FederationFixture, targets: TargetName[] = TARGETS): Promise<CaseResult[]> {
  let started: Awaited<ReturnType<typeof startFixture>>;
  try {
    started = await startFixture(fixture);
  } catch (err) {
    const problem = `fixture did not start: ${(err as Error).message}`;
    return targets.flatMap((target) => fixture.cases.map((c) => ({ fixture: fixture.name, case: c.name, target, pass: false, problems: [problem] })));
  }
  const against = async (target: TargetName) => {
    const gateway = await startGateway(target, started.supergraphSdl);
    try {
      return await runCases(fixture, target, gateway.url);
    } finally {
      await gateway.close();
    }
  };
  try {
    // Stateful fixtures run against one gateway at a time, each from a reset state.
    if (!fixture.sequential) return (await Promise.all(targets.map(against))).flat();
    const results: CaseResult[] = [];
    for (const target of targets) results.push(...(await against(target)));
    return results;
  } finally {
    await started.close();
  }
}

/** Every fixture of `cases/*.ts` (each file exports `fixtures`), names checked for uniqueness. */
export function loadFixtures(dir = path.join(__dirname, 'cases')): FederationFixture[] {
  const files = readdirSync(dir).filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts')).sort();
  const all: FederationFixture[] = [];
  for (const file of files) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const mod = require(path.join(dir, file)) as { fixtures?: FederationFixture[] };
    if (!Array.isArray(mod.fixtures)) throw new Error(`${file} exports no "fixtures" array`);
    all.push(...mod.fixtures);
  }
  const seen = new Set<string>();
  for (const f of all) {
    if (seen.has(f.name)) throw new Error(`two fixtures are named ${f.name}`);
    seen.add(f.name);
    const cases = new Set<string>();
    for (const c of f.cases) {
      if (cases.has(c.name)) throw new Error(`fixture ${f.name} has two cases named ${c.name}`);
      cases.add(c.name);
    }
  }
  return all;
}

/** Runs every fixture, a few at a time (each one's cases run concurrently unless sequential). */
export async function runSuite(fixtures: FederationFixture[], targets: TargetName[] = TARGETS, parallel = 4): Promise<CaseResult[]> {
  const results: CaseResult[][] = new Array(fixtures.length);
  let next = 0;
  const worker = async () => {
    while (next < fixtures.length) {
      const i = next++;
      results[i] = await runFixture(fixtures[i], targets);
    }
  };
  await Promise.all(Array.from({ length: Math.min(parallel, fixtures.length) }, worker));
  return results.flat();
}

/**
 * A fixture's subgraphs and a CityGraph gateway in front of them for the tests of one file, for
 * tests that call its executor's direct path (`server.executor.execute`, the `@defer` path):
 * started before the file's tests, stopped after them.
 */
export function useFixtureGateway(fixture: FederationFixture): { readonly server: import('../../gateway/server').GatewayServer } {
  let running: Awaited<ReturnType<typeof startFixture>> | undefined;
  let server: import('../../gateway/server').GatewayServer | undefined;
  beforeAll(async () => {
    running = await startFixture(fixture);
    server = await createGatewayServer(gatewayOptions({ supergraph: { kind: 'sdl', sdl: running.supergraphSdl }, subgraphTimeoutMs: 30_000 }));
    await server.listen(0);
  });
  afterAll(async () => {
    await server?.stop();
    await running?.close();
  });
  return {
    get server() {
      if (!server) throw new Error('the fixture gateway is not started yet');
      return server;
    },
  };
}

/** Every subsequent payload of an incremental outcome, in order. */
export async function collectPayloads<T>(subsequent: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const payload of subsequent) out.push(payload);
  return out;
}
