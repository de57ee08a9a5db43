import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { loadGatewayOptions } from '../../gateway/config';
import { createGatewayServer, type GatewayServer } from '../../gateway/server';
import { composeSubgraphs } from '../../gateway/supergraph/compose';
import { createLogger, logFormat, prettyLine } from '../../shared/platform/logger';
import { startTinySubgraph, type TinySubgraph } from '../support/tiny-subgraph';

const SDL = `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])
  type Query { hello: String! }
`;

/** The gateway's log, as JSON lines, captured from its logger's destination. */
class Capture {
  lines: Array<Record<string, unknown>> = [];
  write(line: string) {
    this.lines.push(JSON.parse(line) as Record<string, unknown>);
  }
  access() {
    return this.lines.filter((l) => l.access === true);
  }
  /** Waits for the access line of `operationName` on `transport` (written when the request ends). */
  async next(transport: string, operationName: string | null): Promise<Record<string, unknown>> {
    for (let i = 0; i < 200; i++) {
      const line = this.access().find((l) => l.transport === transport && l.operationName === operationName);
      if (line) return line;
      await new Promise((r) => setTimeout(r, 10));
    }
    throw new Error(`no access line for ${operationName} over ${transport}; lines: ${JSON.stringify(this.lines)}`);
  }
}

describe('access log: one line per GraphQL request, from each door', () => {
  let subgraph: TinySubgraph;
  let gateway: GatewayServer;
  let origin: string;
  const capture = new Capture();

  beforeAll(async () => {
    subgraph = await startTinySubgraph(SDL, { Query: { hello: () => 'world' } });
    const sdl = composeSubgraphs([{ name: 'hello', url: subgraph.url, sdl: SDL }]).supergraphSdl!;
    const logger = createLogger('gateway', { destination: capture, format: 'json', level: 'info' });
    gateway = await createGatewayServer({ ...loadGatewayOptions({ NODE_ENV: 'test', CITY_AUTH: 'off' }), port: 0, supergraph: { kind: 'sdl', sdl }, logger });
    origin = await gateway.listen(0);
  });
  afterAll(async () => {
    await gateway.stop();
    await subgraph.stop();
  });

  it('HTTP: operation, transport, status, duration, request id and client key', async () => {
    const res = await fetch(`${origin}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-request-id': 'req-http-1' },
      body: JSON.stringify({ query: 'query Hello { hello }' }),
    });
    expect((await res.json()) as unknown).toEqual({ data: { hello: 'world' } });
    const line = await capture.next('http', 'Hello');
    expect(line).toMatchObject({ level: 30, service: 'gateway', operationType: 'query', status: 200, requestId: 'req-http-1', clientKey: 'ip:127.0.0.1', msg: expect.stringMatching(/^Hello http 200 \d+ms$/) });
    expect(typeof line.durationMs).toBe('number');
  });

  it('HTTP: a refusal is logged with its status and code', async () => {
    const res = await fetch(`${origin}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: 'query Deep { hello { nope } }' }) });
    expect(res.status).toBe(400);
    const line = await capture.next('http', null);
    expect(line).toMatchObject({ status: 400, code: 'GRAPHQL_VALIDATION_FAILED', clientKey: 'ip:127.0.0.1' });
    expect(line.requestId).toBe(res.headers.get('x-request-id'));
  });

  it('graphql-ws: a query, and a refused operation, each logged when it ends', async () => {
    const client = createClient({ url: origin.replace(/^http/, 'ws') + '/graphql', webSocketImpl: WebSocket, retryAttempts: 0, lazy: true });
    try {
      const result = await new Promise<unknown>((resolve, reject) => {
        let value: unknown;
        client.subscribe({ query: 'query HelloWs { hello }' }, { next: (v) => (value = v), error: reject, complete: () => resolve(value) });
      });
      expect(result).toEqual({ data: { hello: 'world' } });
      const line = await capture.next('ws', 'HelloWs');
      expect(line).toMatchObject({ operationType: 'query', status: 200, clientKey: 'ip:127.0.0.1', msg: expect.stringMatching(/^HelloWs ws 200 \d+ms$/) });
      expect(typeof line.requestId).toBe('string');

      const refused = await new Promise<unknown>((resolve) => {
        client.subscribe({ query: 'query BadWs { nope }' }, { next: () => {}, error: resolve, complete: () => resolve(undefined) });
      });
      expect(Array.isArray(refused)).toBe(true);
      const bad = capture.access().find((l) => l.transport === 'ws' && l.status === 400);
      expect(bad).toMatchObject({ code: 'GRAPHQL_VALIDATION_FAILED', clientKey: 'ip:127.0.0.1' });
    } finally {
      await client.dispose();
    }
  });
});

describe('log format', () => {
  it('pretty in a terminal outside production; JSON in a pipe, in production, or as LOG_FORMAT says', () => {
    expect(logFormat({}, true)).toBe('pretty');
    expect(logFormat({}, false)).toBe('json');
    expect(logFormat({ NODE_ENV: 'production' }, true)).toBe('json');
    expect(logFormat({ LOG_FORMAT: 'json' }, true)).toBe('json');
    expect(logFormat({ LOG_FORMAT: 'pretty' }, false)).toBe('pretty');
  });

  it('a pretty access line reads operation, transport, status and duration, then the request id and client key', () => {
    const json = JSON.stringify({
      level: 30,
      time: '2026-12-01T11:20:03.456Z',
      service: 'gateway',
      name: 'gateway',
      access: true,
      transport: 'http',
      operationName: 'MyCity',
      status: 200,
      durationMs: 12.3,
      requestId: 'r-1',
      clientKey: 'sub:resident:R-1',
      msg: 'MyCity http 200 12ms',
    });
    expect(prettyLine(json)).toBe('11:20:03.456 INFO  gateway  MyCity http 200 12ms  requestId=r-1 clientKey=sub:resident:R-1\n');
    // Values that are not plain words stay JSON-escaped: a client's text cannot forge a log line.
    expect(prettyLine(JSON.stringify({ level: 40, time: '2026-12-01T11:20:03.456Z', service: 'x', msg: 'm', id: 'a\nINFO fake' }))).toBe(
      '11:20:03.456 WARN  x  m  id="a\\nINFO fake"\n',
    );
  });

  it('the pretty logger writes one readable line per record, the stack of an error indented under it', () => {
    const out: string[] = [];
    const log = createLogger('gateway', { destination: { write: (l: string) => out.push(l) }, format: 'pretty', level: 'info' });
    log.error({ err: new Error('boom') }, 'request failed');
    expect(out).toHaveLength(1);
    expect(out[0]).toMatch(/^\d\d:\d\d:\d\d\.\d{3} ERROR gateway  request failed\n {4}Error: boom\n +at /);
  });
});
