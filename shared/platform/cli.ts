/**
 * The one command-line kit of CityGraph's scripts (`npm run schema`, `load`, `bench`, `token`,
 * `seed`, `compose`, `codegen`, `start`, `subgraph`, `config`, `bench:subscriptions`), on
 * `node:util` `parseArgs`, so every script behaves the same way:
 *
 * - `--help` / `-h` prints the usage (of a subcommand too: `npm run schema -- publish --help`) on
 *   stdout and exits 0, before the script does anything else;
 * - an unknown option, a missing or malformed value, or a wrong number of arguments prints the
 *   problem and the synopsis on stderr and exits 2;
 * - the scripts that talk to a running gateway find it at one variable, `GATEWAY_URL`
 *   (`gatewayUrl()`).
 *
 * A script declares its flags in a spec; the usage text is made from the same spec, so it cannot
 * drift from what is accepted.
 */
import { parseArgs } from 'node:util';

/** One option of a command. */
export interface FlagSpec {
  /** `string` takes a value (`--name value` or `--name=value`); `boolean` takes none. */
  type: 'string' | 'boolean';
  /** A one-letter alias (`-d`). `h` is taken by `--help`. */
  short?: string;
  /** May be given more than once; `CliArgs.strings` returns every value in order. */
  multiple?: boolean;
  /** The value's placeholder in the usage text, e.g. `s` shows `--duration <s>`. */
  value?: string;
  /** One line for the usage text (say the default there). */
  description: string;
}

/** What a command (or one subcommand) accepts and how its usage reads. */
export interface CommandSpec {
  /** What the command does: the first lines of its usage. */
  summary: string;
  /** Positional arguments as the synopsis shows them, e.g. `<subgraph> <file|url>`. */
  args?: string;
  /** Fewest positional arguments (default 0). */
  minArgs?: number;
  /** Most positional arguments (default: 0 without `args`, unbounded with). */
  maxArgs?: number;
  /** Options, by long name (without `--`). */
  flags?: Record<string, FlagSpec>;
  /** Environment variables it reads: name → meaning. */
  env?: Record<string, string>;
  /** Example command lines. */
  examples?: string[];
  /** A closing paragraph (exit codes, caveats). */
  notes?: string;
}

/** A command with subcommands, such as `npm run schema -- <command>`. */
export interface ProgramSpec {
  /** How it is invoked, e.g. `npm run schema --`. */
  invocation: string;
  summary: string;
  /** The subcommands, by name. */
  commands: Record<string, CommandSpec & { aliases?: string[] }>;
  /** Options every subcommand accepts (e.g. `--json`). */
  flags?: Record<string, FlagSpec>;
  env?: Record<string, string>;
  examples?: string[];
  notes?: string;
}

/** A command line that cannot be run as given: printed with the synopsis, exit code 2. */
export class UsageError extends Error {
  override name = 'UsageError';
  constructor(
    message: string,
    /** The synopsis printed after the message (the command's, or the program's). */
    readonly usage = '',
  ) {
    super(message);
  }
}

/** `--help` was asked for: `text` is printed and the process exits 0. */
export class HelpRequested extends Error {
  override name = 'HelpRequested';
  constructor(readonly text: string) {
    super('help requested');
  }
}

/** The exit code of a usage error, the same for every script. */
export const USAGE_EXIT_CODE = 2;

const HELP_FLAG: FlagSpec = { type: 'boolean', short: 'h', description: 'print this help and exit' };

/** The parsed command line, with typed, validated readers for the values. */
export class CliArgs {
  constructor(
    private readonly values: Record<string, string | boolean | Array<string | boolean> | undefined>,
    /** The positional arguments (a subcommand's name excluded). */
    readonly positionals: string[],
    /** The subcommand, for a program. */
    readonly command: string | undefined,
    private readonly synopsis: string,
    private readonly exitOnError: boolean,
  ) {}

  /** Stops with a usage error (exit 2 under `runCli`; thrown as `UsageError` otherwise). */
  fail(message: string): never {
    const error = new UsageError(message, this.synopsis);
    if (this.exitOnError) exitWithUsageError(error);
    throw error;
  }

  /** Whether the option was given. */
  has(name: string): boolean {
    return this.values[name] !== undefined;
  }

  /** A boolean option. */
  flag(name: string): boolean {
    return this.values[name] === true;
  }

  /** A string option's value (the last one given), or undefined. */
  string(name: string): string | undefined {
    const v = this.values[name];
    const last = Array.isArray(v) ? v[v.length - 1] : v;
    return typeof last === 'string' ? last : undefined;
  }

  /** Every value of a repeatable string option, in order. */
  strings(name: string): string[] {
    const v = this.values[name];
    return (Array.isArray(v) ? v : v === undefined ? [] : [v]).filter((x): x is string => typeof x === 'string');
  }

