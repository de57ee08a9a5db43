import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import type { RunningGraph } from './graph';

/** A graphql-ws client of the graph's gateway, signed in with `token` when given; no retries. */
export function wsClientOf(graph: Pick<RunningGraph, 'gatewayUrl'>, token?: string): Client {
  return createClient({
    url: graph.gatewayUrl.replace(/^http/, 'ws'),
    webSocketImpl: WebSocket,
    retryAttempts: 0,
    connectionParams: token ? { authorization: `Bearer ${token}` } : {},
  });
}

/**
 * Waits until the gateway holds `n` upstream subscription streams (10 s at most), then gives the
 * subgraph a moment to register the subscribe message that is on its way.
 */
export async function untilUpstreamStreams(graph: Pick<RunningGraph, 'gateway'>, n: number): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (graph.gateway.subscriptions.stats().streams < n) {
    if (Date.now() > deadline) throw new Error('subscription not open upstream');
    await new Promise((r) => setTimeout(r, 20));
  }
  await new Promise((r) => setTimeout(r, 200));
}
