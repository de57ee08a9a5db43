import type { IncomingMessage, ServerResponse } from 'node:http';
import { HeaderMap, type ApolloServer, type BaseContext, type HTTPGraphQLResponse } from '@apollo/server';
import { readBodyWithin } from '../pipeline/stages/size';
import type { RequestSharing } from '../perf/request-sharing';
import { CLIENT_NAME_HEADER, CLIENT_VERSION_HEADER } from '../registry/usage-plugin';
import { acceptsMultipart, deferUse, writeMultipart, type ExecutionOutcome } from './incremental';
import { accessOf, Refusal, trackHttpAccess, type Admitted, type Door, type GraphQLParams, type Identity, type RequestPipeline } from '../pipeline';

/** What one HTTP door needs: the pipeline, the identity stage, and the executor behind it. */
export interface HttpDoorOptions<TContext extends BaseContext> {
  pipeline: RequestPipeline;
  door: Door;
  /** Largest request body (`BODY_LIMIT_BYTES`). */
  bodyLimitBytes: number;
  /** Operations in one JSON-array request (`BATCH_MAX`; 0 refuses batches). */
  batchMax: number;
  /** Refuse browser "simple" requests that could be cross-site forgeries (`CSRF_PREVENTION`). */
  csrfPrevention: boolean;
  /** A door for some identities only (the admin API): the refusal for the others. */
  authorize?: (identity: Identity) => Refusal | undefined;
  /** The Apollo Server that executes admitted operations. */
  apollo: ApolloServer<TContext>;
  /** The executor's context for an identity. */
  context: (identity: Identity) => TContext;
  /** Inbound in-flight request sharing (`REQUEST_SHARING`); undefined when off. */
  sharing?: RequestSharing;
  /**
   * The executor's direct path for operations that use `@defer` (answered as multipart/mixed);
   * undefined: they run on Apollo Server like any other, their deferred parts inline.
   */
  deferred?: (admitted: Admitted, context: TContext) => Promise<ExecutionOutcome>;
}

const SIMPLE_CONTENT_TYPES = ['application/x-www-form-urlencoded', 'multipart/form-data', 'text/plain'];
const PREFLIGHT_HEADERS = ['x-apollo-operation-name', 'apollo-require-preflight'];

/** A request a browser would send cross-site without a preflight (Apollo Server's CSRF rule). */
function isSimpleRequest(req: IncomingMessage): boolean {
  const type = req.headers['content-type'];
  if (type !== undefined) {
    const essence = type.split(';')[0].trim().toLowerCase();
    if (essence && !SIMPLE_CONTENT_TYPES.includes(essence)) return false;
  }
  return !PREFLIGHT_HEADERS.some((h) => {
    const v = req.headers[h];
    return typeof v === 'string' && v.length > 0;
  });
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  if (res.headersSent) return void res.end();
  const payload = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(payload), ...headers });
  res.end(payload);
}

function parseJsonParam(value: string | null, name: string): Record<string, unknown> | undefined {
  if (value === null || value === '') return undefined;
  try {
    const parsed = JSON.parse(value) as unknown;
    if (parsed === null) return undefined;
    if (typeof parsed === 'object' && !Array.isArray(parsed)) return parsed as Record<string, unknown>;
  } catch {
    // answered below
  }
  throw Refusal.of('BAD_REQUEST', `The ${name} parameter must be a JSON object`, { field: name });
}

/** The GraphQL parameters of a GET request's query string. */
function paramsOfSearch(search: URLSearchParams): GraphQLParams {
  return {
    query: search.get('query'),
    operationName: search.get('operationName'),
    variables: parseJsonParam(search.get('variables'), 'variables'),
    extensions: parseJsonParam(search.get('extensions'), 'extensions'),
  };
}

function paramsOfBody(body: unknown): GraphQLParams {
  if (!body || typeof body !== 'object' || Array.isArray(body)) throw Refusal.of('BAD_REQUEST', 'The request body must be a JSON object (or an array of them)');
  const b = body as Record<string, unknown>;
  const check = (name: string, ok: boolean) => {
    if (!ok) throw Refusal.of('BAD_REQUEST', `${name} has the wrong type`, { field: name });
  };
  check('query', b.query === undefined || b.query === null || typeof b.query === 'string');
  check('operationName', b.operationName === undefined || b.operationName === null || typeof b.operationName === 'string');
  check('variables', b.variables === undefined || b.variables === null || (typeof b.variables === 'object' && !Array.isArray(b.variables)));
  check('extensions', b.extensions === undefined || b.extensions === null || (typeof b.extensions === 'object' && !Array.isArray(b.extensions)));
  return b as GraphQLParams;
}

