import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { freePort } from '../../shared/dev/ferret';
import { ROOT_DIR } from '../../shared/platform/schema';
import { SUBGRAPH_NAMES } from '../../shared/subgraph/subgraph-deps';
import { restartDelay, SupervisedProcess, type RestartPolicy } from '../../scripts/supervisor';
import { testPrefix } from '../support/db';
import { sleep, waitFor } from './harness';

/**
 * `npm start` keeps the graph up: a process that crashes is restarted with exponential backoff
 * while the others keep serving, and Ctrl-C stops everything without restarting anything.
 */

/** `promise`, or `'timeout'` after `ms`, leaving no timer behind. */
async function within<T>(promise: Promise<T>, ms: number): Promise<T | 'timeout'> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), ms)));
  try {
    return await Promise.race([promise, late]);
  } finally {
    clearTimeout(timer);
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('SupervisedProcess (real child processes)', () => {
  /** A supervised `node -e script`, with every log line timestamped. */
  function supervise(script: string, policy: RestartPolicy) {
    const lines: Array<{ at: number; line: string }> = [];
    const child = new SupervisedProcess('child', () => spawn(process.execPath, ['-e', script], { stdio: 'ignore' }), (line) => lines.push({ at: Date.now(), line }), policy);
    /** Milliseconds from each crash to the next start. */
    const delays = () => {
      const out: number[] = [];
      let crashedAt: number | undefined;
      for (const { at, line } of lines) {
        if (line.includes('stopped unexpectedly')) crashedAt = at;
        else if (line.includes('started') && crashedAt !== undefined) {
          out.push(at - crashedAt);
          crashedAt = undefined;
        }
      }
      return out;
    };
    return { child, lines, delays };
  }

  it('doubles the wait after each crash in a row, up to the maximum, and logs each', async () => {
    const { child, lines, delays } = supervise('process.exit(3)', { initialDelayMs: 100, maxDelayMs: 400, resetAfterMs: 60_000 });
    child.start();
    try {
      await waitFor('five restarts', () => child.restarts >= 5, 15000, 20);
    } finally {
      await child.stop();
    }
    const measured = delays().slice(0, 5);
    const expected = [100, 200, 400, 400, 400];
    measured.forEach((ms, i) => {
      expect(ms).toBeGreaterThanOrEqual(expected[i] - 5);
      expect(ms).toBeLessThan(expected[i] + 250);
    });
    expect(lines[1].line).toMatch(/^child stopped unexpectedly \(exit code 3\) after [\d.]+ s; restarting in 0\.1 s \(crash 1 in a row\)$/);
    expect(lines.some((l) => /^child started \(pid \d+, restart 2\)$/.test(l.line))).toBe(true);
  });

  it('starts the doubling over after a process ran long enough', async () => {
    // Each run lasts 300 ms, longer than resetAfterMs: every crash is a first crash.
    const { child, delays } = supervise('setTimeout(() => process.exit(1), 300)', { initialDelayMs: 100, maxDelayMs: 5000, resetAfterMs: 200 });
    child.start();
    try {
      await waitFor('four restarts', () => child.restarts >= 4, 15000, 20);
    } finally {
      await child.stop();
    }
    for (const ms of delays().slice(0, 4)) expect(ms).toBeLessThan(350);
  });

  it('restarts nothing once stopped, even with a restart pending', async () => {
    const { child, lines } = supervise('process.exit(1)', { initialDelayMs: 300, maxDelayMs: 300, resetAfterMs: 60_000 });
    child.start();
    await waitFor('the first crash', () => lines.some((l) => l.line.includes('stopped unexpectedly')), 5000, 10);
    await child.stop();
    await sleep(600);
    expect(child.restarts).toBe(0);

    const { child: running } = supervise('setInterval(() => {}, 1000)', { initialDelayMs: 50, maxDelayMs: 50, resetAfterMs: 60_000 });
    const proc = running.start();
    await running.stop();
    expect(proc.signalCode).toBe('SIGTERM');
    await sleep(300);
    expect(running.restarts).toBe(0);
    expect(running.running).toBe(false);
  });

  it('computes 0.5 s doubling to 30 s by default', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 8, 20].map((n) => restartDelay(n))).toEqual([500, 1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000]);
  });
});

