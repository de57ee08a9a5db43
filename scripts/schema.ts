/**
 * `npm run schema -- <command>`: the schema registry from a terminal or a CI pipeline, through the
 * gateway's admin API at `$GATEWAY_URL/admin/graphql` (GATEWAY_URL default http://127.0.0.1:$PORT,
 * PORT default 4000; `npm run schema -- --help`, and `<command> --help`, list the options).
 *
 *   check <subgraph> <file|url>      compose and check a subgraph schema without publishing it
 *   publish <subgraph> <file|url>    publish it (--force, --message "…", --url <routingUrl>, --new)
 *   history [subgraph]               versions of a subgraph, or launches and the live versions
 *   rollback <launchId>              a new launch from an earlier launch's versions (L3 or 3)
 *   rollback <subgraph>@<n>          one subgraph back to an earlier version (--force when it breaks operations)
 *   operations [--days 7]            the operations clients sent (what checks protect)
 *   operations publish <client> <version> <manifest.json>
 *                                    register an app version's operations (Apollo persisted query manifest)
 *   operations registered [client]   the registered app versions
 *   operations retire <client> <version>   stop serving and protecting an app version's operations
 *   seed [--config supergraph.yaml]  seed or update the registry from rover's supergraph.yaml
 *   fetch [--url gatewayUrl] [--out schema.graphql]
 *                                    introspect the running gateway and print (or write) its API schema SDL
 *
 * A <file> is an SDL file; an http(s) URL instead asks the running subgraph for its SDL.
 * The token is `CITYGRAPH_TOKEN` (an admin's), or outside production one is made with JWT_SECRET
 * (or the development secret). --json prints the raw answer.
 * Exit codes: 0 done or passed; 1 refused (composition errors, breaking changes, bad input,
 * not allowed); 2 usage error; 3 the admin API could not be reached.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { buildClientSchema, getIntrospectionQuery, printSchema, type IntrospectionQuery } from 'graphql';
import os from 'node:os';
import path from 'node:path';
import { signUserToken } from '../shared/platform/auth';
import { loadCityConfig } from '../shared/platform/config';
import { readSupergraphConfig } from '../gateway/supergraph/compose';
import { commandOf, commandUsage, gatewayUrl, GATEWAY_URL_HELP, HelpRequested, parseProgram, UsageError, type CliArgs, type ProgramSpec } from '../shared/platform/cli';
import { ROOT_DIR } from '../shared/platform/schema';

/**
 * The commands and their options: the usage texts and the parser are made from this (shared/cli.ts).
 * The number of positional arguments is left to each command's own checks (their messages).
 */
