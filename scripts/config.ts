/**
 * `npm run config`: the effective configuration of the gateway and of the subgraphs, read from
 * the environment exactly as they read it at start-up (defaults filled in), secrets shown as `***`.
 * Invalid configuration: every bad variable of every group listed, exit 2.
 */
import { loadGatewayOptions, type GatewayOptions } from '../gateway/config';
import { runCli } from '../shared/platform/cli';
import { ConfigProblems, loadCityConfig, loadProcessOptions } from '../shared/platform/config';

const cli = runCli('npm run config --', {
  summary:
    'Prints the effective configuration of the gateway and of the subgraphs, as they would read this environment\n(defaults filled in; secrets shown as ***). Invalid configuration: every bad variable listed, exit 2.',
  flags: { json: { type: 'boolean', description: 'print it as JSON' } },
  examples: ['npm run config', 'NODE_ENV=production npm run config', 'PORT=4100 npm run config -- --json'],
  notes: 'exit codes: 0 valid; 2 invalid configuration (or a usage error).',
});

/** Keys whose values are secrets, wherever they sit. */
const SECRET_KEY = /secret|token|password/i;

/** A copy with secrets replaced by `***`, and passwords in URLs too (mongodb://user:***@host). */
function redact(value: unknown, key = ''): unknown {
  if (value === undefined || value === null) return value;
  if (SECRET_KEY.test(key) && typeof value === 'string') return '***';
  if (typeof value === 'string') return value.replace(/^([a-z][a-z0-9+.-]*:\/\/[^:/@\s]*:)[^@/\s]+@/i, '$1***@');
  if (Array.isArray(value)) return value.map((v) => redact(v));
  if (typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, redact(v, k)]));
  return value;
}

function lines(value: unknown, prefix: string, out: string[]): void {
  if (value && typeof value === 'object' && !Array.isArray(value) && Object.keys(value).length) {
    for (const [k, v] of Object.entries(value)) lines(v, prefix ? `${prefix}.${k}` : k, out);
  } else out.push(`  ${prefix} = ${value === undefined ? '(unset)' : JSON.stringify(value)}`);
}

const problems = new ConfigProblems();
const gateway = problems.attempt(() => loadGatewayOptions()) as GatewayOptions | undefined;
const city = problems.attempt(() => loadCityConfig());
const processOptions = problems.attempt(() => loadProcessOptions());
if (problems.problems.length) {
  process.stderr.write(`Invalid configuration (environment variables):\n${problems.problems.map((p) => `  ${p.variable}: ${p.message}`).join('\n')}\n`);
  process.exit(2);
}
const { logger: _logger, ...gatewayShown } = gateway!;
const subgraphs = {
  ...city!,
  mongodbUri: city!.mongodbUri ?? '(unset: npm start runs the embedded FerretDB and passes its URI)',
  ...processOptions!,
};
const effective = redact({ gateway: { ...gatewayShown, ...processOptions! }, subgraphs }) as Record<string, unknown>;
if (cli.flag('json')) {
  process.stdout.write(`${JSON.stringify(effective, null, 2)}\n`);
} else {
  for (const [part, value] of Object.entries(effective)) {
    const out: string[] = [];
    lines(value, '', out);
    process.stdout.write(`${part}:\n${out.join('\n')}\n\n`);
  }
}
