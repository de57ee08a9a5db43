import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'graphql';
import { testDatabase } from '../support/db';
import type { Database } from '../../shared/platform/db';
import { listen, pathOf, sendJson } from '../../shared/platform/http';
import { ROOT_DIR } from '../../shared/platform/schema';
import { testConfig } from '../support/subgraph';
import { adminDoor } from '../support/gateway';
import { openSchemaRegistry, type SchemaRegistry } from '../../gateway/registry';
import { adminToken, runCommand, productsV1, productsV2, productsV2NoWeight, productsV3, reviewsV1, startProducts, startReviews, type TinySubgraph } from './support';

/** `npm run schema -- …` against an in-process admin endpoint: output and exit codes. */

describe('npm run schema (the registry CLI)', () => {
  let db: Database;
  let registry: SchemaRegistry;
  let server: Server;
  let adminUrl: string;
  let dir: string;
  let productsSub: TinySubgraph;
  let reviewsSub: TinySubgraph;

  const cli = (args: string[], env: Record<string, string> = {}) =>
    runCommand('tsx', [path.join(ROOT_DIR, 'scripts', 'schema.ts'), ...args], { cwd: dir, env: { CITYGRAPH_ADMIN_URL: adminUrl, ...env } });
  const file = (name: string, text: string) => {
    const p = path.join(dir, name);
    writeFileSync(p, text);
    return p;
  };

  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'citygraph-cli-'));
    db = await testDatabase('registry_cli');
    productsSub = await startProducts();
    reviewsSub = await startReviews();
    registry = await openSchemaRegistry({
      database: db,
      jwtSecret: testConfig.jwtSecret,
      production: false,
      pollIntervalMs: 0,
      // Like SUBGRAPH_REVIEWS_URL: reviews is registered at its production name, served locally.
      resolveUrl: (name, url) => (name === 'reviews' ? reviewsSub.url : url),
    });
    const admin = adminDoor(registry.admin, testConfig.jwtSecret);
    server = createServer((req, res) => {
      if (pathOf(req) === '/admin/graphql') return void admin(req, res);
      sendJson(res, 404, {});
    });
    adminUrl = `${await listen(server, 0)}/admin/graphql`;
    file('products.graphql', productsV1);
    file('reviews.graphql', reviewsV1);
    file(
      'supergraph.yaml',
      `federation_version: =2.9.3\nsubgraphs:\n  products:\n    routing_url: ${productsSub.url}\n    schema:\n      file: ./products.graphql\n  reviews:\n    routing_url: http://reviews.internal:4000/graphql\n    schema:\n      file: ./reviews.graphql\n`,
    );
    file('v2.graphql', productsV2);
    file('v3.graphql', productsV3);
    file('no-weight.graphql', productsV2NoWeight);
    file('broken.graphql', 'type Product { upc: String!');
  });

  afterAll(async () => {
    if (server) await new Promise<void>((r) => server.close(() => r()));
    await registry?.close();
    await productsSub?.stop();
    await reviewsSub?.stop();
    await db?.conn.dropDatabase().catch(() => {});
    await db?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('exits 2 on usage errors, naming the problem', async () => {
    const runs = await Promise.all([
      cli([]),
      cli(['publish', 'products']),
      cli(['publish', 'products', 'missing.graphql']),
      cli(['frobnicate']),
      cli(['operations', '--days', 'soon']),
      cli(['check', 'products', 'v2.graphql', '--bogus']),
    ]);
    expect(runs.map((r) => r.code)).toEqual([2, 2, 2, 2, 2, 2]);
    expect(runs[1].stderr).toMatch(/publish needs a subgraph name and an SDL file/);
    expect(runs[2].stderr).toMatch(/cannot read missing\.graphql: ENOENT/);
    expect(runs[3].stderr).toMatch(/unknown command "frobnicate"/);
    expect(runs[5].stderr).toMatch(/unknown option --bogus/);
  });

  it('runs the whole cycle: seed, check, publish, refused breaking change, force, rollback, history', async () => {
    const seeded = await cli(['seed', '--config', 'supergraph.yaml']);
    expect(seeded.stderr).toBe('');
    expect(seeded.code).toBe(0);
    expect(seeded.stdout).toMatch(/^OK {2}Launched L1/);

    const check = await cli(['check', 'products', 'v2.graphql']);
    expect(check.code).toBe(0);
    expect(check.stdout).toMatch(/OK {2}Check passed: composes; 0 breaking, 0 dangerous, 1 non-breaking change\(s\)/);
    expect(check.stdout).toMatch(/Additive and safe changes:\n {2}- Field 'inStock' was added to object type 'Product' {2}\[FIELD_ADDED\]/);

    const publish = await cli(['publish', 'products', 'v2.graphql', '--message', 'add inStock']);
    expect(publish.code).toBe(0);
    expect(publish.stdout).toMatch(/OK {2}Launched L2/);
    expect(publish.stdout).toMatch(/New version\(s\): products@2/);

    // The products service serves weight: publishing an SDL without it is refused until --force.
    const mismatch = await cli(['publish', 'products', 'no-weight.graphql']);
    expect(mismatch.code).toBe(1);
    expect(mismatch.stdout).toMatch(/REFUSED {2}Refused: products at http:\/\/127\.0\.0\.1:\d+\/graphql does not serve this SDL .*--force/);
    expect(mismatch.stdout).toMatch(/the published SDL: Field 'weight' was removed from object type 'Product'/);
    expect((await registry.service.currentLaunch())?._id).toBe('L2');

    // A client's operation that reads price, as the gateway records it (with apollographql-client-version).
    registry.usage.record(parse('query ProductPrices { topProducts(first: 10) { name price } }'), 'ProductPrices', 'ios-app', '5.2.0');
    await registry.usage.flush();

    const refusedCheck = await cli(['check', 'products', 'v3.graphql']);
    expect(refusedCheck.code).toBe(1);
    expect(refusedCheck.stdout).toMatch(/REFUSED {2}Refused: 1 breaking, 0 dangerous, 0 non-breaking change\(s\), 1 protected operation\(s\) affected/);
    expect(refusedCheck.stdout).toMatch(/It breaks ProductPrices of ios-app@5\.2\.0 \(recorded, 1 request\(s\) in 7 days\)\. Publish anyway with --force/);
    expect(refusedCheck.stdout).not.toMatch(/Use force/);
    expect(refusedCheck.stdout).toMatch(/Breaking changes \(checked against 1 protected operation\(s\)\):\n {2}- Field 'price' was removed from object type 'Product' {2}\[FIELD_REMOVED\]/);
    expect(refusedCheck.stdout).toMatch(/breaks ProductPrices {2}client ios-app@5\.2\.0, 1 request\(s\)/);
    expect(refusedCheck.stdout).toMatch(/Cannot query field "price" on type "Product"/);

    const refused = await cli(['publish', 'products', 'v3.graphql']);
    expect(refused.code).toBe(1);
    expect((await registry.service.currentLaunch())?._id).toBe('L2');

    const forced = await cli(['publish', 'products', 'v3.graphql', '--force', '--message', 'drop price']);
    expect(forced.code).toBe(0);
    expect(forced.stdout).toMatch(/OK {2}Launched L3: .*\(forced\)/);

    const rollback = await cli(['rollback', 'L2']);
    expect(rollback.code).toBe(0);
    expect(rollback.stdout).toMatch(/OK {2}Launched L4: rolled back to L2/);

    const history = await cli(['history']);
    expect(history.code).toBe(0);
    expect(history.stdout).toMatch(/L4 +rollback .*\(CURRENT, rollback to L2\)/);
    expect(history.stdout).toMatch(/products +products@2/);
    // The routing URL in use (after the override), and the registered one beside it.
    expect(history.stdout).toContain(`reviews        reviews@1        ${reviewsSub.url}  (registered: http://reviews.internal:4000/graphql)`);

    const versions = await cli(['history', 'products']);
    expect(versions.code).toBe(0);
    expect(versions.stdout).toMatch(/\* products@2/);
    expect(versions.stdout).toMatch(/products@3 .*drop price/);

    const ops = await cli(['operations', '--days', '7']);
    expect(ops.code).toBe(0);
    expect(ops.stdout).toMatch(/ProductPrices +client ios-app@5\.2\.0/);

    const json = await cli(['check', 'products', 'v3.graphql', '--json']);
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stdout).data.result.outcome).toBe('BREAKING_CHANGES');

    // A rollback that breaks what clients use now needs --force: L1 has no inStock, which an
    // Android release reads.
    registry.usage.record(parse('query Stock { topProducts { upc inStock } }'), 'Stock', 'android-app');
    await registry.usage.flush();
    const back = await cli(['rollback', 'L1']);
    expect(back.code).toBe(1);
    expect(back.stdout).toMatch(/REFUSED {2}Refused: rolling back to L1 makes 1 breaking, .*It breaks Stock of android-app .*Roll back anyway with --force/);
    expect(back.stdout).toMatch(/- Field 'inStock' was removed from object type 'Product' {2}\[FIELD_REMOVED\]\n {6}breaks Stock {2}client android-app/);
    expect((await registry.service.currentLaunch())?._id).toBe('L4');
    const backForced = await cli(['rollback', 'L1', '--force']);
    expect(backForced.code).toBe(0);
    expect(backForced.stdout).toMatch(/OK {2}Launched L5: rolled back to L1; it breaks 1 protected operation\(s\) \(forced\)/);
    // Each step starts the CLI (tsx) afresh: a few seconds apiece on a busy machine.
  }, 240_000);

  it('registers an app version\'s operations from a persisted query manifest; a broken one is refused, naming each operation', async () => {
    const body = 'query Names { topProducts(first: 2) { upc name } }';
    const entry = (name: string, text: string) => ({ id: createHash('sha256').update(text).digest('hex'), name, type: 'query', body: text });
    const manifest = (...operations: unknown[]) => JSON.stringify({ format: 'apollo-persisted-query-manifest', version: 1, operations });
    file('web.json', manifest(entry('Names', body)));
    file('broken.json', manifest(entry('Names', body), entry('Colours', 'query Colours { topProducts { colour } }')));

    const published = await cli(['operations', 'publish', 'web', '3.2.0', 'web.json']);
    expect(published.stderr).toBe('');
    expect(published.code).toBe(0);
    expect(published.stdout).toMatch(/^OK {2}Registered 1 operation\(s\) of web@3\.2\.0/);
    expect(published.stdout).toMatch(/Names +[0-9a-f]{64}/);

    const refused = await cli(['operations', 'publish', 'web', '3.3.0', 'broken.json']);
    expect(refused.code).toBe(1);
    expect(refused.stdout).toMatch(/^REFUSED {2}Refused: 1 of 2 operation\(s\) of web@3\.3\.0 do not run on the current graph .*: Colours; nothing was registered/);
    expect(refused.stdout).toMatch(/Broken operations:\n {2}- Colours {2}id [0-9a-f]{64}\n {6}Cannot query field "colour" on type "Product"\./);

    const listed = await cli(['operations', 'registered']);
    expect(listed.code).toBe(0);
    expect(listed.stdout).toMatch(/1 registered app version\(s\)/);
    expect(listed.stdout).toMatch(/web@3\.2\.0 .* 1 operation\(s\)/);

    const usage = await cli(['operations', 'publish', 'web']);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toMatch(/operations publish needs a client name, its version and a manifest file/);
  }, 120_000);

  it('exits 1 on refusals: bad SDL, a non-admin token; 3 when the admin API is unreachable', async () => {
    const broken = await cli(['publish', 'products', 'broken.graphql']);
    expect(broken.code).toBe(1);
    expect(broken.stderr).toMatch(/\[BAD_USER_INPUT\] sdl: is not valid GraphQL SDL/);

    const resident = await cli(['history'], { CITYGRAPH_TOKEN: adminToken({ role: 'resident', subject: 'R-1', residentId: 'R-1' }) });
    expect(resident.code).toBe(1);
    expect(resident.stderr).toMatch(/\[FORBIDDEN\]/);

    const down = await cli(['history'], { CITYGRAPH_ADMIN_URL: 'http://127.0.0.1:9/admin/graphql' });
    expect(down.code).toBe(3);
    expect(down.stderr).toMatch(/cannot reach the admin API/);
  });
});