/** What Apollo Server receives for an admitted operation: the resolved source, never a bare hash. */
function apolloBody(admitted: Admitted): Record<string, unknown> {
  const { persistedQuery: _p, ...extensions } = admitted.extensions ?? {};
  return { query: admitted.source, operationName: admitted.operationName, variables: admitted.variables, extensions };
}

/**
 * GraphQL over HTTP (POST and GET, JSON, optional batches) through the request pipeline. The body
 * is read up to the limit (a larger one is answered 413 and drained, never buffered); everything
 * else is the pipeline's, and admitted operations run on Apollo Server.
 */
export function createHttpDoor<TContext extends BaseContext>(options: HttpDoorOptions<TContext>) {
  const { pipeline, door } = options;
  const refuse = (res: ServerResponse, refusal: Refusal) => {
    accessOf(res)?.refused(refusal);
    send(res, refusal.status, pipeline.refusalBody(refusal), refusal.headers);
  };

  const executeOnApollo = async (req: IncomingMessage, admitted: Admitted, identity: Identity, search: string): Promise<HTTPGraphQLResponse> => {
    const headers = new HeaderMap();
    for (const [key, value] of Object.entries(req.headers)) {
      if (value !== undefined) headers.set(key, Array.isArray(value) ? value.join(', ') : value);
    }
    const get = req.method === 'GET';
    let query = '';
    if (get) {
      const p = new URLSearchParams(search);
      p.set('query', admitted.source);
      p.delete('extensions');
      query = `?${p.toString()}`;
    }
    headers.set('content-type', 'application/json');
    return options.apollo.executeHTTPGraphQLRequest({
      httpGraphQLRequest: { method: get ? 'GET' : 'POST', headers, search: query, body: get ? undefined : apolloBody(admitted) },
      context: async () => options.context(identity),
    });
  };

  // Requests that share an execution share its serialised answer too; what Apollo Server's
  // answer depends on beyond the operation (method, Accept) is part of what must be identical.
  const execute = (req: IncomingMessage, admitted: Admitted, identity: Identity, search: string): Promise<HTTPGraphQLResponse> => {
    const { sharing } = options;
    if (!sharing) return executeOnApollo(req, admitted, identity, search);
    const header = (name: string) => (typeof req.headers[name] === 'string' ? (req.headers[name] as string) : undefined);
    return sharing.execute(admitted, identity, `http ${req.method} ${req.headers.accept ?? ''}`, () => executeOnApollo(req, admitted, identity, search), {
      clientName: header(CLIENT_NAME_HEADER),
      clientVersion: header(CLIENT_VERSION_HEADER),
    });
  };

  /**
   * A deferred operation from a client that reads multipart: its parts as multipart/mixed as they
   * come, or one JSON answer when nothing ends up deferred (a false `if`). A client that does not
   * read multipart never gets here: `@defer` is a hint, so it gets the whole answer in one response.
   */
  const answerDeferred = async (req: IncomingMessage, res: ServerResponse, admitted: Admitted, identity: Identity): Promise<void> => {
    const outcome = await options.deferred!(admitted, options.context(identity));
    const cost = admitted.costReport ? { cost: admitted.costReport } : undefined;
    if (outcome.kind === 'single') {
      const result = pipeline.formatResult(outcome.result);
      return send(res, 200, cost ? { ...result, extensions: { ...result.extensions, ...cost } } : result);
    }
    await writeMultipart(res, outcome, {
      initial: (r) => {
        const result = pipeline.formatResult(r);
        return cost ? { ...result, extensions: { ...result.extensions, ...cost } } : result;
      },
      subsequent: (p) => pipeline.formatSubsequent(p),
    });
  };

  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    // access log: one line when the response is done, whatever answered it
    const access = trackHttpAccess(pipeline.accessLog, door.transport, req, res);
    // size
    if (req.method !== 'GET' && req.method !== 'POST') {
      return refuse(res, Refusal.of('METHOD_NOT_ALLOWED', 'GraphQL is served over GET and POST', {}, { allow: 'GET, POST' }));
    }
    let raw: string | undefined;
    if (req.method === 'POST') {
      raw = await readBodyWithin(req, res, options.bodyLimitBytes);
      if (raw === undefined) return;
    }
    if (options.csrfPrevention && isSimpleRequest(req)) {
      return refuse(
        res,
        Refusal.of(
          'BAD_REQUEST',
          "This operation has been blocked as a potential Cross-Site Request Forgery (CSRF). Send a 'content-type: application/json' header, or a non-empty 'apollo-require-preflight' header",
        ),
      );
    }
    // identity
    const identity = await pipeline.identify({ authorization: req.headers.authorization, req });
    if (identity instanceof Refusal) return refuse(res, identity);
    access.identified(identity);
    res.setHeader('x-request-id', identity.requestId);
    const denied = options.authorize?.(identity);
    if (denied) return refuse(res, denied);

    const url = req.url ?? '/';
    const q = url.indexOf('?');
    const search = q >= 0 ? url.slice(q + 1) : '';
    let batch: GraphQLParams[];
    let single = true;
    try {
      if (req.method === 'GET') {
        batch = [paramsOfSearch(new URLSearchParams(search))];
      } else {
        const type = (req.headers['content-type'] ?? '').toLowerCase();
        if (!type.includes('json')) throw Refusal.of('BAD_REQUEST', 'POST bodies must be JSON (content-type: application/json)');
        let body: unknown;
        try {
          body = JSON.parse(raw ?? '');
        } catch {
          throw Refusal.of('BAD_REQUEST', 'The request body is not valid JSON');
        }
        if (Array.isArray(body)) {
          if (options.batchMax === 0) {
            throw Refusal.of('BATCHING_NOT_ALLOWED', 'Batched requests (a JSON array of operations) are not accepted; send one operation per request', {
              limit: 0,
              actual: body.length,
            });
          }
          if (body.length > options.batchMax || body.length === 0) {
            throw Refusal.of('BATCH_LIMIT_EXCEEDED', `The batch has ${body.length} operations; a batch holds 1 to ${options.batchMax}`, {
              limit: options.batchMax,
              actual: body.length,
            });
          }
          single = false;
          batch = body.map(paramsOfBody);
        } else {
          batch = [paramsOfBody(body)];
        }
      }
    } catch (err) {
      if (err instanceof Refusal) return refuse(res, err);
      throw err;
    }

    if (single) {
      const admitted = await pipeline.admit(batch[0], door, identity, req.method);
      if (admitted instanceof Refusal) return refuse(res, admitted);
      access.admitted(admitted);
      try {
        if (options.deferred && deferUse(admitted.document) !== 'none' && acceptsMultipart(req.headers.accept)) {
          return await answerDeferred(req, res, admitted, identity);
        }
        const result = await execute(req, admitted, identity, search);
        for (const [key, value] of result.headers) res.setHeader(key, value);
        res.statusCode = result.status ?? 200;
        if (result.body.kind === 'complete') {
          if (!admitted.costReport) return void res.end(result.body.string);
          const answer = JSON.parse(result.body.string) as { extensions?: Record<string, unknown> };
          const text = JSON.stringify({ ...answer, extensions: { ...answer.extensions, cost: admitted.costReport } });
          res.setHeader('content-length', Buffer.byteLength(text));
          return void res.end(text);
        }
        for await (const chunk of result.body.asyncIterator) res.write(chunk);
        res.end();
      } finally {
        admitted.release();
      }
      return;
    }

    // A batch: each operation through the pipeline in turn (one slot at a time, so a batch can
    // never wait on its own slots); a refused operation answers its own place in the array.
    const bodies: string[] = [];
    for (const params of batch) {
      const admitted = await pipeline.admit(params, door, identity, req.method);
      if (admitted instanceof Refusal) {
        access.refused(admitted);
        bodies.push(JSON.stringify(pipeline.refusalBody(admitted)));
        continue;
      }
      access.admitted(admitted);
      if (options.deferred && deferUse(admitted.document) !== 'none') {
        admitted.release();
        const refusal = Refusal.of('BAD_REQUEST', 'An operation with @defer is answered in parts, which a batch cannot carry; send it on its own', { field: 'query' });
        access.refused(refusal);
        bodies.push(JSON.stringify(pipeline.refusalBody(refusal)));
        continue;
      }
      try {
        const result = await execute(req, admitted, identity, search);
        bodies.push(
          result.body.kind === 'complete'
            ? result.body.string
            : JSON.stringify({ errors: [{ message: 'Incremental delivery is not available in a batch', extensions: { code: 'BAD_REQUEST' } }] }),
        );
      } finally {
        admitted.release();
      }
    }
    res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' });
    res.end(`[${bodies.join(',')}]`);
  };
}
