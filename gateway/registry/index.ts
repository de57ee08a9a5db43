import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import { connectDatabase, databaseName, type Database } from '../../shared/platform/db';
import type { PubSub } from '../../shared/platform/pubsub';
import { RegistrySupergraphManager } from '../supergraph/registry-manager';
import { createAdminApi, type AdminApi } from './admin-api';
import { RegisteredOperations } from './app-operations';
import { RegistryService } from './service';
import { RegistryStore } from './store';
import { UsageRecorder } from './usage-plugin';

export { RegistryService, LAUNCH_TOPIC } from './service';
export { RegisteredOperations, MANIFEST_TOPIC } from './app-operations';
export { RegistryStore } from './store';
export { adminRefusal, createAdminApi } from './admin-api';
export { UsageRecorder, createUsagePlugin } from './usage-plugin';
export { RegistrySupergraphManager } from '../supergraph/registry-manager';
export { FileSupergraphManager } from '../supergraph/file-manager';

/** The registry's database under a prefix: `citygraph_registry`. */
export const registryDatabaseName = (prefix: string): string => databaseName(prefix, 'registry');

export interface SchemaRegistryOptions {
  /** The registry's own database: an open one, or a URI and prefix to open `<prefix>_registry` on. */
  database: Database | { uri: string; dbPrefix: string; timeoutMs?: number };
  /** HS256 secret of bearer tokens; the admin API accepts admin tokens only. */
  jwtSecret: string;
  production: boolean;
  /** Launch announcements across gateway instances (Redis with several replicas). */
  pubsub?: PubSub;
  /** How often each gateway reads the current launch and the app manifests (`REGISTRY_POLL_MS`, default 2000; 0: only pub/sub). */
  pollIntervalMs?: number;
  /** Operations seen in this many days are checked (`REGISTRY_OPERATION_WINDOW_DAYS`, default 7). */
  operationWindowDays?: number;
  /** How often recorded usage is written (`REGISTRY_USAGE_FLUSH_MS`, default 5000). */
  usageFlushIntervalMs?: number;
  /** When the registry is empty at start, seed it from this rover supergraph.yaml (`REGISTRY_SEED`). */
  seedConfigPath?: string;
  /** Served while the registry is empty and nothing seeded it. */
  fallbackSdl?: () => string | Promise<string>;
  /** Routing overrides, so reachability and health probes use the URLs the gateway uses. */
  resolveUrl?: (name: string, url: string) => string;
  /** This instance's name on launches (`REGISTRY_INSTANCE`, default `<hostname>:<pid>`). */
  instance?: string;
  healthCheckTimeoutMs?: number;
}

/** Everything the gateway needs for the registry, built from one set of options. */
export interface SchemaRegistry {
  store: RegistryStore;
  service: RegistryService;
  /** `new ApolloGateway({ supergraphSdl: registry.supergraphManager, buildService })` */
  supergraphManager: RegistrySupergraphManager;
  /** The operations apps registered, kept fresh in memory: give to the request pipeline (`registered`). */
  operations: RegisteredOperations;
  usage: UsageRecorder;
  /** Add to the gateway's Apollo Server `plugins`. */
  usagePlugin<TContext extends BaseContext>(): ApolloServerPlugin<TContext>;
  /** The admin API's schema and executor; the gateway serves it at `/admin/graphql` through its pipeline. */
  admin: AdminApi;
  /** Call after the gateway's Apollo Server stopped (it flushes usage and stops the manager). */
  close(): Promise<void>;
}

export async function openSchemaRegistry(options: SchemaRegistryOptions): Promise<SchemaRegistry> {
  const owned = !('conn' in options.database);
  const database =
    'conn' in options.database
      ? options.database
      : await connectDatabase({
          uri: options.database.uri,
          dbName: registryDatabaseName(options.database.dbPrefix),
          timeoutMs: options.database.timeoutMs,
        });
  const store = await RegistryStore.open(database, { closeDatabase: owned });
  const service = new RegistryService({
    store,
    pubsub: options.pubsub,
    resolveUrl: options.resolveUrl,
    operationWindowDays: options.operationWindowDays,
  });
  const seedConfigPath = options.seedConfigPath;
  const supergraphManager = new RegistrySupergraphManager({
    store,
    pubsub: options.pubsub,
    pollIntervalMs: options.pollIntervalMs,
    instance: options.instance,
    resolveUrl: options.resolveUrl,
    healthCheckTimeoutMs: options.healthCheckTimeoutMs,
    fallbackSdl: options.fallbackSdl,
    seedIfEmpty: seedConfigPath
      ? async () => {
          const result = await service.seedFromSupergraphConfig(seedConfigPath, 'gateway-start');
          if (!result.ok) throw new Error(`Seeding the registry from ${seedConfigPath} failed: ${[result.summary, ...result.compositionErrors].join('\n  ')}`);
        }
      : undefined,
  });
  const operations = new RegisteredOperations({ store, pubsub: options.pubsub, pollIntervalMs: options.pollIntervalMs });
  await operations.start();
  const usage = new UsageRecorder(store, { flushIntervalMs: options.usageFlushIntervalMs });
  const admin = await createAdminApi({ service, production: options.production });
  return {
    store,
    service,
    supergraphManager,
    operations,
    usage,
    usagePlugin: <TContext extends BaseContext>() => usage.plugin<TContext>(),
    admin,
    async close() {
      await supergraphManager.stop();
      await operations.stop();
      await usage.stop();
      await admin.stop();
      await store.close();
    },
  };
}
