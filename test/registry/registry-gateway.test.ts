import { testDatabase } from '../support/db';
import type { Database } from '../../shared/platform/db';
import {
  admin,
  adminToken,
  post,
  productsV1,
  productsV2,
  productsV2NoWeight,
  productsV3,
  RESULT_FIELDS,
  reviewsBadKey,
  reviewsV1,
  inventorySdl,
  startInventory,
  startProducts,
  startRegistryGateway,
  startReviews,
  waitFor,
  type RegistryGateway,
  type TinySubgraph,
} from './support';

/**
 * The registry end to end, through a gateway wired like gateway/server.ts should be: publish,
 * checks against recorded operations, force, rollback, refusals that change nothing, health
 * checks, all over real HTTP on the run's FerretDB.
 */

const PUBLISH = `mutation Publish($subgraph: String!, $sdl: String, $routingUrl: String, $force: Boolean, $message: String, $newSubgraph: Boolean) {
  publishSchema(subgraph: $subgraph, sdl: $sdl, routingUrl: $routingUrl, force: $force, message: $message, newSubgraph: $newSubgraph) { ${RESULT_FIELDS} }
}`;
const CHECK = `query Check($subgraph: String!, $sdl: String) { checkSchema(subgraph: $subgraph, sdl: $sdl) { ${RESULT_FIELDS} } }`;
const STATE = `{ currentLaunch { id } launches { id } subgraphVersions { id } }`;
const LOAD_QUERY = 'query TopProducts { topProducts(first: 3) { upc name price reviews { stars } } }';

