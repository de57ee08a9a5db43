import { readdirSync, statSync } from 'node:fs';
import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import net from 'node:net';
import path from 'node:path';
import { ROOT_DIR } from '../../shared/platform/schema';
import { runScript, type ScriptRun } from '../support/script';

/**
 * Every script, run as `npm run` runs it (a real `node --import tsx` child process): `--help`
 * prints its usage and exits 0 without doing anything else; an unknown flag exits 2 with the
 * usage error. "Without doing anything else" is checked from outside: every address a script
 * could reach (the gateway, MongoDB, the embedded FerretDB's port, Redis) points at one TCP
 * listener that counts connections, and the files the scripts write keep their modification times.
 */

/** A script with the test's environment minus anything that could decide where it connects, plus `env`. */
function run(file: string, args: string[], env: Record<string, string | undefined>): Promise<ScriptRun> {
  const childEnv: NodeJS.ProcessEnv = { ...process.env, LOG_LEVEL: 'info' };
  for (const name of ['GATEWAY_URL', 'PORT', 'CITYGRAPH_ADMIN_URL', 'MONGODB_URI', 'REDIS_URL', 'FERRETDB_PORT', 'CITYGRAPH_TOKEN']) delete childEnv[name];
  for (const [k, v] of Object.entries(env)) if (v !== undefined) childEnv[k] = v;
  return runScript(file, args, childEnv);
}

/** Runs `jobs` two at a time (the machine has two cores, shared). */
async function inPairs<T>(jobs: Array<() => Promise<T>>): Promise<T[]> {
  const results: T[] = new Array(jobs.length);
  let next = 0;
  const worker = async () => {
    while (next < jobs.length) {
      const i = next++;
      results[i] = await jobs[i]();
    }
  };
  await Promise.all([worker(), worker()]);
  return results;
}

/** Each npm script, its file, and a command line that reaches its subcommand's help where it has them. */
const SCRIPTS: Array<{ script: string; file: string; sub?: string[] }> = [
  { script: 'schema', file: 'scripts/schema.ts', sub: ['publish'] },
  { script: 'load', file: 'scripts/load.ts' },
  { script: 'bench', file: 'bench/run.ts' },
  { script: 'bench:subscriptions', file: 'bench/subscription-latency.ts' },
  { script: 'token', file: 'scripts/token.ts', sub: ['staff'] },
  { script: 'seed', file: 'scripts/seed.ts' },
  { script: 'compose', file: 'scripts/compose.ts' },
  { script: 'codegen', file: 'scripts/codegen.ts' },
  { script: 'start', file: 'scripts/start.ts' },
  { script: 'subgraph', file: 'scripts/subgraph.ts' },
  { script: 'gateway', file: 'gateway/index.ts' },
  { script: 'config', file: 'scripts/config.ts' },
];

/** The files the scripts write (compose, codegen, bench), with their modification times. */
function writtenFiles(): Map<string, number> {
  const files = [path.join(ROOT_DIR, 'schema', 'supergraph.graphql')];
  for (const name of readdirSync(path.join(ROOT_DIR, 'subgraphs'))) files.push(path.join(ROOT_DIR, 'subgraphs', name, 'generated', 'graphql.ts'));
  const results = path.join(ROOT_DIR, 'bench', 'results');
  for (const name of readdirSync(results)) files.push(path.join(results, name));
  const out = new Map<string, number>();
  for (const f of files) {
    try {
      out.set(f, statSync(f).mtimeMs);
    } catch {
      out.set(f, -1);
    }
  }
  return out;
}