describe('npm start (scripts/start.ts)', () => {
  let start: ChildProcess | undefined;
  const output: string[] = [];
  const text = () => output.join('');

  afterAll(async () => {
    if (start && start.exitCode === null && start.signalCode === null) {
      const exited = new Promise((r) => start!.once('exit', r));
      start.kill('SIGINT');
      await within(exited, 20000);
    }
    // Whatever it left behind (a failed run): its children, by the pids it logged.
    for (const m of text().matchAll(/started \(pid (\d+)/g)) if (alive(Number(m[1]))) process.kill(Number(m[1]), 'SIGKILL');
  });

  it('restarts a subgraph killed with -9 while the rest keep serving; Ctrl-C stops everything', async () => {
    const ports: Record<string, string> = { PORT: String(await freePort()) };
    for (const name of SUBGRAPH_NAMES) ports[`${name.toUpperCase()}_PORT`] = String(await freePort());
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      ...ports,
      NODE_ENV: 'development',
      MONGODB_URI: process.env.TEST_MONGODB_URI,
      MONGODB_DB_PREFIX: testPrefix('start'),
      LOG_LEVEL: 'warn',
      RATE_LIMIT_MAX: '0',
      RESPONSE_CACHE: 'off',
      HOST: '127.0.0.1',
    };
    delete env.JEST_WORKER_ID; // children log as they do for a person running npm start
    start = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT_DIR, 'scripts', 'start.ts')], { cwd: ROOT_DIR, env, stdio: ['ignore', 'pipe', 'pipe'] });
    start.stdout!.on('data', (d: Buffer) => output.push(d.toString()));
    start.stderr!.on('data', (d: Buffer) => output.push(d.toString()));
    const fail = (what: string) => (err: Error) => {
      throw new Error(`${what}: ${err.message}\n--- npm start output ---\n${text().slice(-4000)}`);
    };
    await waitFor('CityGraph is running', () => start!.exitCode === null && text().includes('CityGraph is running.'), 120000, 200).catch(fail('start'));

    const gateway = `http://127.0.0.1:${ports.PORT}/graphql`;
    const query = async (q: string) => {
      const res = await fetch(gateway, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: q }), signal: AbortSignal.timeout(10000) });
      return (await res.json()) as { data?: any; errors?: Array<{ extensions?: { code?: string } }> };
    };
    const lots = '{ parkingLots { id name } }';
    const communities = '{ communities { code name } }';
    expect((await query(lots)).data.parkingLots.length).toBeGreaterThan(0);

    const pid = Number(/parking started \(pid (\d+)\)/.exec(text())![1]);
    process.kill(pid, 'SIGKILL');
    await waitFor('the crash to be logged', () => /parking stopped unexpectedly \(SIGKILL\) after [\d.]+ s; restarting in 0\.5 s/.test(text()), 10000, 50).catch(fail('crash log'));
    // The rest keeps serving while parking is away.
    expect((await query(communities)).data.communities.length).toBeGreaterThan(0);

    const restarted = await waitFor('parking to be restarted', () => /parking started \(pid (\d+), restart 1\)/.exec(text()), 15000, 50).catch(fail('restart'));
    const newPid = Number(restarted![1]);
    expect(newPid).not.toBe(pid);
    expect(alive(pid)).toBe(false);
    await waitFor('the gateway to answer parking again', async () => !!(await query(lots)).data?.parkingLots?.length, 60000, 250).catch(fail('parking back'));

    // Ctrl-C: everything stops, cleanly, and nothing is restarted.
    const pids = [...text().matchAll(/(\w+) started \(pid (\d+)/g)].reduce((latest, m) => latest.set(m[1], Number(m[2])), new Map<string, number>());
    expect([...pids.keys()].sort()).toEqual(['gateway', ...SUBGRAPH_NAMES].sort());
    const exited = new Promise<number | null>((resolve) => start!.once('exit', (code) => resolve(code)));
    const before = text().length;
    start.kill('SIGINT');
    const code = await within(exited, 30000);
    expect(code).toBe(0);
    const after = text().slice(before);
    expect(after).toContain('Stopped.');
    expect(after).not.toMatch(/started \(pid|stopped unexpectedly/);
    for (const [name, p] of pids) expect({ name, alive: alive(p) }).toEqual({ name, alive: false });
  }, 240000);
});