  /** A comma-separated list (`--gateways a,b`), checked against `allowed` when given. */
  list(name: string, fallback: string[], allowed?: readonly string[]): string[] {
    const raw = this.string(name);
    if (raw === undefined) return fallback;
    const items = raw
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
    if (!items.length) this.fail(`--${name} needs at least one value`);
    for (const item of items) if (allowed && !allowed.includes(item)) this.fail(`--${name}: unknown value "${item}" (one of ${allowed.join(', ')})`);
    return items;
  }

  /** A numeric option, checked: `fallback` when absent; the bounds are inclusive unless `above`. */
  number(name: string, fallback: number, rule: { integer?: boolean; min?: number; above?: number; max?: number } = {}): number {
    const raw = this.string(name);
    if (raw === undefined) return fallback;
    const n = raw.trim() === '' ? NaN : Number(raw);
    const { min, above, max } = rule;
    const range =
      min !== undefined && max !== undefined
        ? `from ${min} to ${max}`
        : [above !== undefined ? `above ${above}` : min !== undefined ? `at least ${min}` : '', max !== undefined ? `at most ${max}` : ''].filter(Boolean).join(' and ');
    const wanted = `${rule.integer ? 'a whole number' : 'a number'}${range ? ` ${range}` : ''}`;
    const ok =
      Number.isFinite(n) &&
      (!rule.integer || Number.isInteger(n)) &&
      (rule.min === undefined || n >= rule.min) &&
      (rule.above === undefined || n > rule.above) &&
      (rule.max === undefined || n <= rule.max);
    if (!ok) this.fail(`--${name} must be ${wanted} (got "${raw}")`);
    return n;
  }

  /** A positional argument that must be one of `allowed`. */
  choice(index: number, what: string, allowed: readonly string[]): string | undefined {
    const v = this.positionals[index];
    if (v !== undefined && !allowed.includes(v)) this.fail(`unknown ${what} "${v}" (one of ${allowed.join(', ')})`);
    return v;
  }
}

// ---------------------------------------------------------------------------------------------
// Usage text

const pad = (rows: Array<[string, string]>, indent = '  ') => {
  const width = Math.min(32, Math.max(...rows.map(([a]) => a.length)) + 2);
  return rows.map(([a, b]) => (a.length + 2 > width ? `${indent}${a}\n${indent}${' '.repeat(width)}${b}` : `${indent}${a.padEnd(width)}${b}`)).join('\n');
};

function flagRows(flags: Record<string, FlagSpec>): Array<[string, string]> {
  return Object.entries({ ...flags, help: HELP_FLAG }).map(([name, f]) => [
    `${f.short ? `-${f.short}, ` : ''}--${name}${f.type === 'string' ? ` <${f.value ?? 'value'}>` : ''}`,
    `${f.description}${f.multiple ? ' (repeatable)' : ''}`,
  ]);
}

function sections(spec: { flags?: Record<string, FlagSpec>; env?: Record<string, string>; examples?: string[]; notes?: string }, extraFlags: Record<string, FlagSpec> = {}): string[] {
  const out = [`options:\n${pad(flagRows({ ...(spec.flags ?? {}), ...extraFlags }))}`];
  if (spec.env && Object.keys(spec.env).length) out.push(`environment:\n${pad(Object.entries(spec.env))}`);
  if (spec.examples?.length) out.push(`examples:\n${spec.examples.map((e) => `  ${e}`).join('\n')}`);
  if (spec.notes) out.push(spec.notes);
  return out;
}

const synopsisOf = (invocation: string, spec: CommandSpec, name?: string) =>
  `usage: ${invocation}${name ? ` ${name}` : ''}${spec.args ? ` ${spec.args}` : ''} [options]`;

/** The full usage of a command: synopsis, summary, options (with --help), environment, examples. */
export function commandUsage(invocation: string, spec: CommandSpec, name?: string, programFlags: Record<string, FlagSpec> = {}): string {
  return [synopsisOf(invocation, spec, name), spec.summary, ...sections(spec, programFlags)].join('\n\n');
}

/** The usage of a program: its commands, then its shared options and environment. */
export function programUsage(spec: ProgramSpec): string {
  const rows: Array<[string, string]> = Object.entries(spec.commands).map(([name, c]) => [
    `${[name, ...(c.aliases ?? [])].join(' | ')}${c.args ? ` ${c.args}` : ''}`,
    c.summary.split('\n')[0],
  ]);
  return [
    `usage: ${spec.invocation} <command> [options]`,
    spec.summary,
    `commands:\n${pad(rows)}\n\n  ${spec.invocation} <command> --help   that command's options`,
    ...sections(spec),
  ].join('\n\n');
}

