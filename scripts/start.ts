/**
 * `npm start`: the whole graph on one machine. Uses MONGODB_URI when set; otherwise starts the
 * embedded FerretDB (built with Go on first use) over an embedded PostgreSQL (or SQLite with
 * FERRETDB_BACKEND=sqlite), with its data under .data/; Ctrl-C stops both. Seeds (idempotent),
 * starts the four subgraphs and the gateway as separate processes, restarts any of them that
 * crashes (with backoff, see supervisor.ts), and stops everything on Ctrl-C.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { runCli } from '../shared/platform/cli';
import { ConfigError, loadCityConfig } from '../shared/platform/config';
import { createLogger } from '../shared/platform/logger';
import { ROOT_DIR } from '../shared/platform/schema';
import { seedAll } from '../shared/dev/seed-runner';
import { SUBGRAPH_NAMES } from '../shared/subgraph/subgraph-deps';
import { openDatabase } from './database';
import { seedProgress } from './progress';
import { SupervisedProcess } from './supervisor';

runCli('npm start --', {
  summary:
    'The whole graph on one machine: the embedded FerretDB (unless MONGODB_URI is set), the demo seed, the four\nsubgraphs and the gateway as separate processes, restarted with backoff when they crash. Ctrl-C stops everything.',
  env: {
    MONGODB_URI: 'use this database instead of the embedded FerretDB',
    PORT: 'gateway port (default 4000)',
    HOST: 'interface to bind (default 127.0.0.1)',
    FERRETDB_PORT: 'port of the embedded FerretDB (default 27117)',
  },
  notes: 'Every variable of the gateway and the subgraphs applies (README, Environment variables; `npm run config` prints them).',
});

// The children write their logs to the same stdout: the supervisor's lines go through a logger
// too, so the stream is all JSON (or, in a terminal, all readable lines), never a mix. They are
// this command's own output (URLs, restarts, "Stopped."), so LOG_LEVEL, the children's, does not
// hide them.
const log = createLogger('start', { level: 'info' });
const say = (line: string) => log.info(line);

const children: SupervisedProcess[] = [];
let stopping = false;

/** Starts `file` as a supervised child: restarted with backoff when it crashes, until Ctrl-C. */
function startProcess(name: string, file: string, env: NodeJS.ProcessEnv): SupervisedProcess {
  // A copy: the caller goes on adding to `env` for the processes started after this one.
  const childEnv = { ...process.env, ...env };
  const child = new SupervisedProcess(
    name,
    () =>
      spawn(process.execPath, ['--import', 'tsx', path.join(ROOT_DIR, file)], {
        cwd: ROOT_DIR,
        env: childEnv,
        stdio: ['ignore', 'inherit', 'inherit'],
      }),
    // "started (pid …)" is news; "stopped unexpectedly …, restarting" is a warning.
    (line) => (line.includes('stopped unexpectedly') ? log.warn(line) : log.info(line)),
  );
  child.start();
  children.push(child);
  return child;
}

async function waitForHttp(url: string, timeoutMs = 60000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const res = await fetch(url);
      if (res.ok) return;
    } catch {
      /* not up yet */
    }
    if (stopping) throw new Error('stopped');
    if (Date.now() > deadline) throw new Error(`${url} did not answer within ${timeoutMs / 1000} s`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

let stopDatabase: (() => Promise<void>) | undefined;

async function shutdown(code = 0): Promise<void> {
  if (stopping) return;
  stopping = true;
  say('Stopping CityGraph…');
  await Promise.all(children.map((child) => child.stop(10000)));
  await stopDatabase?.();
  say('Stopped.');
  process.exit(code);
}

async function main() {
  process.env.APOLLO_TELEMETRY_DISABLED ??= '1';
  const config = loadCityConfig();
  process.once('SIGINT', () => void shutdown(0));
  process.once('SIGTERM', () => void shutdown(0));

  const { uri, ferret } = await openDatabase(config, say);
  stopDatabase = ferret?.stop;

  const progress = seedProgress();
  await seedAll(uri, config.dbPrefix, progress.update);
  progress.stop();

  // Every process gets every subgraph's URL: the gateway routes there and the subgraphs ask each
  // other whether referenced entities exist.
  const env: NodeJS.ProcessEnv = { MONGODB_URI: uri };
  for (const name of SUBGRAPH_NAMES) env[`SUBGRAPH_${name.toUpperCase()}_URL`] = config.subgraphUrls[name] ?? `http://${config.host}:${config.ports[name]}/graphql`;
  for (const name of SUBGRAPH_NAMES) startProcess(name, `subgraphs/${name}/index.ts`, env);
  await Promise.all(SUBGRAPH_NAMES.map((name) => waitForHttp(`http://${config.host}:${config.ports[name]}/health`)));
  startProcess('gateway', 'gateway/index.ts', env);
  const gatewayPort = Number(process.env.PORT ?? 4000);
  await waitForHttp(`http://${config.host}:${gatewayPort}/health/ready`);

  say(`CityGraph is running.
  Gateway     http://${config.host}:${gatewayPort}/graphql   (health: /health, /health/ready)
${SUBGRAPH_NAMES.map((n) => `  ${n.padEnd(11)} http://${config.host}:${config.ports[n]}/graphql`).join('\n')}
  Database    ${config.mongodbUri ? 'MONGODB_URI' : `embedded FerretDB${ferret ? ` on ${ferret.backend === 'postgresql' ? 'PostgreSQL' : 'SQLite'}` : ''}, ${uri}`}
Try:  curl -s http://${config.host}:${gatewayPort}/graphql -H 'content-type: application/json' \\
        -d '{"query":"{ communities { code name street { name district { name } } } }"}'
Tokens: npm run token -- resident | staff LH-URBAN | admin
Press Ctrl-C to stop.`);
}

main().catch(async (err) => {
  if (err instanceof ConfigError) log.fatal({ problems: err.problems }, err.message);
  else log.fatal({ err }, 'npm start failed');
  await shutdown(1);
});
