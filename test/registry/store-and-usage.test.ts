import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ApolloGateway } from '@apollo/gateway';
import { parse } from 'graphql';
import { ROOT_DIR } from '../../shared/platform/schema';
import { RegistrySupergraphManager } from '../../gateway/supergraph/registry-manager';
import { testDatabase } from '../support/db';
import type { Database } from '../../shared/platform/db';
import { RegistryService } from '../../gateway/registry/service';
import { RegistryStore, type OperationUsage } from '../../gateway/registry/store';
import { operationSignature } from '../../gateway/registry/signature';
import { UsageRecorder } from '../../gateway/registry/usage-plugin';
import { productsV1, reviewsV1 } from './support';

/** The registry's storage rules: the current-launch pointer under concurrency, usage batching. */

const link = 'extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])';
const productsWith = (field: string) => `${link}
  type Product @key(fields: "upc") { upc: String! name: String! price: Int! weight: Int ${field} }
  type Query { topProducts(first: Int = 5): [Product!]! }
`;
const reviewsWith = (field: string) => `${link}
  type Product @key(fields: "upc") { upc: String! reviews: [Review!]! }
  type Review { body: String! stars: Int! ${field} }
`;

describe('registry store and usage recording', () => {
  let db: Database;
  let store: RegistryStore;
  let service: RegistryService;

  beforeAll(async () => {
    db = await testDatabase('registry_store');
    store = await RegistryStore.open(db);
    // No subgraph runs here: the routing URLs are placeholders, so served SDLs are not compared.
    service = new RegistryService({ store, verifyServedSdl: false });
    const seeded = await service.seed({
      author: 'test',
      subgraphs: [
        { name: 'products', sdl: productsV1, routingUrl: 'http://127.0.0.1:1/products' },
        { name: 'reviews', sdl: reviewsV1, routingUrl: 'http://127.0.0.1:1/reviews' },
      ],
    });
    expect(seeded.outcome).toBe('PUBLISHED');
  });

  afterAll(async () => {
    await db?.conn.dropDatabase().catch(() => {});
    await db?.close();
  });

  it('seeding again with the same schemas changes nothing', async () => {
    const again = await service.seed({
      author: 'test',
      subgraphs: [
        { name: 'products', sdl: productsV1, routingUrl: 'http://127.0.0.1:1/products' },
        { name: 'reviews', sdl: reviewsV1, routingUrl: 'http://127.0.0.1:1/reviews' },
      ],
    });
    expect(again).toMatchObject({ ok: true, outcome: 'NO_CHANGE', launch: { _id: 'L1' } });
    expect(await store.versions.countDocuments()).toBe(2);
  });

  it('two concurrent publishes of different subgraphs both land, neither is lost', async () => {
    const [a, b] = await Promise.all([
      service.publish({ subgraph: 'products', sdl: productsWith('colour: String'), author: 'alice' }),
      service.publish({ subgraph: 'reviews', sdl: reviewsWith('title: String'), author: 'bob' }),
    ]);
    expect([a.outcome, b.outcome]).toEqual(['PUBLISHED', 'PUBLISHED']);
    const current = (await store.currentLaunch())!;
    expect(current._id).toBe([a.launch!, b.launch!].sort((x, y) => y.seq - x.seq)[0]._id);
    // The later launch was recomposed on top of the earlier one: it has both changes.
    expect(current.supergraphSdl).toMatch(/colour: String/);
    expect(current.supergraphSdl).toMatch(/title: String/);
  });

  it('many concurrent publishes keep one linear history and a valid pointer', async () => {
    const results = await Promise.allSettled(
      Array.from({ length: 6 }, (_, i) => service.publish({ subgraph: 'products', sdl: productsWith(`f${i}: Int`), author: `admin${i}` })),
    );
    for (const r of results) {
      if (r.status === 'rejected') expect((r.reason as { extensions?: { code?: string } }).extensions?.code).toBe('CONFLICT');
    }
    const won = results.filter((r) => r.status === 'fulfilled').map((r) => (r as PromiseFulfilledResult<any>).value);
    expect(won.length).toBeGreaterThanOrEqual(1);
    for (const w of won) expect(w.outcome).toBe('PUBLISHED');
    const launched = await store.listLaunches(100);
    // One chain: following previousLaunchId from the current launch visits every launch once. Had
    // two publishes moved the pointer from the same launch, one of them would be off the chain.
    const byId = new Map(launched.map((l) => [l._id, l]));
    const chain: string[] = [];
    for (let id: string | null = (await store.currentLaunchId())!; id; id = byId.get(id)?.previousLaunchId ?? null) chain.push(id);
    expect(chain.length).toBe(launched.length);
    expect(chain[chain.length - 1]).toBe('L1');
    // Newest first is the order the pointer moved in.
    expect(launched.map((l) => l._id)).toEqual(chain);
    expect(won.length + results.filter((r) => r.status === 'rejected').length).toBe(6);
    // Losers left nothing behind: no pending launch, no orphan version.
    expect(await store.launches.countDocuments({ status: { $ne: 'launched' } })).toBe(0);
    const referenced = new Set(launched.flatMap((l) => l.versions.map((v) => v.versionId)));
    const versions = await store.versions.find().toArray();
    expect(versions.filter((v) => !referenced.has(v._id))).toEqual([]);
  });

  it('recovers when a publisher linked its launch but stopped before moving the pointer', async () => {
    const before = (await store.currentLaunch())!;
    const orphan = await store.insertLaunch({ versions: before.versions, supergraphSdl: before.supergraphSdl, kind: 'publish', author: 'crashed', message: 'stopped half-way', previousLaunchId: before._id, forced: false });
    expect(await store.compareAndSetCurrent(before._id, orphan)).toBe(true);
    // Simulate the crash: the pointer document never moved and the launch stayed pending.
    await db.conn.db!.collection('current_launch').updateOne({ _id: 'current' as never }, { $set: { launchId: before._id, seq: before.seq, position: 0 } });
    const next = await service.publish({ subgraph: 'reviews', sdl: reviewsWith('title: String helpful: Int'), author: 'carol' });
    expect(next).toMatchObject({ ok: true, outcome: 'PUBLISHED' });
    expect(next.launch!.previousLaunchId).toBe(orphan._id);
    expect((await store.launch(orphan._id))!.status).toBe('launched');
    expect(await store.currentLaunchId()).toBe(next.launch!._id);
  });

  it('records operation signatures with literals hidden, batched into one write per flush', async () => {
    const a = operationSignature(parse('query P { topProducts(first: 2) { name } }'), 'P')!;
    const b = operationSignature(parse('query P { topProducts(first: 3) { name } }'), 'P')!;
    const c = operationSignature(parse('query P { topProducts(first: 3) { name price } }'), 'P')!;
    expect(a.hash).toBe(b.hash);
    expect(a.hash).not.toBe(c.hash);
    expect(a.body).toBe('query P {\n  topProducts(first: 0) {\n    name\n  }\n}');

    const writes: OperationUsage[][] = [];
    const recorder = new UsageRecorder(
      { recordOperations: async (batch: OperationUsage[]) => void writes.push(batch) },
      { flushIntervalMs: 60_000 },
    );
    const doc = parse('query Names($n: Int) { topProducts(first: $n) { name } }');
    for (let i = 0; i < 1000; i++) recorder.record(doc, 'Names', i % 2 ? 'web' : 'ios');
    recorder.record(parse('{ __schema { types { name } } }'), undefined, 'tooling');
    expect(writes).toEqual([]);
    await recorder.stop();
    expect(writes.length).toBe(1);
    expect(writes[0].map((u) => `${u.clientName}:${u.count}`).sort()).toEqual(['ios:500', 'web:500']);

    // The real store: $inc upserts accumulate across flushes.
    await store.recordOperations(writes[0]);
    await store.recordOperations(writes[0]);
    const ops = await service.operations(1);
    expect(ops.filter((o) => o.operationName === 'Names').map((o) => `${o.clientName}:${o.count}`).sort()).toEqual(['ios:1000', 'web:1000']);
  });
});

