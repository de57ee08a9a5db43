import WebSocket from 'ws';
import type { FaultGraph, GraphQLAnswer } from './harness';

export interface Sample {
  op: string;
  startedAt: number;
  answer: GraphQLAnswer;
}

export interface LoadOp {
  name: string;
  query: string;
  variables?: Record<string, unknown>;
  token?: string;
}

/** A steady query load: `workers` loops sending `ops` in turn, every answer kept with its time. */
export class QueryLoad {
  samples: Sample[] = [];
  private running = true;
  private loops: Promise<void>[] = [];

  constructor(private readonly graph: FaultGraph, private readonly ops: LoadOp[], workers = 3) {
    for (let w = 0; w < workers; w++) this.loops.push(this.loop(w));
  }

  private async loop(offset: number): Promise<void> {
    let i = offset;
    while (this.running) {
      const op = this.ops[i++ % this.ops.length];
      const startedAt = Date.now();
      const answer = await this.graph.query(op.query, op.variables, op.token, { timeoutMs: 20000 });
      this.samples.push({ op: op.name, startedAt, answer });
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  since(t: number, op?: string): Sample[] {
    return this.samples.filter((s) => s.startedAt >= t && (!op || s.op === op));
  }

  async stop(): Promise<void> {
    this.running = false;
    await Promise.all(this.loops);
  }
}

export interface WsSubscription {
  messages: Array<Record<string, any>>;
  closed: Promise<{ code: number; reason: string }>;
  socket: WebSocket;
}

/** Opens a graphql-ws (graphql-transport-ws) subscription and records what arrives. */
export async function subscribe(url: string, query: string, variables: Record<string, unknown>, connectionParams: Record<string, unknown> = {}): Promise<WsSubscription> {
  const socket = new WebSocket(url.replace(/^http/, 'ws'), 'graphql-transport-ws');
  const messages: Array<Record<string, any>> = [];
  const closed = new Promise<{ code: number; reason: string }>((resolve) =>
    socket.once('close', (code, reason) => resolve({ code, reason: reason.toString() })),
  );
  await new Promise<void>((resolve, reject) => {
    socket.once('error', reject);
    socket.once('open', () => {
      socket.send(JSON.stringify({ type: 'connection_init', payload: connectionParams }));
    });
    socket.on('message', (raw) => {
      const msg = JSON.parse(raw.toString());
      messages.push(msg);
      if (msg.type === 'connection_ack') {
        socket.send(JSON.stringify({ id: '1', type: 'subscribe', payload: { query, variables } }));
        resolve();
      }
    });
    void closed.then(({ code, reason }) => reject(new Error(`closed before ack: ${code} ${reason}`)));
  });
  return { messages, closed, socket };
}