describe('schema registry through a live gateway', () => {
  let db: Database;
  let productsSub: TinySubgraph;
  let reviewsSub: TinySubgraph;
  let inventorySub: TinySubgraph | undefined;
  let gw: RegistryGateway;

  const state = async () => (await admin(gw.adminUrl, STATE)).data;
  const query = (q: string, client = 'registry-test') => post(gw.url, q, {}, { 'apollographql-client-name': client });

  beforeAll(async () => {
    db = await testDatabase('registry');
    productsSub = await startProducts();
    reviewsSub = await startReviews();
    gw = await startRegistryGateway(db, {
      pollIntervalMs: 1000,
      seed: [
        { name: 'products', sdl: productsV1, routingUrl: productsSub.url },
        { name: 'reviews', sdl: reviewsV1, routingUrl: reviewsSub.url },
      ],
    });
  });

  afterAll(async () => {
    await gw?.stop();
    for (const s of [productsSub, reviewsSub, inventorySub]) await s?.stop().catch(() => {});
    await db?.conn.dropDatabase().catch(() => {});
    await db?.close();
  });

  it('serves the seeded launch', async () => {
    const res = await query(LOAD_QUERY);
    expect(res.errors).toBeUndefined();
    expect(res.data.topProducts[0]).toEqual({ upc: '1', name: 'Table', price: 899, reviews: [{ stars: 5 }] });
    const current = await admin(gw.adminUrl, '{ currentLaunch { id kind current versions { subgraph versionId } appliedBy { instance } } subgraphs { name version { id } } }');
    expect(current.data.currentLaunch).toMatchObject({ id: 'L1', kind: 'SEED', current: true });
    expect(current.data.currentLaunch.versions).toEqual([
      { subgraph: 'products', versionId: 'products@1' },
      { subgraph: 'reviews', versionId: 'reviews@1' },
    ]);
    expect(current.data.currentLaunch.appliedBy.length).toBe(1);
    expect(current.data.subgraphs.map((s: any) => s.name)).toEqual(['products', 'reviews']);
  });

  it('publishes an additive change under load: served within seconds, zero failed requests', async () => {
    let running = true;
    let ok = 0;
    const failures: string[] = [];
    const loops = Array.from({ length: 20 }, async () => {
      while (running) {
        try {
          const res = await query(LOAD_QUERY, 'load-test');
          if (res.status !== 200 || res.errors || res.data?.topProducts?.length !== 3) failures.push(JSON.stringify(res).slice(0, 300));
          else ok += 1;
        } catch (err) {
          failures.push(String(err));
        }
      }
    });
    await new Promise((r) => setTimeout(r, 500));
    const published = await admin(gw.adminUrl, PUBLISH, { subgraph: 'products', sdl: productsV2, message: 'add inStock' });
    expect(published.errors).toBeUndefined();
    expect(published.data.publishSchema).toMatchObject({ ok: true, outcome: 'PUBLISHED', launch: { id: 'L2', kind: 'PUBLISH', current: true } });
    expect(published.data.publishSchema.versions).toEqual([{ id: 'products@2', subgraph: 'products' }]);
    const { ms } = await waitFor('inStock to be served', async () => {
      const res = await query('{ topProducts(first: 1) { inStock } }');
      return !res.errors && res.data?.topProducts?.[0]?.inStock === true;
    });
    expect(ms).toBeLessThan(10000);
    await new Promise((r) => setTimeout(r, 500));
    running = false;
    await Promise.all(loops);
    expect(failures).toEqual([]);
    // (The test machine may be small and busy: what matters is that the load ran across the swap.)
    expect(ok).toBeGreaterThan(20);
    expect(gw.registry.supergraphManager.appliedLaunchId).toBe('L2');
  });

  it('records the operations it serves, per client, in batches', async () => {
    await gw.registry.usage.flush();
    const res = await admin(gw.adminUrl, '{ operations(sinceDays: 7) { name clientName count body signatureHash } }');
    const load = res.data.operations.find((o: any) => o.name === 'TopProducts' && o.clientName === 'load-test');
    expect(load.count).toBeGreaterThan(20);
    expect(load.body).toContain('topProducts(first: 0)');
    expect(res.data.operations.some((o: any) => o.clientName === 'registry-test')).toBe(true);
  });

  it('refuses a breaking change used by a recorded operation, naming the field and the operation; nothing changes', async () => {
    const before = await state();
    const checked = await admin(gw.adminUrl, CHECK, { subgraph: 'products', sdl: productsV3 });
    expect(checked.data.checkSchema).toMatchObject({ ok: false, outcome: 'BREAKING_CHANGES' });
    const refused = await admin(gw.adminUrl, PUBLISH, { subgraph: 'products', sdl: productsV3 });
    const r = refused.data.publishSchema;
    expect(r).toMatchObject({ ok: false, outcome: 'BREAKING_CHANGES', launch: null, versions: [] });
    const change = r.breakingChanges.find((c: any) => c.coordinate === 'Product.price');
    expect(change).toMatchObject({ level: 'BREAKING', type: 'FIELD_REMOVED', description: "Field 'price' was removed from object type 'Product'" });
    expect(change.operations).toEqual(expect.arrayContaining([expect.objectContaining({ name: 'TopProducts', clientName: 'load-test' })]));
    expect(r.summary).toMatch(/^Refused/);
    expect(await state()).toEqual(before);
    await new Promise((r) => setTimeout(r, 1200));
    expect((await query(LOAD_QUERY)).errors).toBeUndefined();
    expect(gw.registry.supergraphManager.appliedLaunchId).toBe('L2');
  });

  it('does not refuse removing a field no recorded operation uses (only the served SDL differs)', async () => {
    const checked = await admin(gw.adminUrl, CHECK, { subgraph: 'products', sdl: productsV2NoWeight });
    const r = checked.data.checkSchema;
    // The products service still serves weight, so the check says so; the removal itself is allowed.
    expect(r).toMatchObject({ ok: false, outcome: 'SERVED_SDL_MISMATCH', affectedOperations: [] });
    expect(r.breakingChanges).toEqual([expect.objectContaining({ coordinate: 'Product.weight', operations: [] })]);
  });

  it('publishes the breaking change with force, then rollback restores the previous launch', async () => {
    const forced = await admin(gw.adminUrl, PUBLISH, { subgraph: 'products', sdl: productsV3, force: true, message: 'drop price' });
    expect(forced.data.publishSchema).toMatchObject({ ok: true, outcome: 'PUBLISHED', forced: true, launch: { id: 'L3', forced: true } });
    await waitFor('price to disappear', async () => {
      const res = await query('{ topProducts(first: 1) { price } }');
      return res.errors?.[0]?.extensions?.code === 'GRAPHQL_VALIDATION_FAILED';
    });
    expect((await query('{ topProducts(first: 1) { inStock } }')).errors).toBeUndefined();

    const rolled = await admin(gw.adminUrl, 'mutation { rollback(launchId: "L2") { ' + RESULT_FIELDS + ' } }');
    expect(rolled.data.rollback).toMatchObject({ ok: true, outcome: 'PUBLISHED', launch: { id: 'L4', kind: 'ROLLBACK', rolledBackTo: 'L2', current: true } });
    expect(rolled.data.rollback.launch.versions).toEqual([
      { subgraph: 'products', versionId: 'products@2' },
      { subgraph: 'reviews', versionId: 'reviews@1' },
    ]);
    await waitFor('price to come back', async () => {
      const res = await query(LOAD_QUERY);
      return !res.errors && res.data.topProducts[0].price === 899;
    });
    // The launch history keeps every launch, newest first.
    const launches = await admin(gw.adminUrl, '{ launches { id kind current } }');
    expect(launches.data.launches.map((l: any) => `${l.id}:${l.kind}:${l.current}`)).toEqual([
      'L4:ROLLBACK:true',
      'L3:PUBLISH:false',
      'L2:PUBLISH:false',
      'L1:SEED:false',
    ]);
    // A subgraph can also go back to one of its versions; products@1 has no inStock, which a
    // recorded operation reads, so it needs force like a publish would.
    await gw.registry.usage.flush();
    const refused = await admin(gw.adminUrl, 'mutation { rollbackSubgraph(subgraph: "products", versionId: "products@1") { ok outcome summary launch { id } } }');
    expect(refused.data.rollbackSubgraph).toMatchObject({ ok: false, outcome: 'BREAKING_CHANGES', launch: null });
    expect(refused.data.rollbackSubgraph.summary).toMatch(/--force/);
    const one = await admin(gw.adminUrl, 'mutation { rollbackSubgraph(subgraph: "products", versionId: "products@1", force: true) { ok outcome launch { id versions { subgraph versionId } } } }');
    expect(one.data.rollbackSubgraph).toMatchObject({ ok: true, outcome: 'PUBLISHED', launch: { id: 'L5' } });
    expect(one.data.rollbackSubgraph.launch.versions[0]).toEqual({ subgraph: 'products', versionId: 'products@1' });
    await waitFor('inStock to disappear', async () => (await query('{ topProducts { inStock } }')).errors?.[0]?.extensions?.code === 'GRAPHQL_VALIDATION_FAILED');
  });

  it('refuses composition errors with readable errors; registry and live supergraph unchanged', async () => {
    const before = await state();
    const updates = gw.schemaUpdates();
    const res = await admin(gw.adminUrl, PUBLISH, { subgraph: 'reviews', sdl: reviewsBadKey });
    const r = res.data.publishSchema;
    expect(r).toMatchObject({ ok: false, outcome: 'COMPOSITION_ERRORS', launch: null });
    expect(r.compositionErrors.join('\n')).toMatch(/\[FIELD_TYPE_MISMATCH\].*Product\.upc/);
    expect(await state()).toEqual(before);
    await new Promise((r) => setTimeout(r, 1200));
    expect(gw.schemaUpdates()).toBe(updates);
    expect((await query(LOAD_QUERY)).errors).toBeUndefined();
  });

  it('answers bad input with clear errors and changes nothing', async () => {
    const before = await state();
    const malformed = await admin(gw.adminUrl, PUBLISH, { subgraph: 'products', sdl: 'type Product { upc: String! ' });
    expect(malformed.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'sdl' });
    expect(malformed.errors?.[0].message).toMatch(/not valid GraphQL SDL: Syntax Error/);

    const unknown = await admin(gw.adminUrl, PUBLISH, { subgraph: 'warehouse', sdl: inventorySdl() });
    expect(unknown.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'subgraph' });
    expect(unknown.errors?.[0].message).toMatch(/unknown subgraph "warehouse": the graph has products, reviews/);

    const closed = await startInventory();
    await closed.stop();
    const unreachable = await admin(gw.adminUrl, PUBLISH, { subgraph: 'products', sdl: productsV2, routingUrl: closed.url });
    expect(unreachable.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'routingUrl' });
    expect(unreachable.errors?.[0].message).toMatch(/unreachable \(ECONNREFUSED\)/);

    const anonymous = await admin(gw.adminUrl, PUBLISH, { subgraph: 'products', sdl: productsV2 }, null);
    expect(anonymous.status).toBe(401);
    expect(anonymous.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
    const forged = await admin(gw.adminUrl, PUBLISH, { subgraph: 'products', sdl: productsV2 }, 'not-a-token');
    expect(forged.status).toBe(401);
    const resident = await admin(gw.adminUrl, PUBLISH, { subgraph: 'products', sdl: productsV2 }, adminToken({ role: 'resident', subject: 'R-1', residentId: 'R-1' }));
    expect(resident.status).toBe(403);
    expect(resident.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    const staffRead = await admin(gw.adminUrl, '{ launches { id } }', {}, adminToken({ role: 'staff', subject: 's', departmentId: 'LH-URBAN' }));
    expect(staffRead.status).toBe(403);

    expect(await state()).toEqual(before);
  });

  it('does not apply a launch whose subgraph is down, records why, and applies it once the subgraph is back', async () => {
    inventorySub = await startInventory();
    // The inventory service is deployed ahead of its schema (it already serves restockDays): force.
    const added = await admin(gw.adminUrl, PUBLISH, { subgraph: 'inventory', sdl: inventorySdl(), routingUrl: inventorySub.url, newSubgraph: true, force: true });
    expect(added.data.publishSchema).toMatchObject({ ok: true, outcome: 'PUBLISHED', launch: { id: 'L6' } });
    await waitFor('stock to be served', async () => (await query('{ topProducts(first: 1) { stock } }')).data?.topProducts?.[0]?.stock === 7);

    const port = Number(new URL(inventorySub.url).port);
    await inventorySub.stop();
    // Published while the service is down: its SDL cannot be compared, so force.
    const changed = await admin(gw.adminUrl, PUBLISH, { subgraph: 'inventory', sdl: inventorySdl(' restockDays: Int'), force: true });
    expect(changed.data.publishSchema).toMatchObject({ ok: true, outcome: 'PUBLISHED', launch: { id: 'L7' } });
    const { value: rejectedBy } = await waitFor('the launch to be rejected', async () => {
      const l = await admin(gw.adminUrl, '{ launch(id: "L7") { rejectedBy { instance reason } appliedBy { instance } } }');
      return l.data.launch.rejectedBy.length ? l.data.launch : undefined;
    });
    expect(rejectedBy.rejectedBy[0].reason).toMatch(/health check failed: inventory .*ECONNREFUSED/);
    expect(rejectedBy.appliedBy).toEqual([]);
    expect(gw.registry.supergraphManager.appliedLaunchId).toBe('L6');
    expect(gw.registry.supergraphManager.rejections.get('L7')).toMatch(/inventory/);
    // The gateway keeps serving the previous launch.
    const still = await query('{ topProducts(first: 1) { name } }');
    expect(still.errors).toBeUndefined();

    inventorySub = await startInventory(port);
    await waitFor('the launch to apply once healthy', async () => gw.registry.supergraphManager.appliedLaunchId === 'L7', 8000);
    expect((await query('{ topProducts(first: 1) { stock restockDays } }')).data.topProducts[0]).toEqual({ stock: 7, restockDays: 2 });
  });

  it('lists history per subgraph', async () => {
    const res = await admin(gw.adminUrl, '{ subgraphVersions(name: "products") { id author message } }');
    expect(res.data.subgraphVersions.map((v: any) => v.id)).toEqual(['products@3', 'products@2', 'products@1']);
    expect(res.data.subgraphVersions[0]).toMatchObject({ author: 'ops-admin', message: 'drop price' });
    const none = await admin(gw.adminUrl, '{ subgraphVersions(name: "nope") { id } }');
    expect(none.errors?.[0].extensions?.code).toBe('NOT_FOUND');
  });

  it('publishes by introspecting the running subgraph; an unreachable one is refused', async () => {
    const down = await startInventory();
    await down.stop();
    const refused = await admin(gw.adminUrl, 'mutation($url: String) { publishSchema(subgraph: "products", introspectUrl: $url) { ok } }', { url: down.url });
    expect(refused.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'introspectUrl' });
    expect(refused.errors?.[0].message).toMatch(/could not introspect/);

    const res = await admin(gw.adminUrl, `mutation($url: String) { publishSchema(subgraph: "products", introspectUrl: $url, message: "from the running service") { ${RESULT_FIELDS} } }`, { url: productsSub.url });
    expect(res.data.publishSchema).toMatchObject({ ok: true, outcome: 'PUBLISHED', versions: [{ id: 'products@4', subgraph: 'products' }] });
    await waitFor('inStock to be served again', async () => (await query('{ topProducts(first: 1) { inStock price } }')).data?.topProducts?.[0]?.inStock === true);
  });
});
