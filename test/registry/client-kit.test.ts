import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createGatewayServer, type GatewayServer } from '../../gateway/server';
import { ROOT_DIR } from '../../shared/platform/schema';
import { gatewayOptions } from '../support/gateway';
import { runCommand } from './support';

/**
 * The client kit: schema/api.graphql is what the running gateway introspects as, so code
 * generated from the file and from the gateway's URL is the same, and the committed
 * examples/client/gql is fresh. The gateway serves the committed supergraph (no subgraph needs to
 * run: introspection is answered by the gateway itself).
 */

describe('client kit', () => {
  let gateway: GatewayServer;
  let url: string;
  let dir: string;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'citygraph-client-kit-'));
    const base = gatewayOptions({});
    gateway = await createGatewayServer(
      gatewayOptions({
        supergraph: { kind: 'file', path: path.join(ROOT_DIR, 'schema', 'supergraph.graphql') },
        // The gateway's own limits: codegen's URL loader sends graphql-js' full introspection
        // query, which the pipeline measures against introspection's own bound.
        security: { ...base.security, rateLimitMax: 0 },
      }),
    );
    url = `${await gateway.listen(0)}/graphql`;
  });

  afterAll(async () => {
    await gateway?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  /**
   * Runs the example's codegen config (`npm run codegen:client`; the graphql-codegen CLI, which
   * Jest cannot load in-process) with another schema source, into a directory of its own.
   */
  const codegen = async (schema: string, name: string) => {
    const out = path.join(dir, name);
    const result = await runCommand('graphql-codegen', ['--config', 'examples/client/codegen.ts'], { env: { CODEGEN_SCHEMA: schema, CODEGEN_OUT: `${out}/` } });
    expect([result.code, result.stderr]).toEqual([0, '']);
    return Object.fromEntries(readdirSync(out).map((f) => [f, readFileSync(path.join(out, f), 'utf8')]));
  };

  it('generates the same types from the running gateway and from schema/api.graphql, and the committed ones are fresh', async () => {
    const fromFile = await codegen('schema/api.graphql', 'from-file');
    const fromGateway = await codegen(url, 'from-gateway');
    expect(Object.keys(fromFile).sort()).toEqual(['gql.ts', 'graphql.ts', 'index.ts']);
    expect(fromGateway).toEqual(fromFile);
    expect(fromFile['graphql.ts']).toMatch(/export type CommunitiesQuery = /);
    for (const [name, content] of Object.entries(fromFile)) {
      // `npm run codegen:client` refreshes them.
      expect([name, readFileSync(path.join(ROOT_DIR, 'examples', 'client', 'gql', name), 'utf8')]).toEqual([name, content]);
    }
    // Two codegen runs, each starting the CLI afresh.
  }, 120_000);

  it('npm run schema -- fetch writes the SDL the gateway introspects as: schema/api.graphql', async () => {
    const out = path.join(dir, 'fetched.graphql');
    const fetched = await runCommand('tsx', ['scripts/schema.ts', 'fetch', '--url', url, '--out', out]);
    expect(fetched.stderr).toMatch(/Wrote the API schema of .* to /);
    expect(fetched.code).toBe(0);
    expect(readFileSync(out, 'utf8')).toBe(readFileSync(path.join(ROOT_DIR, 'schema', 'api.graphql'), 'utf8'));
  });
});
