import { spawn } from 'node:child_process';
import { DEVELOPMENT_INTERNAL_SECRET, DEVELOPMENT_JWT_SECRET } from '../../shared/platform/config';
import { ROOT_DIR } from '../../shared/platform/schema';

interface Run {
  code: number | null;
  output: string;
}

/**
 * Starts the real gateway (`npx tsx gateway/index.ts`) as production would, with the variables
 * given and none of this shell's identity settings. Resolves when it has exited: by itself, or,
 * once it reported ready, after SIGTERM. npx does not pass signals on to its child, so the
 * gateway runs in a process group of its own and the signal goes to the whole group.
 */
function startGateway(env: Record<string, string>): Promise<Run & { ready: boolean }> {
  const base = { ...process.env };
  for (const name of Object.keys(base)) {
    if (/^(JWT_SECRET|INTERNAL_SECRET|OIDC_|GATEWAY_WORKERS|REDIS_URL|MONGODB_URI|SUPERGRAPH_|CITY_AUTH)/.test(name)) delete base[name];
  }
  const child = spawn('npx', ['tsx', 'gateway/index.ts'], {
    cwd: ROOT_DIR,
    env: { ...base, NODE_ENV: 'production', PORT: '0', SCHEMA_REGISTRY: 'off', SUPERGRAPH_WATCH: 'off', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  const signal = (name: NodeJS.Signals) => {
    try {
      process.kill(-child.pid!, name);
    } catch {
      // The group has already exited.
    }
  };
  let output = '';
  let ready = false;
  const read = (chunk: Buffer) => {
    output += chunk.toString();
    if (!ready && /gateway ready at/.test(output)) {
      ready = true;
      signal('SIGTERM');
    }
  };
  child.stdout.on('data', read);
  child.stderr.on('data', read);
  // Bounded: a gateway that neither starts nor fails is stopped and reported as such.
  const timer = setTimeout(() => signal('SIGKILL'), 45_000);
  // 'close': every process of the group that holds the output pipes has exited, the gateway too.
  return new Promise((resolve) =>
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, output, ready });
    }),
  );
}

describe('NODE_ENV=production gateway', () => {
  it('refuses to start with no secrets, naming both', async () => {
    const run = await startGateway({});
    expect(run.ready).toBe(false);
    expect(run.code).not.toBe(0);
    expect(run.output).toMatch(/JWT_SECRET: required when NODE_ENV=production/);
    expect(run.output).toMatch(/INTERNAL_SECRET: required when NODE_ENV=production/);
  });

  it('refuses to start with the published development secrets set explicitly, naming both', async () => {
    const run = await startGateway({ JWT_SECRET: DEVELOPMENT_JWT_SECRET, INTERNAL_SECRET: DEVELOPMENT_INTERNAL_SECRET });
    expect(run.ready).toBe(false);
    expect(run.code).not.toBe(0);
    expect(run.output).toMatch(/JWT_SECRET: is a published development secret/);
    expect(run.output).toMatch(/INTERNAL_SECRET: is a published development secret/);
  });

  it('starts with secrets of its own, and shuts down on SIGTERM', async () => {
    const run = await startGateway({ JWT_SECRET: 'a-production-jwt-secret-0123456789abcdef', INTERNAL_SECRET: 'a-production-internal-secret-0123456789ab' });
    expect(run.output).toMatch(/gateway ready at http:\/\/127\.0\.0\.1:\d+\/graphql/);
    expect(run.ready).toBe(true);
    expect(run.output).toMatch(/shutting down, finishing requests in progress/);
    expect(run.output).not.toMatch(/"level":(50|60)/);
  });
});
