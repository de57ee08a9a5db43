import { loadCityConfig } from '../../shared/platform/config';
import { signViewer, type Viewer } from '../../shared/platform/auth';
import type { Database } from '../../shared/platform/db';
import { InProcessPubSub, type PubSub } from '../../shared/platform/pubsub';
import type { SubgraphFactory } from '../../shared/subgraph/subgraph-deps';
import type { SubgraphServer } from '../../shared/subgraph/subgraph-server';
import { testDatabase } from './db';

export const testConfig = loadCityConfig({ NODE_ENV: 'test' });

export interface GraphQLResponse<T = any> {
  status: number;
  data?: T;
  errors?: Array<{ message: string; path?: Array<string | number>; extensions?: Record<string, any> }>;
}

/** Sends one GraphQL operation over real HTTP, as `viewer` (signed like the gateway signs it). */
export async function gql<T = any>(
  url: string,
  query: string,
  variables: Record<string, unknown> = {},
  viewer?: Viewer,
): Promise<GraphQLResponse<T>> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (viewer) headers['x-citygraph-viewer'] = signViewer(viewer, testConfig.internalSecret);
  const res = await fetch(`${url}/graphql`, { method: 'POST', headers, body: JSON.stringify({ query, variables }) });
  const body = (await res.json()) as GraphQLResponse<T>;
  return { status: res.status, data: body.data, errors: body.errors };
}

export interface RunningSubgraph {
  url: string;
  db: Database;
  server: SubgraphServer;
  pubsub: PubSub;
  /** The clock the subgraph reads; tests move it with `setNow`. */
  setNow(date: Date): void;
  query<T = any>(query: string, variables?: Record<string, unknown>, viewer?: Viewer): Promise<GraphQLResponse<T>>;
  stop(): Promise<void>;
}

/** Starts one subgraph in-process on a free port with its own fresh database on the test FerretDB. */
export async function startSubgraph(
  label: string,
  factory: SubgraphFactory,
  options: { now?: Date; db?: Database; config?: Partial<typeof testConfig> } = {},
): Promise<RunningSubgraph> {
  const db = options.db ?? (await testDatabase(label));
  const pubsub = new InProcessPubSub();
  let now: Date | undefined = options.now;
  const server = await factory({ db, config: { ...testConfig, ...options.config }, pubsub, clock: () => now ?? new Date() });
  const url = await server.listen(0);
  return {
    url,
    db,
    server,
    pubsub,
    setNow(date) {
      now = date;
    },
    query: (query, variables, viewer) => gql(url, query, variables, viewer),
    async stop() {
      await server.stop();
      await pubsub.close();
      await db.conn.dropDatabase().catch(() => {});
      await db.close();
    },
  };
}

export const residentViewer = (residentId: string): Viewer => ({ role: 'resident', subject: residentId, residentId });
export const staffViewer = (departmentId: string, streetCode?: string): Viewer => ({
  role: 'staff',
  subject: `staff-${departmentId}`,
  departmentId,
  ...(streetCode ? { streetCode } : {}),
});
export const adminViewer: Viewer = { role: 'admin', subject: 'admin' };
export const communityWorkerViewer = (communityCode: string): Viewer => ({
  role: 'community_worker',
  subject: `worker-${communityCode}`,
  communityCode,
});