describe('registry with the city graph (supergraph.yaml)', () => {
  let db: Database;
  let store: RegistryStore;
  let service: RegistryService;

  beforeAll(async () => {
    db = await testDatabase('registry_city');
    store = await RegistryStore.open(db);
    // No subgraph runs here: the routing URLs are placeholders, so served SDLs are not compared.
    service = new RegistryService({ store, verifyServedSdl: false });
  });

  afterAll(async () => {
    await db?.conn.dropDatabase().catch(() => {});
    await db?.close();
  });

  it('seeds from supergraph.yaml, and Apollo Gateway loads the launch (security links demoted)', async () => {
    const seeded = await service.seedFromSupergraphConfig(path.join(ROOT_DIR, 'supergraph.yaml'));
    expect(seeded.compositionErrors).toEqual([]);
    expect(seeded).toMatchObject({ ok: true, outcome: 'PUBLISHED', launch: { _id: 'L1', kind: 'seed' } });
    expect(seeded.launch!.versions.map((v) => v.subgraph)).toEqual(['hostels', 'parking', 'requests', 'volunteers']);
    expect((await service.seedFromSupergraphConfig(path.join(ROOT_DIR, 'supergraph.yaml'))).outcome).toBe('NO_CHANGE');

    const manager = new RegistrySupergraphManager({ store, pollIntervalMs: 0 });
    const gateway = new ApolloGateway({ supergraphSdl: manager });
    const { schema } = await gateway.load();
    expect(schema.getQueryType()?.getFields().me).toBeDefined();
    expect(manager.appliedLaunchId).toBe('L1');
    await gateway.stop();

    const parking = readFileSync(path.join(ROOT_DIR, 'schema', 'parking.graphql'), 'utf8');
    const check = await service.check({ subgraph: 'parking', sdl: `${parking}\nextend type Query { parkingRegistryProbe: Int }\n`, author: 'test' });
    expect(check).toMatchObject({ ok: true, outcome: 'PASSED', breakingChanges: [] });
  });
});
