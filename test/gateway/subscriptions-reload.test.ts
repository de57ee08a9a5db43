import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { ApolloServer } from '@apollo/server';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { parse } from 'graphql';
import { createClient } from 'graphql-ws';
import { useServer } from 'graphql-ws/use/ws';
import WebSocket, { WebSocketServer } from 'ws';
import { composeSubgraphs } from '../../gateway/supergraph/compose';
import { createGatewayServer, type GatewayServer } from '../../gateway/server';
import { listen, serveGraphQL } from '../../shared/platform/http';
import { InProcessPubSub } from '../../shared/platform/pubsub';
import { gatewayOptions } from '../support/gateway';
import { untilUpstreamStreams } from '../support/live';

/** Subscriptions survive a supergraph update that keeps them valid, and end clearly when it does not. */

const link = 'extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])';
const v1 = `${link} type Item @key(fields: "id") { id: ID! label: String! } type Query { item(id: ID!): Item } type Subscription { itemChanged(id: ID!): Item! }`;
const v2 = `${link} type Item @key(fields: "id") { id: ID! label: String! color: String } type Query { item(id: ID!): Item } type Subscription { itemChanged(id: ID!): Item! }`;
const v3 = `${link} type Item @key(fields: "id") { id: ID! color: String } type Query { item(id: ID!): Item } type Subscription { itemChanged(id: ID!): Item! }`;

const pubsub = new InProcessPubSub();
let server: Server;
let url: string;
let gateway: GatewayServer;
let file: string;

function writeSupergraph(sdl: string) {
  const composed = composeSubgraphs([{ name: 'items', url, sdl }]);
  expect(composed.errors).toEqual([]);
  writeFileSync(file, composed.supergraphSdl!);
}

beforeAll(async () => {
  // The subgraph serves the newest schema; the gateway's supergraph file decides what clients see.
  const schema = buildSubgraphSchema({
    typeDefs: parse(v2),
    resolvers: {
      Subscription: { itemChanged: { subscribe: (_: unknown, a: { id: string }) => pubsub.subscribe(`item:${a.id}`), resolve: (p: unknown) => p } },
    } as any,
  });
  const apollo = new ApolloServer({ schema });
  await apollo.start();
  server = createServer((req, res) => void serveGraphQL(apollo, req, res, async () => ({})));
  const wss = new WebSocketServer({ server, path: '/graphql' });
  useServer({ schema }, wss);
  url = `${await listen(server, 0)}/graphql`;
  file = path.join(mkdtempSync(path.join(os.tmpdir(), 'sg-')), 'supergraph.graphql');
  writeSupergraph(v1);
  gateway = await createGatewayServer(gatewayOptions({ supergraph: { kind: 'file', path: file }, watchSupergraph: true }));
  await gateway.listen(0);
});

afterAll(async () => {
  await gateway.stop();
  server.closeAllConnections();
  server.close();
});

async function until(check: () => boolean, timeoutMs = 8000) {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 20));
  }
}

it('keeps a still-valid subscription across an update and ends an invalidated one with a clear message', async () => {
  const address = gateway.httpServer.address() as { port: number };
  const client = createClient({ url: `ws://127.0.0.1:${address.port}/graphql`, webSocketImpl: WebSocket, retryAttempts: 0 });
  const results: any[] = [];
  let completed = false;
  client.subscribe({ query: 'subscription { itemChanged(id: "a") { id label } }' }, {
    next: (r) => results.push(r),
    error: () => (completed = true),
    complete: () => (completed = true),
  });
  await untilUpstreamStreams({ gateway }, 1);
  await pubsub.publish('item:a', { id: 'a', label: 'first', color: 'red' });
  await until(() => results.length === 1);

  // Additive change: the subscription carries on.
  writeSupergraph(v2);
  await until(() => Boolean(gateway.apiSchema()?.getType('Item') && (gateway.apiSchema()!.getType('Item') as any).getFields().color));
  await pubsub.publish('item:a', { id: 'a', label: 'second', color: 'blue' });
  await until(() => results.length === 2);
  expect(results[1]).toEqual({ data: { itemChanged: { id: 'a', label: 'second' } } });
  expect(completed).toBe(false);

  // The subscribed field `label` disappears: the client is told why and the stream completes.
  writeSupergraph(v3);
  await until(() => completed);
  expect(results.at(-1).errors[0].extensions.code).toBe('SUBSCRIPTION_SCHEMA_CHANGED');
  expect(results.at(-1).errors[0].message).toMatch(/label/);
  await until(() => gateway.subscriptions.stats().subscriptions === 0);
  await client.dispose();
});