// ---------------------------------------------------------------------------------------------
// Parsing

/** `--help` or `-h` before a `--` terminator. */
const wantsHelp = (argv: string[]) => {
  const end = argv.indexOf('--');
  return (end < 0 ? argv : argv.slice(0, end)).some((a) => a === '--help' || a === '-h');
};

/** parseArgs's errors, reworded to name the option plainly. */
function reword(err: unknown): string {
  const e = err as { code?: string; message?: string };
  const message = e.message ?? String(err);
  const option = /'(-{1,2}[^' ]+)/.exec(message)?.[1];
  switch (e.code) {
    case 'ERR_PARSE_ARGS_UNKNOWN_OPTION':
      return `unknown option ${option ?? message}`;
    case 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE':
      return /does not take an argument/.test(message) ? `${option} takes no value` : `${option} needs a value`;
    case 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL':
      return `unexpected argument ${/'([^']+)'/.exec(message)?.[1] ?? ''}`.trim();
    default:
      return message;
  }
}

/** parseArgs's option config; it refuses keys that are present but undefined. */
const optionOf = (f: FlagSpec) => ({ type: f.type, ...(f.short ? { short: f.short } : {}), ...(f.multiple ? { multiple: true } : {}) });

function parseWith(argv: string[], flags: Record<string, FlagSpec>, spec: CommandSpec, synopsis: string) {
  const options: Record<string, ReturnType<typeof optionOf>> = {};
  for (const [name, f] of Object.entries({ ...flags, help: HELP_FLAG })) options[name] = optionOf(f);
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({ args: argv, options, strict: true, allowPositionals: true });
  } catch (err) {
    throw new UsageError(reword(err), synopsis);
  }
  const min = spec.minArgs ?? 0;
  const max = spec.maxArgs ?? (spec.args ? Infinity : 0);
  const n = parsed.positionals.length;
  if (n < min) throw new UsageError(spec.args ? `missing arguments: ${spec.args}` : 'missing arguments', synopsis);
  if (n > max) throw new UsageError(max === 0 ? `unexpected argument "${parsed.positionals[0]}"` : `too many arguments: "${parsed.positionals.slice(max).join(' ')}"`, synopsis);
  return parsed as { values: Record<string, string | boolean | Array<string | boolean> | undefined>; positionals: string[] };
}

const hint = (invocation: string) => `(${invocation} --help for the options)`;

/**
 * Parses a command line without exiting: throws `HelpRequested` for `--help`, `UsageError`
 * for anything it cannot accept. `runCli` is the exiting form scripts use.
 */
export function parseCommand(invocation: string, spec: CommandSpec, argv: string[], exitOnError = false): CliArgs {
  if (wantsHelp(argv)) throw new HelpRequested(commandUsage(invocation, spec));
  const synopsis = `${synopsisOf(invocation, spec)}\n${hint(invocation)}`;
  const { values, positionals } = parseWith(argv, spec.flags ?? {}, spec, synopsis);
  return new CliArgs(values, positionals, undefined, synopsis, exitOnError);
}

/**
 * Parses `<command> [args] [options]` against a program's subcommands (an alias names the same
 * one; `help [command]` is `--help`). Throws like `parseCommand`.
 */
export function parseProgram(spec: ProgramSpec, argv: string[], exitOnError = false): CliArgs {
  const names = Object.keys(spec.commands);
  const all = Object.entries(spec.commands).flatMap(([name, c]) => [name, ...(c.aliases ?? [])].map((alias) => [alias, name] as const));
  const resolve = (given: string | undefined) => all.find(([alias]) => alias === given)?.[1];
  const programSynopsis = `usage: ${spec.invocation} <command> [options]   (commands: ${names.join(', ')})\n${hint(spec.invocation)}`;
  // The command is the first positional: find it with every flag known, so a value is not taken for it.
  const everyFlag = Object.assign({}, spec.flags, ...Object.values(spec.commands).map((c) => c.flags ?? {})) as Record<string, FlagSpec>;
  const loose = parseArgs({
    args: argv,
    options: Object.fromEntries(Object.entries({ ...everyFlag, help: HELP_FLAG }).map(([n, f]) => [n, optionOf(f)])),
    strict: false,
    allowPositionals: true,
    tokens: true,
  });
  const first = loose.tokens?.find((t) => t.kind === 'positional') as { index: number; value: string } | undefined;
  const rest = first ? [...argv.slice(0, first.index), ...argv.slice(first.index + 1)] : argv;
  if (first?.value === 'help') {
    const about = resolve(loose.positionals[1]);
    throw new HelpRequested(about ? commandUsage(spec.invocation, spec.commands[about], about, spec.flags) : programUsage(spec));
  }
  const command = resolve(first?.value);
  if (!command) {
    if (wantsHelp(argv)) throw new HelpRequested(programUsage(spec));
    const unknown = loose.tokens?.find((t) => t.kind === 'option' && !(t.name in everyFlag)) as { rawName: string } | undefined;
    const problem = first ? `unknown command "${first.value}"` : unknown ? `unknown option ${unknown.rawName}` : 'a command is needed';
    throw new UsageError(problem, programSynopsis);
  }
  const sub = spec.commands[command];
  if (wantsHelp(rest)) throw new HelpRequested(commandUsage(spec.invocation, sub, command, spec.flags));
  const synopsis = `${synopsisOf(spec.invocation, sub, command)}\n${hint(`${spec.invocation} ${command}`)}`;
  const { values, positionals } = parseWith(rest, { ...(spec.flags ?? {}), ...(sub.flags ?? {}) }, sub, synopsis);
  return new CliArgs(values, positionals, command, synopsis, exitOnError);
}

