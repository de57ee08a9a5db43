import { loadGatewayOptions } from '../../gateway/config';
import { ConfigError, loadSubgraphProcessConfig } from '../../shared/platform/config';
import { runScript } from '../support/script';

/** The problems a loader reports, as `VARIABLE` names in order. */
function problemsOf(load: () => unknown): string[] {
  try {
    load();
  } catch (err) {
    if (err instanceof ConfigError) return err.problems.map((p) => p.variable);
    throw err;
  }
  return [];
}

describe('configuration: every bad variable of every group at once', () => {
  it('the gateway: its own, the city layer, identity, security, performance, logs and workers in one ConfigError', () => {
    const env = {
      NODE_ENV: 'test',
      PORT: 'abc', // gateway
      MONGODB_TIMEOUT_MS: '5', // city layer
      OIDC_ISSUER: 'https://id.example', // identity: audience and JWKS URL missing
      MAX_DEPTH: '-1', // security
      RESPONSE_CACHE: 'maybe', // performance
      LOG_LEVEL: 'loud', // process
      GATEWAY_WORKERS: 'many', // workers
    };
    let error: ConfigError | undefined;
    try {
      loadGatewayOptions(env);
    } catch (err) {
      error = err as ConfigError;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect(error!.problems.map((p) => p.variable).sort()).toEqual(
      ['GATEWAY_WORKERS', 'LOG_LEVEL', 'MAX_DEPTH', 'MONGODB_TIMEOUT_MS', 'OIDC_AUDIENCE', 'OIDC_JWKS_URL', 'PORT', 'RESPONSE_CACHE'].sort(),
    );
    // One message, one line per variable.
    for (const p of error!.problems) expect(error!.message).toContain(`\n  ${p.variable}: ${p.message}`);
  });

  it('a rule across variables and a missing file are reported with the rest', () => {
    expect(
      problemsOf(() => loadGatewayOptions({ NODE_ENV: 'test', HEADERS_TIMEOUT_MS: '20000', REQUEST_TIMEOUT_MS: '10000', SUPERGRAPH_PATH: '/nowhere.graphql', MAX_COST: 'x' })).sort(),
    ).toEqual(['HEADERS_TIMEOUT_MS', 'MAX_COST', 'SUPERGRAPH_PATH']);
  });

  it("production's secrets are named once each, though two groups check them", () => {
    expect(problemsOf(() => loadGatewayOptions({ NODE_ENV: 'production', SCHEMA_REGISTRY: 'off' }))).toEqual(['JWT_SECRET', 'INTERNAL_SECRET']);
  });

  it('a subgraph: the city variables, MONGODB_URI and the process variables together', () => {
    expect(problemsOf(() => loadSubgraphProcessConfig({ NODE_ENV: 'test', PARKING_PORT: 'x', SHUTDOWN_GRACE_MS: '-5' })).sort()).toEqual(['MONGODB_URI', 'PARKING_PORT', 'SHUTDOWN_GRACE_MS']);
    expect(problemsOf(() => loadSubgraphProcessConfig({ NODE_ENV: 'test', MONGODB_URI: 'mongodb://127.0.0.1:1/' }))).toEqual([]);
  });
});

const config = (args: string[], env: Record<string, string>) =>
  runScript('scripts/config.ts', args, { PATH: process.env.PATH, HOME: process.env.HOME, NODE_ENV: 'test', ...env });

describe('npm run config', () => {
  const JWT_SECRET = 'a-jwt-secret-of-our-own-0123456789abcdef';
  const METRICS_TOKEN = 'metrics-token-0123456789';

  it('prints the effective configuration of the gateway and the subgraphs, secrets as ***', async () => {
    const r = await config([], { PORT: '4100', JWT_SECRET, METRICS_TOKEN, MONGODB_URI: 'mongodb://city:hunter2hunter2@db.example:27017/', MAX_DEPTH: '9' });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^gateway:\n/);
    expect(r.stdout).toContain('\nsubgraphs:\n');
    expect(r.stdout).toContain('  port = 4100\n');
    expect(r.stdout).toContain('  security.maxDepth = 9\n');
    expect(r.stdout).toContain('  ports.parking = 4002\n');
    expect(r.stdout).toContain('"mongodb://city:***@db.example:27017/"');
    for (const secret of [JWT_SECRET, METRICS_TOKEN, 'hunter2hunter2', 'citygraph-development']) expect(r.stdout).not.toContain(secret);
    expect(r.stdout).toContain('cityAuth.jwtSecret = "***"');
  }, 120_000);

  it('--json prints the same as JSON', async () => {
    const r = await config(['--json'], { JWT_SECRET });
    expect(r.code).toBe(0);
    const parsed = JSON.parse(r.stdout);
    expect(parsed.gateway.port).toBe(4000);
    expect(parsed.subgraphs.jwtSecret).toBe('***');
  }, 120_000);

  it('invalid configuration: every bad variable listed, exit 2', async () => {
    const r = await config([], { PORT: 'abc', MAX_DEPTH: '-1', PARKING_PORT: 'x' });
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^Invalid configuration \(environment variables\):\n/);
    for (const v of ['PORT', 'MAX_DEPTH', 'PARKING_PORT']) expect(r.stderr).toContain(`\n  ${v}: `);
    // PARKING_PORT is read by the gateway's city layer and by the subgraphs: named once.
    expect(r.stderr.match(/PARKING_PORT/g)).toHaveLength(1);
  }, 120_000);
});