const SPEC: ProgramSpec = {
  invocation: 'npm run schema --',
  summary: "The schema registry, through the gateway's admin API ($GATEWAY_URL/admin/graphql).\nA <file> is an SDL file; an http(s) URL instead asks the running subgraph for its SDL.",
  flags: { json: { type: 'boolean', description: 'print the raw GraphQL answer' } },
  commands: {
    check: {
      summary: 'compose and check a subgraph schema without publishing it',
      args: '<subgraph> <file|url>',
      flags: {
        url: { type: 'string', value: 'routingUrl', description: 'check with this routing URL' },
        new: { type: 'boolean', description: 'the subgraph is not in the registry yet' },
      },
    },
    publish: {
      summary: 'publish a subgraph schema (refused on composition errors or breaking changes clients use)',
      args: '<subgraph> <file|url>',
      flags: {
        force: { type: 'boolean', description: 'publish despite breaking changes' },
        message: { type: 'string', value: 'text', description: 'why (shown in history)' },
        url: { type: 'string', value: 'routingUrl', description: 'change the routing URL' },
        new: { type: 'boolean', description: 'add a subgraph' },
      },
    },
    history: {
      aliases: ['launches'],
      summary: 'versions of a subgraph, or the live subgraphs and the launches',
      args: '[subgraph]',
      flags: { limit: { type: 'string', value: 'N', description: 'how many (default 20)' } },
    },
    rollback: {
      summary: "a new launch from an earlier launch's versions (L3 or 3), or one subgraph back (parking@2)",
      args: '<launchId | subgraph@n>',
      flags: {
        message: { type: 'string', value: 'text', description: 'why (shown in history)' },
        force: { type: 'boolean', description: 'roll back even when it breaks operations clients use' },
      },
    },
    operations: {
      summary: 'the operations clients sent (what checks protect); `operations publish <client> <version> <manifest.json>` registers an app\'s operations (trusted documents), `operations registered [client]` lists them, `operations retire <client> <version>` retires them',
      maxArgs: Infinity,
      flags: { days: { type: 'string', value: 'N', description: 'how far back, in days (default 7)' } },
    },
    fetch: {
      summary: "the API schema a running gateway serves (introspection), as SDL",
      flags: {
        url: { type: 'string', value: 'url', description: 'the gateway (default $GATEWAY_URL/graphql)' },
        out: { type: 'string', value: 'file', description: 'write it there instead of printing it' },
      },
    },
    seed: {
      summary: "seed or update the registry from rover's supergraph.yaml",
      maxArgs: Infinity,
      flags: {
        config: { type: 'string', value: 'file', description: 'the supergraph config (default supergraph.yaml)' },
        force: { type: 'boolean', description: 'seed over existing versions' },
        message: { type: 'string', value: 'text', description: 'why (shown in history)' },
      },
    },
  },
  env: {
    GATEWAY_URL: GATEWAY_URL_HELP,
    CITYGRAPH_TOKEN: 'an admin token (outside production one is made with JWT_SECRET)',
    CITYGRAPH_ADMIN_TIMEOUT_MS: 'how long to wait for an answer (default 60000)',
  },
  examples: [
    'npm run schema -- check parking schema/parking.graphql',
    'npm run schema -- publish parking schema/parking.graphql --message "add evCharging"',
    'npm run schema -- history parking',
    'npm run schema -- rollback L3',
  ],
  notes: 'exit codes: 0 done or passed; 1 refused (composition errors, breaking changes, bad input, not allowed);\n2 usage error; 3 the admin API could not be reached.',
};

const EXIT = { ok: 0, refused: 1, usage: 2, unreachable: 3 } as const;

/** What the commands read: positional arguments and the options given (a value, or true). */
interface Args {
  positional: string[];
  flags: Record<string, string | true>;
}

function toArgs(cli: CliArgs, flags: string[]): Args {
  const given: Args['flags'] = {};
  for (const name of flags) if (cli.has(name)) given[name] = cli.string(name) ?? true;
  return { positional: cli.positionals, flags: given };
}

/**
 * The admin API the CLI talks to: `$GATEWAY_URL/admin/graphql`. `CITYGRAPH_ADMIN_URL` (the whole
 * endpoint) is still honoured when set, for scripts written before GATEWAY_URL.
 */
function adminUrl(): { url: string; source: string } {
  if (process.env.CITYGRAPH_ADMIN_URL) return { url: process.env.CITYGRAPH_ADMIN_URL, source: 'CITYGRAPH_ADMIN_URL' };
  const gateway = gatewayUrl();
  return { url: `${gateway.url}/admin/graphql`, source: gateway.source };
}

const AFFECTED = 'name clientName clientVersion source count lastSeen reasons';
const RESULT = `ok outcome summary forced compositionErrors dangerousChanges operationsChecked
  changes { level type description coordinate operations { ${AFFECTED} } }
  breakingChanges { type description coordinate operations { ${AFFECTED} } }
  affectedOperations { ${AFFECTED} }
  servedSdlMismatches { subgraph url differences }
  launch { id kind versions { subgraph versionId } }
  versions { id subgraph routingUrl }`;

interface GraphQLAnswer {
  data?: any;
  errors?: Array<{ message: string; extensions?: { code?: string; field?: string } }>;
}

class Unreachable extends Error {}

