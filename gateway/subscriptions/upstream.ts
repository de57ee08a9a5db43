import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';

/**
 * graphql-ws connections from the gateway to subgraphs, one per (subgraph URL, identity) and
 * multiplexed: every upstream subscription of the same identity to the same subgraph shares one
 * socket. The identity travels in the connection parameters, signed afresh on each (re)connect.
 */
export class UpstreamConnections {
  private readonly clients = new Map<string, { client: Client; refs: number }>();

  constructor(private readonly connectTimeoutMs = 5000) {}

  /** Acquires a client; call the returned release when the subscription ends. */
  acquire(httpUrl: string, identityKey: string, params: () => Record<string, unknown>): { client: Client; release: () => void } {
    const key = `${httpUrl}\u0000${identityKey}`;
    let entry = this.clients.get(key);
    if (!entry) {
      const client = createClient({
        url: httpUrl.replace(/^http/, 'ws'),
        webSocketImpl: WebSocket,
        connectionParams: params,
        lazy: true,
        lazyCloseTimeout: 0,
        // A subgraph that goes away ends the affected streams with an error instead of hanging
        // them on retries; clients resubscribe through the gateway.
        retryAttempts: 0,
        connectionAckWaitTimeout: this.connectTimeoutMs,
        keepAlive: 10_000,
      });
      entry = { client, refs: 0 };
      this.clients.set(key, entry);
    }
    entry.refs += 1;
    const held = entry;
    let released = false;
    return {
      client: held.client,
      release: () => {
        if (released) return;
        released = true;
        held.refs -= 1;
        if (held.refs === 0 && this.clients.get(key) === held) {
          this.clients.delete(key);
          void held.client.dispose();
        }
      },
    };
  }

  /** Number of open sockets (for metrics and tests). */
  get size(): number {
    return this.clients.size;
  }

  async close(): Promise<void> {
    await Promise.all([...this.clients.values()].map((e) => e.client.dispose()));
    this.clients.clear();
  }
}