/** The subcommand a command line names (an alias resolved), or undefined. */
export function commandOf(spec: ProgramSpec, argv: string[]): string | undefined {
  try {
    return parseProgram(spec, argv).command;
  } catch {
    return undefined;
  }
}

/** Prints a usage error (the message, then the synopsis) on stderr and exits 2. */
export function exitWithUsageError(error: UsageError): never {
  process.stderr.write(`error: ${error.message}\n${error.usage ? `\n${error.usage}\n` : ''}`);
  process.exit(USAGE_EXIT_CODE);
}

/**
 * What scripts call first, before any side effect: `--help` prints and exits 0; a bad command
 * line prints and exits 2 (the readers of the result, `number()` and the rest, exit 2 the same
 * way). Pass a `ProgramSpec` for a command with subcommands.
 */
export function runCli(spec: ProgramSpec, argv?: string[]): CliArgs;
export function runCli(invocation: string, spec: CommandSpec, argv?: string[]): CliArgs;
export function runCli(a: ProgramSpec | string, b?: CommandSpec | string[], c?: string[]): CliArgs {
  try {
    return typeof a === 'string' ? parseCommand(a, b as CommandSpec, c ?? process.argv.slice(2), true) : parseProgram(a, (b as string[] | undefined) ?? process.argv.slice(2), true);
  } catch (err) {
    if (err instanceof HelpRequested) {
      process.stdout.write(`${err.text}\n`);
      process.exit(0);
    }
    if (err instanceof UsageError) exitWithUsageError(err);
    throw err;
  }
}

// ---------------------------------------------------------------------------------------------
// Where the gateway is

/** What `GATEWAY_URL` means, for the usage texts. */
export const GATEWAY_URL_HELP = 'the running gateway (default http://127.0.0.1:$PORT, PORT default 4000)';

/** The gateway the scripts talk to, and which variable said so. */
export interface GatewayLocation {
  /** The gateway's base URL, without a trailing slash (its GraphQL endpoint is `${url}/graphql`). */
  url: string;
  /** `GATEWAY_URL`, `PORT` (http://127.0.0.1:$PORT) or `default` (http://127.0.0.1:4000). */
  source: 'GATEWAY_URL' | 'PORT' | 'default';
}

/**
 * The one place scripts find the gateway: `GATEWAY_URL` (its base URL; a trailing `/graphql` is
 * accepted and dropped, as `npm run load` used to take the endpoint), else
 * `http://127.0.0.1:$PORT`, the port the gateway itself listens on, else port 4000. A malformed
 * value is a usage error (exit 2), not a connection attempt to somewhere else.
 */
export function gatewayUrl(env: NodeJS.ProcessEnv = process.env): GatewayLocation {
  const given = env.GATEWAY_URL?.trim();
  if (given) {
    let url: URL;
    try {
      url = new URL(given);
    } catch {
      throw new UsageError(`GATEWAY_URL: not a URL ("${given}"); e.g. http://127.0.0.1:4000`);
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new UsageError(`GATEWAY_URL: must be an http:// or https:// URL ("${given}")`);
    const base = `${url.origin}${url.pathname.replace(/\/+$/, '').replace(/\/graphql$/, '')}`;
    return { url: base, source: 'GATEWAY_URL' };
  }
  const port = env.PORT?.trim();
  if (port) {
    if (!/^\d{1,5}$/.test(port) || Number(port) < 1 || Number(port) > 65535) throw new UsageError(`PORT: must be a port number from 1 to 65535 ("${port}")`);
    return { url: `http://127.0.0.1:${Number(port)}`, source: 'PORT' };
  }
  return { url: 'http://127.0.0.1:4000', source: 'default' };
}