function adminToken(): string {
  if (process.env.CITYGRAPH_TOKEN) return process.env.CITYGRAPH_TOKEN;
  if (process.env.NODE_ENV === 'production') throw new UsageError('set CITYGRAPH_TOKEN to an admin token (npm run token -- admin)');
  let config: ReturnType<typeof loadCityConfig>;
  try {
    config = loadCityConfig();
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  return signUserToken({ role: 'admin', subject: `cli:${os.userInfo().username}` }, config.jwtSecret, 3600);
}

async function call(query: string, variables: Record<string, unknown> = {}): Promise<GraphQLAnswer> {
  const { url } = adminUrl();
  let res: Response;
  try {
    res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${adminToken()}`, 'apollographql-client-name': 'citygraph-schema-cli' },
      body: JSON.stringify({ query, variables }),
      signal: AbortSignal.timeout(Number(process.env.CITYGRAPH_ADMIN_TIMEOUT_MS ?? 60000)),
    });
  } catch (err) {
    const cause = (err as { cause?: { code?: string } }).cause;
    throw new Unreachable(`cannot reach the admin API at ${url}: ${cause?.code ?? (err as Error).message}`);
  }
  const text = await res.text();
  try {
    return JSON.parse(text) as GraphQLAnswer;
  } catch {
    throw new Unreachable(`the admin API at ${url} answered HTTP ${res.status} with something that is not GraphQL: ${text.slice(0, 200)}`);
  }
}

const out = (line = '') => process.stdout.write(`${line}\n`);
const when = (iso: string) => iso.replace('T', ' ').replace(/\.\d+Z$/, 'Z');

function printErrors(answer: GraphQLAnswer): void {
  for (const e of answer.errors ?? []) {
    const code = e.extensions?.code ? `[${e.extensions.code}] ` : '';
    process.stderr.write(`error: ${code}${e.message}\n`);
  }
}

/** `TopProducts (client web@1.4, registered)` or `TopProducts (client web, 57 request(s), last seen …)` */
function describeOperation(o: any): string {
  const client = `client ${o.clientName}${o.clientVersion ? `@${o.clientVersion}` : ''}`;
  const usage = o.source === 'REGISTERED' ? 'registered' : `${o.count} request(s), last seen ${when(o.lastSeen)}`;
  return `${o.name ?? '(anonymous operation)'}  ${client}, ${usage}`;
}

const LEVELS: Array<[string, string]> = [
  ['BREAKING', 'Breaking changes'],
  ['DANGEROUS', 'Dangerous changes (allowed; operations that use them are listed)'],
  ['NON_BREAKING', 'Additive and safe changes'],
];

function printResult(r: any): void {
  out(`${r.ok ? 'OK' : 'REFUSED'}  ${r.summary}`);
  if (r.compositionErrors.length) {
    out('\nComposition errors:');
    r.compositionErrors.forEach((e: string, i: number) => out(`  ${i + 1}. ${e}`));
  }
  for (const m of r.servedSdlMismatches ?? []) {
    out(`\n${m.subgraph} at ${m.url} does not serve this SDL${r.ok ? ' (--force given)' : ' (deploy it first, or publish anyway with --force)'}:`);
    for (const d of m.differences) out(`  - ${d}`);
  }
  for (const [level, title] of LEVELS) {
    const changes = (r.changes ?? []).filter((c: any) => c.level === level);
    if (!changes.length) continue;
    out(`\n${title}${level === 'BREAKING' ? ` (checked against ${r.operationsChecked} protected operation(s))` : ''}:`);
    for (const c of changes) {
      out(`  - ${c.description}  [${c.type}]`);
      if (level === 'BREAKING' && !c.operations.length) out('      no protected operation uses it: allowed');
      for (const o of c.operations) {
        out(`      ${level === 'BREAKING' ? 'breaks' : 'affects'} ${describeOperation(o)}`);
        for (const reason of o.reasons) out(`        ${reason}`);
      }
    }
  }
  if (r.versions.length) out(`\nNew version(s): ${r.versions.map((v: any) => `${v.id} (${v.routingUrl})`).join(', ')}`);
  if (r.launch && r.outcome === 'PUBLISHED') {
    out(`Launch ${r.launch.id} (${r.launch.kind.toLowerCase()}): ${r.launch.versions.map((v: any) => v.versionId).join(', ')}`);
  }
}

function readSchemaSource(file: string): { sdl?: string; introspectUrl?: string } {
  if (/^https?:\/\//.test(file)) return { introspectUrl: file };
  try {
    return { sdl: readFileSync(file, 'utf8') };
  } catch (err) {
    throw new UsageError(`cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
}

async function change(kind: 'check' | 'publish', args: Args): Promise<number> {
  const [subgraph, file, extra] = args.positional;
  if (!subgraph || !file || extra) throw new UsageError(`${kind} needs a subgraph name and an SDL file (or the subgraph's URL)`);
  if (kind === 'check' && (args.flags.force || args.flags.message)) throw new UsageError('check takes no --force or --message');
  const variables = {
    subgraph,
    ...readSchemaSource(file),
    routingUrl: args.flags.url,
    newSubgraph: !!args.flags.new,
    ...(kind === 'publish' ? { message: args.flags.message, force: !!args.flags.force } : {}),
  };
  const answer =
    kind === 'check'
      ? await call(
          `query Check($subgraph: String!, $sdl: String, $introspectUrl: String, $routingUrl: String, $newSubgraph: Boolean) {
            result: checkSchema(subgraph: $subgraph, sdl: $sdl, introspectUrl: $introspectUrl, routingUrl: $routingUrl, newSubgraph: $newSubgraph) { ${RESULT} } }`,
          variables,
        )
      : await call(
          `mutation Publish($subgraph: String!, $sdl: String, $introspectUrl: String, $routingUrl: String, $message: String, $force: Boolean, $newSubgraph: Boolean) {
            result: publishSchema(subgraph: $subgraph, sdl: $sdl, introspectUrl: $introspectUrl, routingUrl: $routingUrl, message: $message, force: $force, newSubgraph: $newSubgraph) { ${RESULT} } }`,
          variables,
        );
  return finish(answer, args);
}

function finish(answer: GraphQLAnswer, args: Args, print = (data: any) => printResult(data.result)): number {
  if (args.flags.json) out(JSON.stringify(answer, null, 2));
  if (answer.errors?.length || !answer.data) {
    if (!args.flags.json) printErrors(answer);
    return EXIT.refused;
  }
  if (!args.flags.json) print(answer.data);
  return answer.data.result && answer.data.result.ok === false ? EXIT.refused : EXIT.ok;
}

/**
 * Which admin API `history` asked. The routing URLs it lists are the ones in use (the answering
 * gateway's `SUBGRAPH_<NAME>_URL` overrides applied), with the registered one beside an override.
 */
function printUrlsInUse(): void {
  const admin = adminUrl();
  out(`Admin API: ${admin.url} (${admin.source === 'default' ? 'default; set GATEWAY_URL or PORT' : `from ${admin.source}`})`);
  out('');
}

async function history(args: Args): Promise<number> {
  const [subgraph, extra] = args.positional;
  if (extra) throw new UsageError('history takes at most one subgraph name');
  const limit = args.flags.limit ? Number(args.flags.limit) : 20;
  if (!Number.isInteger(limit) || limit < 1) throw new UsageError('--limit must be a positive whole number');
  if (subgraph) {
    const answer = await call(
      'query History($name: String, $limit: Int) { subgraphVersions(name: $name, limit: $limit) { id routingUrl author message createdAt hash } currentLaunch { versions { versionId } } subgraphs { name routingUrl routingUrlInUse } }',
      { name: subgraph, limit },
    );
    return finish(answer, args, (data) => {
      printUrlsInUse();
      const liveIds = new Set((data.currentLaunch?.versions ?? []).map((v: any) => v.versionId));
      const live = (data.subgraphs ?? []).find((s: any) => s.name === subgraph);
      if (live) out(`Routing URL in use: ${live.routingUrlInUse}${live.routingUrlInUse !== live.routingUrl ? ` (override; registered: ${live.routingUrl})` : ''}`);
      out(`Versions of ${subgraph} (newest first):`);
      for (const v of data.subgraphVersions) {
        out(`  ${liveIds.has(v.id) ? '*' : ' '} ${v.id.padEnd(16)} ${when(v.createdAt)}  ${v.author}  ${v.message || '-'}  ${v.routingUrl}`);
      }
      out('  (* live)');
    });
  }
  const answer = await call(
    `query Launches($limit: Int) {
      launches(limit: $limit) { id kind current author message createdAt forced rolledBackTo versions { versionId } rejectedBy { instance reason } }
      subgraphs { name routingUrl routingUrlInUse version { id } }
    }`,
    { limit },
  );
  return finish(answer, args, (data) => {
    printUrlsInUse();
    out('Live subgraphs (routing URL in use; the registered one when an override such as SUBGRAPH_<NAME>_URL changes it):');
    for (const s of data.subgraphs) {
      const overridden = s.routingUrlInUse !== s.routingUrl ? `  (registered: ${s.routingUrl})` : '';
      out(`  ${s.name.padEnd(14)} ${s.version.id.padEnd(16)} ${s.routingUrlInUse}${overridden}`);
    }
    out('\nLaunches (newest first):');
    for (const l of data.launches) {
      const flags = [l.current ? 'CURRENT' : '', l.forced ? 'forced' : '', l.rolledBackTo ? `rollback to ${l.rolledBackTo}` : ''].filter(Boolean).join(', ');
      out(`  ${l.id.padEnd(6)} ${l.kind.toLowerCase().padEnd(9)} ${when(l.createdAt)}  ${l.author}  ${l.message || '-'}${flags ? `  (${flags})` : ''}`);
      out(`         ${l.versions.map((v: any) => v.versionId).join(', ')}`);
      for (const r of l.rejectedBy) out(`         not applied by ${r.instance}: ${r.reason}`);
    }
  });
}

async function rollback(args: Args): Promise<number> {
  const [target, extra] = args.positional;
  if (!target || extra) throw new UsageError('rollback needs a launch id (L3) or a subgraph version (parking@2)');
  const at = target.indexOf('@');
  const answer =
    at > 0
      ? await call(
          `mutation Rollback($subgraph: String!, $versionId: ID!, $message: String, $force: Boolean) { result: rollbackSubgraph(subgraph: $subgraph, versionId: $versionId, message: $message, force: $force) { ${RESULT} } }`,
          { subgraph: target.slice(0, at), versionId: target, message: args.flags.message, force: !!args.flags.force },
        )
      : await call(`mutation Rollback($launchId: ID!, $message: String, $force: Boolean) { result: rollback(launchId: $launchId, message: $message, force: $force) { ${RESULT} } }`, {
          launchId: target,
          message: args.flags.message,
          force: !!args.flags.force,
        });
  return finish(answer, args);
}

async function operations(args: Args): Promise<number> {
  const [sub, ...rest] = args.positional;
  if (sub === 'publish') return publishOperations({ ...args, positional: rest });
  if (sub === 'retire') return retireOperations({ ...args, positional: rest });
  if (sub === 'registered') return registeredOperations({ ...args, positional: rest });
  if (args.positional.length) throw new UsageError('operations takes no arguments (only --days N), or publish / registered / retire');
  const days = args.flags.days ? Number(args.flags.days) : 7;
  if (!Number.isFinite(days) || days <= 0) throw new UsageError('--days must be a positive number');
  const answer = await call('query Ops($days: Float) { operations(sinceDays: $days) { name clientName clientVersion count firstSeen lastSeen signatureHash body } }', { days });
  return finish(answer, args, (data) => {
    out(`${data.operations.length} operation(s) seen in the last ${days} day(s):`);
    for (const o of data.operations) {
      out(`  ${(o.name ?? '(anonymous)').padEnd(28)} client ${`${o.clientName}${o.clientVersion ? `@${o.clientVersion}` : ''}`.padEnd(20)} ${String(o.count).padStart(8)}x  last ${when(o.lastSeen)}  ${o.signatureHash.slice(0, 12)}`);
    }
  });
}

async function publishOperations(args: Args): Promise<number> {
  const [client, version, file, extra] = args.positional;
  if (!client || !version || !file || extra) throw new UsageError('operations publish needs a client name, its version and a manifest file (Apollo persisted query manifest JSON)');
  let manifest: string;
  try {
    manifest = readFileSync(file, 'utf8');
  } catch (err) {
    throw new UsageError(`cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  const answer = await call(
    `mutation PublishOperations($client: String!, $version: String!, $manifest: String!) {
      result: publishOperations(client: $client, version: $version, manifest: $manifest) { ok outcome summary manifest { id operations { id name } } broken { id name reasons } } }`,
    { client, version, manifest },
  );
  return finish(answer, args, (data) => {
    const r = data.result;
    out(`${r.ok ? 'OK' : 'REFUSED'}  ${r.summary}`);
    if (r.broken.length) out('\nBroken operations:');
    for (const b of r.broken) {
      out(`  - ${b.name ?? '(anonymous)'}  id ${b.id}`);
      for (const reason of b.reasons) out(`      ${reason}`);
    }
    if (r.ok && r.manifest) for (const o of r.manifest.operations) out(`  ${(o.name ?? '(anonymous)').padEnd(32)} ${o.id}`);
  });
}

async function registeredOperations(args: Args): Promise<number> {
  const [client, extra] = args.positional;
  if (extra) throw new UsageError('operations registered takes at most a client name');
  const answer = await call('query Manifests($client: String) { appManifests(client: $client) { id author createdAt operations { id name type } } }', { client });
  return finish(answer, args, (data) => {
    out(`${data.appManifests.length} registered app version(s)${client ? ` of ${client}` : ''} (newest first):`);
    for (const m of data.appManifests) {
      out(`  ${m.id.padEnd(28)} ${when(m.createdAt)}  ${m.author}  ${m.operations.length} operation(s)`);
      for (const o of m.operations) out(`      ${o.type.padEnd(12)} ${(o.name ?? '(anonymous)').padEnd(32)} ${o.id}`);
    }
  });
}

async function retireOperations(args: Args): Promise<number> {
  const [client, version, extra] = args.positional;
  if (!client || !version || extra) throw new UsageError('operations retire needs a client name and its version');
  const answer = await call('mutation Retire($client: String!, $version: String!) { retireOperations(client: $client, version: $version) { id operations { id } } }', { client, version });
  return finish(answer, args, (data) => out(`OK  Retired ${data.retireOperations.id}: its ${data.retireOperations.operations.length} operation(s) are no longer served by id nor protected by checks`));
}

async function seed(args: Args): Promise<number> {
  if (args.positional.length) throw new UsageError('seed takes no arguments (only --config FILE, --force)');
  const configPath = path.resolve(typeof args.flags.config === 'string' ? args.flags.config : path.join(ROOT_DIR, 'supergraph.yaml'));
  let subgraphs: Array<{ name: string; sdl: string; routingUrl: string }>;
  try {
    subgraphs = readSupergraphConfig(configPath).subgraphs.map((s) => ({ name: s.name, routingUrl: s.routingUrl, sdl: readFileSync(s.schemaFile, 'utf8') }));
  } catch (err) {
    throw new UsageError(`cannot read ${configPath}: ${(err as Error).message}`);
  }
  const answer = await call(`mutation Seed($subgraphs: [SeedSubgraphInput!]!, $message: String, $force: Boolean) { result: seedRegistry(subgraphs: $subgraphs, message: $message, force: $force) { ${RESULT} } }`, {
    subgraphs,
    message: args.flags.message ?? `seed from ${path.relative(process.cwd(), configPath) || configPath}`,
    force: !!args.flags.force,
  });
  return finish(answer, args);
}

/**
 * The introspection query `fetch` sends: graphql-js' full one with type references 6 deep (enough
 * for `[[T!]!]!`) instead of 9, so it fits the gateway's default depth limit.
 */
const INTROSPECTION = getIntrospectionQuery({ typeDepth: 6, descriptions: true, specifiedByUrl: true, directiveIsRepeatable: true });

async function fetchSchema(args: Args): Promise<number> {
  if (args.positional.length) throw new UsageError('fetch takes no arguments (only --url URL, --out FILE)');
  const url = typeof args.flags.url === 'string' ? args.flags.url : `${gatewayUrl()}/graphql`;
  let res: Response;
  try {
    res = await fetch(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'apollographql-client-name': 'citygraph-schema-cli',
        ...(process.env.CITYGRAPH_TOKEN ? { authorization: `Bearer ${process.env.CITYGRAPH_TOKEN}` } : {}),
      },
      body: JSON.stringify({ query: INTROSPECTION, operationName: 'IntrospectionQuery' }),
      signal: AbortSignal.timeout(Number(process.env.CITYGRAPH_ADMIN_TIMEOUT_MS ?? 60000)),
    });
  } catch (err) {
    const cause = (err as { cause?: { code?: string } }).cause;
    throw new Unreachable(`cannot reach the gateway at ${url}: ${cause?.code ?? (err as Error).message}`);
  }
  const answer = (await res.json().catch(() => ({}))) as { data?: IntrospectionQuery; errors?: GraphQLAnswer['errors'] };
  if (!answer.data?.__schema) {
    printErrors({ errors: answer.errors?.length ? answer.errors : [{ message: `HTTP ${res.status} without an introspection result` }] });
    process.stderr.write(
      'The gateway must answer introspection (INTROSPECTION=on; off by default in production) within its MAX_DEPTH and MAX_COST; ' +
        'schema/api.graphql (npm run compose) is the same schema without a running gateway.\n',
    );
    return EXIT.refused;
  }
  const sdl = `${printSchema(buildClientSchema(answer.data))}\n`;
  if (typeof args.flags.out === 'string') {
    writeFileSync(args.flags.out, sdl);
    process.stderr.write(`Wrote the API schema of ${url} to ${args.flags.out}\n`);
  } else {
    process.stdout.write(sdl);
  }
  return EXIT.ok;
}

async function main(argv: string[]): Promise<number> {
  const cli = parseProgram(SPEC, argv);
  const command = cli.command!;
  const args = toArgs(cli, [...Object.keys(SPEC.flags ?? {}), ...Object.keys(SPEC.commands[command].flags ?? {})]);
  switch (command) {
    case 'check':
    case 'publish':
      return change(command, args);
    case 'history':
      return history(args);
    case 'rollback':
      return rollback(args);
    case 'operations':
      return operations(args);
    case 'seed':
      return seed(args);
    case 'fetch':
      return fetchSchema(args);
    default:
      throw new UsageError(`unknown command "${command}"`);
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err) => {
    if (err instanceof HelpRequested) {
      process.stdout.write(`${err.text}\n`);
      process.exitCode = EXIT.ok;
    } else if (err instanceof UsageError) {
      // A command's own checks throw without a synopsis: give them the command's.
      const command = commandOf(SPEC, process.argv.slice(2));
      const usage = err.usage || (command ? commandUsage(SPEC.invocation, SPEC.commands[command], command, SPEC.flags).split('\n\n')[0] : '');
      process.stderr.write(`error: ${err.message}\n${usage ? `\n${usage}\n` : ''}`);
      process.exitCode = EXIT.usage;
    } else if (err instanceof Unreachable) {
      process.stderr.write(`${err.message}\n`);
      process.exitCode = EXIT.unreachable;
    } else {
      process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
      process.exitCode = EXIT.refused;
    }
  },
);
