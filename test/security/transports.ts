import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { request } from 'undici';

/*
 * One client per door, each speaking its protocol for real: undici for GraphQL over HTTP,
 * graphql-ws's client over a WebSocket, and graphql-sse's protocol (distinct connections) over a
 * streamed HTTP response. Each answers an operation with the same Outcome shape, so one table of
 * cases runs over all three.
 */

export type TransportName = 'http' | 'ws' | 'sse';

export interface Outcome {
  /** HTTP status (HTTP and SSE); undefined over WebSocket. */
  status?: number;
  /** `refused`: answered before execution (HTTP 4xx, WS `error` message, SSE non-stream answer). */
  kind: 'result' | 'refused' | 'closed';
  data?: any;
  errors?: Array<{ message: string; path?: Array<string | number>; extensions?: Record<string, any> }>;
  /** For `closed`: the WebSocket close code. */
  closeCode?: number;
}

export interface Params {
  query?: string;
  operationName?: string;
  variables?: Record<string, unknown>;
  extensions?: Record<string, unknown>;
}

export interface TransportClient {
  name: TransportName;
  run(params: Params | string): Promise<Outcome>;
  close(): Promise<void>;
}

const body = (params: Params | string) => (typeof params === 'string' ? params : JSON.stringify(params));

export function httpClient(base: string, token?: string): TransportClient {
  return {
    name: 'http',
    async run(params) {
      const res = await request(`${base}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
        body: body(params),
      });
      const parsed = (await res.body.json()) as { data?: unknown; errors?: Outcome['errors'] };
      const refused = res.statusCode >= 400 || (parsed.data === undefined && Boolean(parsed.errors?.length));
      return { status: res.statusCode, kind: refused ? 'refused' : 'result', data: parsed.data, errors: parsed.errors };
    },
    close: async () => {},
  };
}

/** Reads a graphql-sse (distinct connections) answer: a JSON refusal, or `next` events up to `complete`. */
export function sseClient(base: string, token?: string): TransportClient {
  return {
    name: 'sse',
    async run(params) {
      const res = await request(`${base}/graphql/stream`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'text/event-stream', ...(token ? { authorization: `Bearer ${token}` } : {}) },
        body: body(params),
      });
      const type = String(res.headers['content-type'] ?? '');
      if (!type.includes('text/event-stream')) {
        const text = await res.body.text();
        const parsed = text ? (JSON.parse(text) as { errors?: Outcome['errors'] }) : {};
        return { status: res.statusCode, kind: 'refused', errors: parsed.errors };
      }
      let text = '';
      for await (const chunk of res.body) {
        text += chunk.toString();
        if (text.includes('event: complete')) break;
      }
      res.body.destroy();
      const next = text
        .split('\n\n')
        .filter((e) => e.startsWith('event: next'))
        .map((e) => JSON.parse(e.slice(e.indexOf('data:') + 5)) as { data?: unknown; errors?: Outcome['errors'] });
      const first = next[0] ?? {};
      return { status: res.statusCode, kind: 'result', data: first.data, errors: first.errors };
    },
    close: async () => {},
  };
}

/**
 * One graphql-ws socket for every operation of the table, as a dashboard keeps one: a refused or
 * failed operation must leave it open for the others.
 */
export function wsClient(base: string, token?: string): TransportClient & { socket: Client; closes: number[] } {
  const closes: number[] = [];
  const socket = createClient({
    url: `${base.replace('http', 'ws')}/graphql`,
    webSocketImpl: WebSocket,
    connectionParams: token ? { authorization: `Bearer ${token}` } : {},
    retryAttempts: 0,
    lazy: true,
    on: { closed: (e) => void closes.push((e as { code: number }).code) },
  });
  return {
    name: 'ws',
    socket,
    closes,
    run(params) {
      const payload = typeof params === 'string' ? (JSON.parse(params) as Params) : params;
      return new Promise<Outcome>((resolve) => {
        let first: Outcome | undefined;
        socket.subscribe(payload as never, {
          next: (value) => {
            const v = value as { data?: unknown; errors?: Outcome['errors'] };
            first ??= { kind: 'result', data: v.data, errors: v.errors };
          },
          error: (err) => {
            if (Array.isArray(err)) resolve({ kind: 'refused', errors: err as Outcome['errors'] });
            else resolve({ kind: 'closed', closeCode: (err as { code?: number }).code });
          },
          complete: () => resolve(first ?? { kind: 'result' }),
        });
      });
    },
    close: () => socket.dispose() as Promise<void>,
  };
}

export function clientsFor(base: string, token?: string): TransportClient[] {
  return [httpClient(base, token), wsClient(base, token), sseClient(base, token)];
}