describe('every script', () => {
  let sentinel: net.Server;
  let sentinelPort: number;
  let connections = 0;
  let env: Record<string, string>;

  beforeAll(async () => {
    sentinel = net.createServer((socket) => {
      connections += 1;
      socket.destroy();
    });
    await new Promise<void>((resolve) => sentinel.listen(0, '127.0.0.1', resolve));
    sentinelPort = (sentinel.address() as net.AddressInfo).port;
    env = {
      PORT: String(sentinelPort),
      MONGODB_URI: `mongodb://127.0.0.1:${sentinelPort}/`,
      FERRETDB_PORT: String(sentinelPort),
      REDIS_URL: `redis://127.0.0.1:${sentinelPort}`,
    };
  });
  afterAll(() => new Promise<void>((resolve) => sentinel.close(() => resolve())));

  it('--help (of a subcommand too) prints the usage and exits 0, connecting nowhere and writing nothing', async () => {
    const before = writtenFiles();
    const lines = [
      ...SCRIPTS.flatMap(({ script, file, sub }) => [
        { script, file, args: ['--help'] },
        ...(sub ? [{ script: `${script} ${sub.join(' ')}`, file, args: [...sub, '--help'] }] : []),
      ]),
      // -h is the kit's, the same for every script (test/cli/kit.test.ts); once end to end.
      { script: 'compose', file: 'scripts/compose.ts', args: ['-h'] },
    ];
    const runs = await inPairs(lines.map(({ file, args }) => () => run(file, args, env)));
    const failures: string[] = [];
    runs.forEach((r, i) => {
      const { script, args } = lines[i];
      const what = `npm run ${script} -- ${args.join(' ')}`;
      if (r.code !== 0) failures.push(`${what}: exit ${r.code}\n${r.stderr}`);
      else if (!/^usage: npm (run \S+|start) --/.test(r.stdout)) failures.push(`${what}: no usage on stdout:\n${r.stdout.slice(0, 300)}`);
      else if (!r.stdout.includes('-h, --help')) failures.push(`${what}: the usage does not list --help`);
    });
    expect(failures).toEqual([]);
    // The subcommand's usage, not the program's.
    expect(runs[lines.findIndex((l) => l.script === 'schema publish')].stdout).toMatch(/^usage: npm run schema -- publish <subgraph> <file\|url> \[options\][\s\S]*--force/);
    expect(connections).toBe(0);
    expect(writtenFiles()).toEqual(before);
    // Each answer is the parse of a command line, after loading the script's modules: seconds on a
    // busy machine, where a script that started working would run much longer (or hang).
  }, 300_000);

  it('an unknown flag is a usage error: exit 2, the problem and the synopsis on stderr, nothing done', async () => {
    const lines = [
      ...SCRIPTS.map(({ script, file }) => ({ script, file, args: ['--no-such-flag'] })),
      { script: 'schema', file: 'scripts/schema.ts', args: ['history', '--no-such-flag'] },
      { script: 'token', file: 'scripts/token.ts', args: ['resident', '--no-such-flag'] },
      { script: 'load', file: 'scripts/load.ts', args: ['--duration', 'soon'] },
      { script: 'bench', file: 'bench/run.ts', args: ['--gateways', 'nginx'] },
    ];
    const runs = await inPairs(lines.map(({ file, args }) => () => run(file, args, env)));
    const failures: string[] = [];
    runs.forEach((r, i) => {
      const { script, args } = lines[i];
      const what = `npm run ${script} -- ${args.join(' ')}`;
      if (r.code !== 2) failures.push(`${what}: exit ${r.code}\n${r.stdout}${r.stderr}`);
      else if (!/^error: .+\n\nusage: npm /.test(r.stderr)) failures.push(`${what}: not a usage error on stderr:\n${r.stderr.slice(0, 300)}`);
      else if (r.stdout !== '') failures.push(`${what}: wrote to stdout:\n${r.stdout.slice(0, 300)}`);
    });
    expect(failures).toEqual([]);
    expect(runs[0].stderr).toMatch(/^error: unknown option --no-such-flag\n/);
    expect(runs[lines.length - 2].stderr).toMatch(/--duration must be a number above 0 \(got "soon"\)/);
    expect(connections).toBe(0);
  }, 300_000);
});

describe('scripts find the gateway at GATEWAY_URL, else at PORT', () => {
  let gateway: HttpServer;
  let port: number;
  const seen: Array<{ method?: string; url?: string }> = [];

  beforeAll(async () => {
    // A stand-in for the gateway: answers every GraphQL request with an empty result, so the
    // scripts run their normal course against it and we see where they went.
    gateway = createHttpServer((req, res) => {
      seen.push({ method: req.method, url: req.url });
      req.resume();
      req.on('end', () => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify(req.url === '/admin/graphql' ? { data: { subgraphs: [], launches: [] } } : { data: {} }));
      });
    });
    await new Promise<void>((resolve) => gateway.listen(0, '127.0.0.1', resolve));
    port = (gateway.address() as net.AddressInfo).port;
  });
  afterAll(() => new Promise<void>((resolve) => gateway.close(() => resolve())));
  beforeEach(() => void seen.splice(0));

  it('npm run schema -- history asks $PORT, and says which URL it used', async () => {
    const r = await run('scripts/schema.ts', ['history'], { PORT: String(port) });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(seen).toEqual([{ method: 'POST', url: '/admin/graphql' }]);
    expect(r.stdout).toContain(`Admin API: http://127.0.0.1:${port}/admin/graphql (from PORT)`);
  });

  it('npm run schema -- history asks $GATEWAY_URL before $PORT', async () => {
    const r = await run('scripts/schema.ts', ['history'], { GATEWAY_URL: `http://127.0.0.1:${port}/`, PORT: '1' });
    expect(r.code).toBe(0);
    expect(seen).toEqual([{ method: 'POST', url: '/admin/graphql' }]);
    expect(r.stdout).toContain(`Admin API: http://127.0.0.1:${port}/admin/graphql (from GATEWAY_URL)`);
  });

  it('npm run load sends its operations to $PORT/graphql', async () => {
    const r = await run('scripts/load.ts', ['--duration', '0.3', '--connections', '1', '--metrics', `http://127.0.0.1:${port}/metrics`], { PORT: String(port) });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`→ http://127.0.0.1:${port}/graphql`);
    expect(seen.filter((s) => s.method === 'POST').every((s) => s.url === '/graphql')).toBe(true);
    expect(seen.filter((s) => s.method === 'POST').length).toBeGreaterThan(1);
  });

  it('a malformed GATEWAY_URL or PORT is a usage error, not a connection elsewhere', async () => {
    const bad = await run('scripts/schema.ts', ['history'], { GATEWAY_URL: 'localhost:4000' });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/GATEWAY_URL: must be an http:\/\/ or https:\/\/ URL|GATEWAY_URL: not a URL/);
    const port = await run('scripts/load.ts', [], { PORT: 'abc' });
    expect(port.code).toBe(2);
    expect(port.stderr).toMatch(/PORT: must be a port number/);
    expect(seen).toEqual([]);
  });
});
