import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { connectDatabase, type Database } from '../../shared/platform/db';
import { listen, pathOf, sendJson } from '../../shared/platform/http';
import { createGatewayServer, type GatewayServer } from '../../gateway/server';
import { registryDatabaseName } from '../../gateway/registry';
import { RegistryService } from '../../gateway/registry/service';
import { RegistryStore } from '../../gateway/registry/store';
import { testPrefix } from '../support/db';
import { adminDoor, gatewayOptions } from '../support/gateway';
import { testConfig } from '../support/subgraph';
import { admin, post, productsV2, productsV3, reviewsV1, startProducts, startReviews, waitFor, RESULT_FIELDS, type TinySubgraph } from './support';

/**
 * Trusted documents: an app version registers its operations (Apollo's persisted query
 * manifest) in the registry, and every gateway replica on the same registry database serves them
 * by id within seconds, through the request pipeline. Two real gateways (createGatewayServer), no
 * Redis between them, so the second one learns the manifest by polling.
 */

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const operation = (name: string, body: string, type = 'query') => ({ id: sha256(body), name, type, body });
const manifest = (...operations: Array<ReturnType<typeof operation>>) => JSON.stringify({ format: 'apollo-persisted-query-manifest', version: 1, operations });

const TOP_PRICES = operation('TopPrices', 'query TopPrices { topProducts(first: 2) { upc name price } }');
const REVIEWS = operation('ProductReviews', 'query ProductReviews { topProducts(first: 1) { name reviews { stars } } }');

const PUBLISH_OPERATIONS = `mutation($client: String!, $version: String!, $manifest: String!) {
  publishOperations(client: $client, version: $version, manifest: $manifest) { ok outcome summary manifest { id client version operations { id name } } broken { id name reasons } }
}`;

