import { mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { ApolloGateway } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { listen, serveGraphQL } from '../../shared/platform/http';
import { createSubgraphFetcher, SubgraphDataSource } from '../../gateway/datasources/subgraph-datasource';
import { FileSupergraphManager } from '../../gateway/supergraph/file-manager';
import { composeSubgraphs } from '../../gateway/supergraph/compose';
import { post, productsV1, productsV2, reviewsV1, startInventory, startProducts, startReviews, waitFor, type TinySubgraph } from './support';

/** No registry: the gateway watches its supergraph file and reloads it the same safe way. */
describe('FileSupergraphManager', () => {
  let dir: string;
  let file: string;
  let productsSub: TinySubgraph;
  let reviewsSub: TinySubgraph;
  let manager: FileSupergraphManager;
  let apollo: ApolloServer;
  let server: Server;
  let url: string;
  let closeFetcher: () => Promise<void>;
  const rejections: string[] = [];

  const compose = (productsSdl: string, reviewsUrl = reviewsSub.url) => {
    const out = composeSubgraphs([
      { name: 'products', url: productsSub.url, sdl: productsSdl },
      { name: 'reviews', url: reviewsUrl, sdl: reviewsV1 },
    ]);
    expect(out.errors).toEqual([]);
    return out.supergraphSdl!;
  };

  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'citygraph-supergraph-'));
    file = path.join(dir, 'supergraph.graphql');
    productsSub = await startProducts();
    reviewsSub = await startReviews();
    writeFileSync(file, compose(productsV1));
    manager = new FileSupergraphManager({ path: file, debounceMs: 100, onRejected: (r) => rejections.push(r) });
    const f = createSubgraphFetcher(5000);
    closeFetcher = f.close;
    const gateway = new ApolloGateway({
      supergraphSdl: manager,
      buildService: ({ name, url: u }) => new SubgraphDataSource({ name, url: u!, fetcher: f.fetcher, breaker: { failureThreshold: 1000, cooldownMs: 100 }, retries: 1 }),
    });
    apollo = new ApolloServer({ gateway });
    await apollo.start();
    server = createServer((req, res) => void serveGraphQL(apollo, req, res, async () => ({})));
    url = `${await listen(server, 0)}/graphql`;
  });

  afterAll(async () => {
    if (server) await new Promise<void>((r) => server.close(() => r()));
    await apollo?.stop();
    await closeFetcher?.();
    await productsSub?.stop();
    await reviewsSub?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('reloads when the file changes, with no failed request', async () => {
    expect((await post(url, '{ topProducts(first: 1) { inStock } }')).errors?.[0].extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    let running = true;
    const failures: string[] = [];
    const loops = Array.from({ length: 10 }, async () => {
      while (running) {
        const res = await post(url, '{ topProducts(first: 2) { name price reviews { stars } } }').catch((e) => ({ errors: [{ message: String(e) }] }) as any);
        if (res.errors) failures.push(JSON.stringify(res.errors));
      }
    });
    writeFileSync(file, compose(productsV2));
    await waitFor('inStock to be served', async () => (await post(url, '{ topProducts(first: 1) { inStock } }')).data?.topProducts?.[0]?.inStock === true);
    running = false;
    await Promise.all(loops);
    expect(failures).toEqual([]);
  });

  it('sees files replaced by rename (how tools write atomically)', async () => {
    const tmp = path.join(dir, 'supergraph.graphql.tmp');
    writeFileSync(tmp, compose(productsV1));
    renameSync(tmp, file);
    await waitFor('inStock to disappear', async () => (await post(url, '{ topProducts(first: 1) { inStock } }')).errors?.[0]?.extensions?.code === 'GRAPHQL_VALIDATION_FAILED');
  });

  it('does not apply a supergraph whose subgraph is down, nor one that does not parse', async () => {
    const down = await startInventory();
    await down.stop();
    writeFileSync(file, compose(productsV2, down.url));
    await waitFor('the change to be rejected', async () => rejections.length >= 1);
    expect(rejections[0]).toMatch(/health check failed: reviews .*ECONNREFUSED/);
    expect(manager.rejection).toBe(rejections[0]);
    // Still the previous supergraph: no inStock, reviews still served from the live URL.
    const res = await post(url, '{ topProducts(first: 1) { name reviews { stars } } }');
    expect(res.errors).toBeUndefined();
    expect(res.data.topProducts[0].reviews).toEqual([{ stars: 5 }]);
    expect((await post(url, '{ topProducts(first: 1) { inStock } }')).errors?.[0].extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');

    writeFileSync(file, 'schema { query: Query ');
    await waitFor('the broken file to be rejected', async () => rejections.length >= 2);
    expect(rejections[1]).toMatch(/not valid GraphQL/);
    expect((await post(url, '{ topProducts(first: 1) { name } }')).errors).toBeUndefined();

    // A good file again applies.
    writeFileSync(file, compose(productsV2));
    await waitFor('inStock to be served', async () => (await post(url, '{ topProducts(first: 1) { inStock } }')).data?.topProducts?.[0]?.inStock === true);
    expect(manager.rejection).toBeUndefined();
  });
});
