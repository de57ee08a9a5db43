import path from 'node:path';
import { connectDatabase } from '../../shared/platform/db';
import { ROOT_DIR } from '../../shared/platform/schema';
import { registryDatabaseName } from '../../gateway/registry';
import type { GatewayServer } from '../../gateway/server';
import { launchChromium, type Browser } from './browser';
import { testPrefix } from './db';
import { startGraph, type RunningGraph } from './graph';
import { testConfig } from './subgraph';

/** The whole graph behind a registry-enabled gateway (the admin site), and a browser for its pages. */
export interface AdminSite {
  graph: RunningGraph;
  gateway: GatewayServer;
  /** The gateway's origin (`http://127.0.0.1:<port>`). */
  base: string;
  browser: Browser;
  /** Stops the browser, the gateway and the graph, and drops the registry's database. */
  stop(): Promise<void>;
}

/**
 * Starts the admin site for a browser test: the graph (`graphOptions`), a gateway whose registry
 * lives in its own database (named from `name`) seeded from `supergraph.yaml`, and Chromium.
 */
export async function startAdminSite(name: string, graphOptions: Parameters<typeof startGraph>[0] = {}): Promise<AdminSite> {
  const prefix = testPrefix(name);
  const graph = await startGraph(graphOptions);
  const started = await graph.startGateway({
    registry: {
      mongodbUri: process.env.TEST_MONGODB_URI!,
      dbPrefix: prefix,
      jwtSecret: testConfig.jwtSecret,
      pollIntervalMs: 500,
      operationWindowDays: 7,
      usageFlushIntervalMs: 60_000,
      seedConfigPath: path.join(ROOT_DIR, 'supergraph.yaml'),
    },
  });
  const browser = await launchChromium();
  return {
    graph,
    gateway: started.server,
    base: started.url.replace(/\/graphql$/, ''),
    browser,
    async stop() {
      await browser.close();
      await started.server.stop();
      await graph.stop();
      const db = await connectDatabase({ uri: process.env.TEST_MONGODB_URI!, dbName: registryDatabaseName(prefix), timeoutMs: 5000 });
      await db.conn.dropDatabase().catch(() => {});
      await db.close();
    },
  };
}