describe('registered operations (trusted documents) across gateway replicas', () => {
  let db: Database;
  let productsSub: TinySubgraph;
  let reviewsSub: TinySubgraph;
  let gatewayA: GatewayServer;
  let gatewayB: GatewayServer;
  let urlB: string;
  let adminServer: Server;
  let adminUrl: string;

  /** A hash-only request, as a client with a persisted-query link sends a registered operation. */
  const byId = (url: string, id: string, client = 'web') =>
    fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'apollographql-client-name': client },
      body: JSON.stringify({ extensions: { persistedQuery: { version: 1, sha256Hash: id } } }),
    }).then(async (res) => ({ status: res.status, ...((await res.json()) as { data?: any; errors?: Array<{ message: string; extensions?: any }> }) }));

  beforeAll(async () => {
    const prefix = testPrefix('trusted_docs');
    const uri = process.env.TEST_MONGODB_URI!;
    productsSub = await startProducts();
    reviewsSub = await startReviews();
    // Seed the shared registry database before the gateways start (what `npm run schema -- seed` does).
    db = await connectDatabase({ uri, dbName: registryDatabaseName(prefix), timeoutMs: 5000 });
    const seeded = await new RegistryService({ store: await RegistryStore.open(db) }).seed({
      author: 'test',
      subgraphs: [
        { name: 'products', sdl: productsV2, routingUrl: productsSub.url },
        { name: 'reviews', sdl: reviewsV1, routingUrl: reviewsSub.url },
      ],
    });
    expect(seeded.outcome).toBe('PUBLISHED');
    const options = (instance: string, trusted: boolean) => {
      const base = gatewayOptions({});
      return gatewayOptions({
        supergraph: { kind: 'sdl', sdl: seeded.launch!.supergraphSdl },
        registry: { mongodbUri: uri, dbPrefix: prefix, jwtSecret: testConfig.jwtSecret, pollIntervalMs: 500, operationWindowDays: 7, usageFlushIntervalMs: 1000, instance },
        // B runs in trusted mode: only listed operations run, and registered ones count as listed.
        security: { ...base.security, rateLimitMax: 0, trustedOperations: trusted },
      });
    };
    gatewayA = await createGatewayServer(options('gateway-a', false));
    await gatewayA.listen(0);
    gatewayB = await createGatewayServer(options('gateway-b', true));
    urlB = `${await gatewayB.listen(0)}/graphql`;
    // The admin API of replica A, with HS256 admin tokens (this test's gateways run CITY_AUTH=off).
    const door = adminDoor(gatewayA.registry!.admin, testConfig.jwtSecret);
    adminServer = createServer((req, res) => (pathOf(req) === '/admin/graphql' ? void door(req, res) : sendJson(res, 404, {})));
    adminUrl = `${await listen(adminServer, 0)}/admin/graphql`;
  });

  afterAll(async () => {
    if (adminServer) await new Promise<void>((r) => adminServer.close(() => r()));
    await gatewayA?.stop();
    await gatewayB?.stop();
    for (const s of [productsSub, reviewsSub]) await s?.stop().catch(() => {});
    await db?.conn.dropDatabase().catch(() => {});
    await db?.close();
  });

  it('an unregistered id is not found, and trusted replica B refuses an arbitrary query', async () => {
    const miss = await byId(urlB, TOP_PRICES.id);
    expect(miss.errors?.[0].extensions?.code).toBe('PERSISTED_QUERY_NOT_FOUND');
    const arbitrary = await post(urlB, TOP_PRICES.body);
    expect(arbitrary.errors?.[0].extensions?.code).toBe('OPERATION_NOT_TRUSTED');
  });

  it('publishes a manifest on A; replica B serves its operations by id within seconds, without restart', async () => {
    const res = await admin(adminUrl, PUBLISH_OPERATIONS, { client: 'web', version: '1.0.0', manifest: manifest(TOP_PRICES, REVIEWS) });
    expect(res.errors).toBeUndefined();
    expect(res.data.publishOperations).toMatchObject({ ok: true, outcome: 'PUBLISHED', manifest: { id: 'web@1.0.0', client: 'web', version: '1.0.0' }, broken: [] });
    expect(res.data.publishOperations.summary).toMatch(/^Registered 2 operation\(s\) of web@1\.0\.0/);

    const { value, ms } = await waitFor('replica B to serve TopPrices by id', async () => {
      const r = await byId(urlB, TOP_PRICES.id);
      return r.data?.topProducts ? r : undefined;
    });
    expect(ms).toBeLessThan(5000);
    expect(value.errors).toBeUndefined();
    expect(value.data.topProducts).toEqual([
      { upc: '1', name: 'Table', price: 899 },
      { upc: '2', name: 'Couch', price: 1299 },
    ]);
    const reviews = await byId(urlB, REVIEWS.id);
    expect(reviews.data.topProducts).toEqual([{ name: 'Table', reviews: [{ stars: 5 }] }]);
    // The full text of a registered operation is trusted too (its sha256 is registered).
    expect((await post(urlB, TOP_PRICES.body)).errors).toBeUndefined();
    expect(gatewayB.registry!.operations.manifestIds).toEqual(['web@1.0.0']);

    // Publishing the same version again is a no-op; other operations under it are a conflict.
    const again = await admin(adminUrl, PUBLISH_OPERATIONS, { client: 'web', version: '1.0.0', manifest: manifest(TOP_PRICES, REVIEWS) });
    expect(again.data.publishOperations.outcome).toBe('NO_CHANGE');
    const changed = await admin(adminUrl, PUBLISH_OPERATIONS, { client: 'web', version: '1.0.0', manifest: manifest(TOP_PRICES) });
    expect(changed.errors?.[0].extensions?.code).toBe('CONFLICT');
  });

  it('refuses a manifest with broken operations, naming each and why; nothing is registered', async () => {
    const colour = operation('Colours', 'query Colours { topProducts { upc colour } }');
    const misnamed = operation('Prices', 'query TopPrices { topProducts { price } }');
    const res = await admin(adminUrl, PUBLISH_OPERATIONS, { client: 'ios', version: '2.1', manifest: manifest(REVIEWS, colour, misnamed) });
    const r = res.data.publishOperations;
    expect(r).toMatchObject({ ok: false, outcome: 'BROKEN_OPERATIONS', manifest: null });
    expect(r.summary).toMatch(/^Refused: 2 of 3 operation\(s\) of ios@2\.1 do not run on the current graph \(L1\): Colours, Prices; nothing was registered/);
    expect(r.broken).toEqual([
      { id: colour.id, name: 'Colours', reasons: ['Cannot query field "colour" on type "Product".'] },
      { id: misnamed.id, name: 'Prices', reasons: ['the manifest names it "Prices", the body "TopPrices"'] },
    ]);
    const bad = await admin(adminUrl, PUBLISH_OPERATIONS, { client: 'ios', version: '2.1', manifest: '{"format":"apollo-persisted-query-manifest","version":2,"operations":[]}' });
    expect(bad.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'manifest.version' });
    const listed = await admin(adminUrl, '{ appManifests { id } }');
    expect(listed.data.appManifests).toEqual([{ id: 'web@1.0.0' }]);
    expect((await byId(urlB, colour.id)).errors?.[0].extensions?.code).toBe('PERSISTED_QUERY_NOT_FOUND');
  });

  it('refuses a schema change that breaks a registered operation, naming the client and version', async () => {
    // The replicas write what they served every second (usageFlushIntervalMs): wait for it.
    for (let i = 0; i < 100; i++) {
      const seen = await admin(adminUrl, '{ operations { name clientName } }');
      if (seen.data?.operations?.some((o: { name: string; clientName: string }) => o.name === 'TopPrices' && o.clientName === 'web')) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    const res = await admin(adminUrl, `mutation($sdl: String) { publishSchema(subgraph: "products", sdl: $sdl) { ${RESULT_FIELDS} } }`, { sdl: productsV3 });
    const r = res.data.publishSchema;
    expect(r).toMatchObject({ ok: false, outcome: 'BREAKING_CHANGES', launch: null });
    // The replicas also recorded the requests they served by id (client web): both are named.
    expect(r.summary).toMatch(/It breaks .*TopPrices of web@1\.0\.0 \(registered\)\. Publish anyway with --force/);
    expect(r.summary).toMatch(/TopPrices of web \(recorded, \d+ request\(s\) in 7 days\)/);
    const removed = r.breakingChanges.find((c: any) => c.coordinate === 'Product.price');
    expect(removed.operations).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ name: 'TopPrices', clientName: 'web', clientVersion: '1.0.0', source: 'REGISTERED', reasons: ['Cannot query field "price" on type "Product".'] }),
      ]),
    );
    expect((await admin(adminUrl, '{ currentLaunch { id } }')).data.currentLaunch.id).toBe('L1');
    expect((await byId(urlB, TOP_PRICES.id)).data.topProducts).toHaveLength(2);
  });

  it('retiring an app version stops serving it by id on every replica', async () => {
    const retired = await admin(adminUrl, 'mutation { retireOperations(client: "web", version: "1.0.0") { id } }');
    expect(retired.data.retireOperations).toEqual({ id: 'web@1.0.0' });
    await waitFor('replica B to drop web@1.0.0', async () => (await byId(urlB, TOP_PRICES.id)).errors?.[0].extensions?.code === 'PERSISTED_QUERY_NOT_FOUND');
    // With no registered operation left, the price removal breaks nothing registered.
    const check = await admin(adminUrl, `query($sdl: String) { checkSchema(subgraph: "products", sdl: $sdl) { ${RESULT_FIELDS} } }`, { sdl: productsV3 });
    expect(check.data.checkSchema.affectedOperations.filter((o: any) => o.source === 'REGISTERED')).toEqual([]);
  });
});
