/**
 * `npm run bench:subscriptions`: latency of federated subscription events through the gateway,
 * from the moment the owning subgraph publishes to the moment a graphql-ws client has the event
 * (with a field from another subgraph resolved for it), and the number of upstream
 * subscriptions the subgraph sees for 100 identical clients. Prints figures; asserts nothing.
 *
 * Options: --events N (default 1000), --clients N (default 100), --fields "<selection>" (default
 * `id freeSpacesNow openRequests { id }`; `id` alone measures the gateway's own path, no database).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { runCli, type CliArgs } from '../shared/platform/cli';
import { startFerret } from '../shared/dev/ferret';
import type { InProcessPubSub } from '../shared/platform/pubsub';

const cli: CliArgs = runCli('npm run bench:subscriptions --', {
  summary:
    'Latency of federated subscription events through the gateway (publish on the subgraph → graphql-ws client), and\nthe upstream subscriptions the subgraph sees for identical clients. Prints figures; asserts nothing.',
  flags: {
    events: { type: 'string', value: 'N', description: 'events measured (default 1000)' },
    clients: { type: 'string', value: 'N', description: 'identical clients for the upstream count (default 100)' },
    fields: { type: 'string', value: 'selection', description: 'selected fields (default `id freeSpacesNow openRequests { id }`; `id` alone: no database)' },
  },
});
const options = {
  events: cli.number('events', 1000, { integer: true, min: 1 }),
  clients: cli.number('clients', 100, { integer: true, min: 1 }),
  fields: cli.string('fields') ?? 'id freeSpacesNow openRequests { id }',
};

process.env.APOLLO_TELEMETRY_DISABLED = '1';
process.env.LOG_LEVEL ??= 'warn';

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

async function main() {
  const { events, clients, fields } = options;
  const dir = mkdtempSync(path.join(os.tmpdir(), 'citygraph-sub-bench-'));
  const ferret = await startFerret(dir, 0);
  process.env.TEST_MONGODB_URI = ferret.uri;
  // The in-process graph harness: four subgraphs and the gateway over real HTTP and WebSocket.
  const { startGraph } = require('../test/support/graph') as typeof import('../test/support/graph');
  const graph = await startGraph();
  const lotId = 'PL-DX-01';
  const topic = `parking.availability.${lotId}`;
  const lot = await graph.subgraphs.parking.db.conn.db!.collection('parking_lots').findOne({ _id: lotId as never });
  if (!lot) throw new Error(`${lotId} is not in the seeded parking_lots collection`);
  const wsUrl = graph.gatewayUrl.replace(/^http/, 'ws');
  const query = `subscription($id: ID!) { parkingAvailabilityChanged(lotId: $id) { ${fields} } }`;
  const pubsub = graph.subgraphs.parking.pubsub as InProcessPubSub;

  // 1. Latency: one client, events published one after another.
  const client: Client = createClient({ url: wsUrl, webSocketImpl: WebSocket, retryAttempts: 0 });
  let resolveNext: (() => void) | undefined;
  let sample: unknown;
  client.subscribe({ query, variables: { id: lotId } }, { next: (e) => { sample ??= e; if (e.errors) throw new Error(`event with errors: ${JSON.stringify(e.errors)}`); resolveNext?.(); }, error: (e) => console.error(e), complete: () => {} });
  while (graph.gateway.subscriptions.stats().streams < 1) await new Promise((r) => setTimeout(r, 10));
  await new Promise((r) => setTimeout(r, 300));
  const latencies: number[] = [];
  for (let i = 0; i < events + 50; i++) {
    const got = new Promise<void>((r) => (resolveNext = r));
    const started = process.hrtime.bigint();
    await pubsub.publish(topic, lot);
    await got;
    if (i >= 50) latencies.push(Number(process.hrtime.bigint() - started) / 1e6); // first 50 warm up
  }
  latencies.sort((a, b) => a - b);
  await client.dispose();

  // 2. Sharing: identical clients, one upstream subscription.
  const emitter = (pubsub as unknown as { emitter: import('node:events').EventEmitter }).emitter;
  const many = Array.from({ length: clients }, () => createClient({ url: wsUrl, webSocketImpl: WebSocket, retryAttempts: 0 }));
  let received = 0;
  for (const c of many) c.subscribe({ query, variables: { id: lotId } }, { next: () => (received += 1), error: () => {}, complete: () => {} });
  while (graph.gateway.subscriptions.stats().subscriptions < clients) await new Promise((r) => setTimeout(r, 10));
  await new Promise((r) => setTimeout(r, 300));
  const upstream = emitter.listenerCount(topic);
  const fanStart = process.hrtime.bigint();
  await pubsub.publish(topic, lot);
  while (received < clients) await new Promise((r) => setImmediate(r));
  const fanOutMs = Number(process.hrtime.bigint() - fanStart) / 1e6;
  const stats = graph.gateway.subscriptions.stats();
  await Promise.all(many.map((c) => c.dispose()));

  console.log(`\nFederated subscription events through the gateway: parkingAvailabilityChanged { ${fields} }`);
  console.log(`  sample event           ${JSON.stringify(sample).slice(0, 160)}`);
  console.log(`  events measured        ${latencies.length}`);
  console.log(`  publish → client p50   ${percentile(latencies, 50).toFixed(2)} ms`);
  console.log(`  publish → client p99   ${percentile(latencies, 99).toFixed(2)} ms`);
  console.log(`  publish → client max   ${latencies[latencies.length - 1].toFixed(2)} ms`);
  console.log(`  ${clients} identical clients: ${stats.streams} shared stream(s) at the gateway, ${upstream} upstream subscription(s) at the parking subgraph`);
  console.log(`  one event to all ${clients} clients in ${fanOutMs.toFixed(1)} ms`);

  await graph.stop();
  await ferret.stop();
  rmSync(dir, { recursive: true, force: true });
  process.exit(0);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
