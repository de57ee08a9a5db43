import { gatewayUrl, HelpRequested, parseCommand, parseProgram, UsageError, type CommandSpec, type ProgramSpec } from '../../shared/platform/cli';

/** shared/cli.ts in-process: what every script's command line goes through. */

const LOAD: CommandSpec = {
  summary: 'a load test',
  flags: {
    duration: { type: 'string', value: 's', description: 'seconds' },
    env: { type: 'string', multiple: true, description: 'K=V' },
    quick: { type: 'boolean', description: 'short' },
  },
};

const PROGRAM: ProgramSpec = {
  invocation: 'npm run schema --',
  summary: 'registry',
  flags: { json: { type: 'boolean', description: 'raw' } },
  commands: {
    publish: { summary: 'publish', args: '<subgraph> <file>', minArgs: 2, maxArgs: 2, flags: { message: { type: 'string', description: 'why' } } },
    history: { summary: 'history', aliases: ['launches'], args: '[subgraph]', maxArgs: 1 },
  },
};

/** What `f` threw: a UsageError's message or a HelpRequested's text. */
function thrown(f: () => unknown, kind: typeof UsageError | typeof HelpRequested): string {
  try {
    f();
  } catch (err) {
    if (err instanceof UsageError && kind === UsageError) return err.message;
    if (err instanceof HelpRequested && kind === HelpRequested) return err.text;
    throw err;
  }
  throw new Error(`nothing thrown (expected ${kind.name})`);
}
const usageError = (f: () => unknown) => thrown(f, UsageError);
const help = (f: () => unknown) => thrown(f, HelpRequested);

describe('the command-line kit', () => {
  it('reads values, repeated values and flags; checks numbers', () => {
    const cli = parseCommand('npm run load --', LOAD, ['--duration=5', '--env', 'A=1', '--env', 'B=2', '--quick']);
    expect(cli.number('duration', 60, { above: 0 })).toBe(5);
    expect(cli.strings('env')).toEqual(['A=1', 'B=2']);
    expect(cli.flag('quick')).toBe(true);
    expect(parseCommand('x', LOAD, []).number('duration', 60)).toBe(60);
    expect(usageError(() => parseCommand('x', LOAD, ['--duration', '-3']).number('duration', 60))).toBe('--duration needs a value');
    expect(usageError(() => parseCommand('x', LOAD, ['--duration=-3']).number('duration', 60, { above: 0 }))).toBe('--duration must be a number above 0 (got "-3")');
    expect(usageError(() => parseCommand('x', LOAD, ['--quick=yes']))).toBe('--quick takes no value');
    expect(usageError(() => parseCommand('x', LOAD, ['--nope']))).toBe('unknown option --nope');
    expect(usageError(() => parseCommand('x', LOAD, ['stray']))).toBe('unexpected argument "stray"');
  });

  it('--help and -h give the usage made from the spec, whatever else is on the line', () => {
    const text = help(() => parseCommand('npm run load --', LOAD, ['--nope', '-h']));
    expect(text).toMatch(/^usage: npm run load -- \[options\]\n\na load test\n\noptions:\n {2}--duration <s> +seconds\n {2}--env <value> +K=V \(repeatable\)/);
    expect(text).toContain('-h, --help');
    // After `--` it is an argument, not a request for help.
    expect(usageError(() => parseCommand('x', LOAD, ['--', '--help']))).toBe('unexpected argument "--help"');
  });

  it('programs: the command is the first argument, aliases resolve, each command has its own help and options', () => {
    const cli = parseProgram(PROGRAM, ['--json', 'launches', 'parking']);
    expect(cli.command).toBe('history');
    expect(cli.positionals).toEqual(['parking']);
    expect(cli.flag('json')).toBe(true);
    expect(parseProgram(PROGRAM, ['publish', 'a', '--message', 'm', 'b.graphql']).positionals).toEqual(['a', 'b.graphql']);
    expect(help(() => parseProgram(PROGRAM, ['publish', '--help']))).toMatch(/^usage: npm run schema -- publish <subgraph> <file> \[options\][\s\S]*--message[\s\S]*--json/);
    expect(help(() => parseProgram(PROGRAM, ['help', 'launches']))).toMatch(/^usage: npm run schema -- history/);
    expect(help(() => parseProgram(PROGRAM, ['--help']))).toMatch(/commands:\n {2}publish <subgraph> <file> +publish\n {2}history \| launches \[subgraph\] +history/);
    expect(usageError(() => parseProgram(PROGRAM, []))).toBe('a command is needed');
    expect(usageError(() => parseProgram(PROGRAM, ['frobnicate']))).toBe('unknown command "frobnicate"');
    expect(usageError(() => parseProgram(PROGRAM, ['--bogus']))).toBe('unknown option --bogus');
    expect(usageError(() => parseProgram(PROGRAM, ['history', '--message', 'x']))).toBe('unknown option --message');
    expect(usageError(() => parseProgram(PROGRAM, ['publish', 'a']))).toBe('missing arguments: <subgraph> <file>');
    expect(usageError(() => parseProgram(PROGRAM, ['history', 'a', 'b']))).toBe('too many arguments: "b"');
  });

  it('the gateway is GATEWAY_URL, else http://127.0.0.1:$PORT, else port 4000', () => {
    expect(gatewayUrl({})).toEqual({ url: 'http://127.0.0.1:4000', source: 'default' });
    expect(gatewayUrl({ PORT: '4100' })).toEqual({ url: 'http://127.0.0.1:4100', source: 'PORT' });
    expect(gatewayUrl({ PORT: '4100', GATEWAY_URL: 'https://api.example/city/' })).toEqual({ url: 'https://api.example/city', source: 'GATEWAY_URL' });
    // The old meaning (the /graphql endpoint) still works.
    expect(gatewayUrl({ GATEWAY_URL: 'http://10.0.0.5:4000/graphql' }).url).toBe('http://10.0.0.5:4000');
    expect(() => gatewayUrl({ GATEWAY_URL: 'ftp://x' })).toThrow(UsageError);
    expect(() => gatewayUrl({ PORT: '70000' })).toThrow(/PORT: must be a port number/);
  });
});
