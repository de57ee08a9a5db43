import type { IncomingMessage, ServerResponse } from 'node:http';
import { trackHttpAccess, type AccessRecord } from '../pipeline';
import { readBodyWithin } from '../pipeline/stages/size';
import { Open311Refusal } from './errors';
import { renderErrors, sendErrors, sendList, type Format } from './format';
import { LIST_REQUESTS, ONE_REQUEST, SERVICES, SUBMIT_REQUEST, type ItemsAnswer, type ServiceRequestRow } from './operations';
import { listVariables, requestId, submitInput } from './params';
import { runOperation, type Open311Runner } from './run';
import { servicesOf } from './services';

export { open311Door, type Open311Runner } from './run';

/** Where GeoReport v2 is served. */
export const OPEN311_PREFIX = '/open311/v2/';

/** The largest POST body: a GeoReport request is a few fields (descriptions are at most 2000 characters). */
export const OPEN311_BODY_LIMIT_BYTES = 64 * 1024;

export interface Open311DoorOptions extends Open311Runner {
  /** The gateway's `BODY_LIMIT_BYTES`; Open311 takes the smaller of it and its own limit. */
  bodyLimitBytes: number;
  /** The time "the last 90 days" ends at (the real time; tests may fix it). */
  now?: () => Date;
}

const REQUESTS_XML = { root: 'service_requests', item: 'request' };

/**
 * Open311 GeoReport v2 on the gateway (`/open311/v2/…`): services, requests (GET, POST with an
 * app's `api_key`) and one request, in JSON or XML by the extension. Each endpoint runs one
 * GraphQL operation through the request pipeline, so it is limited, counted, logged and masked
 * as every other door; answers and errors are in the spec's shapes.
 */
export function createOpen311Door(options: Open311DoorOptions) {
  const now = options.now ?? (() => new Date());
  const bodyLimit = Math.min(options.bodyLimitBytes, OPEN311_BODY_LIMIT_BYTES);

  async function route(req: IncomingMessage, res: ServerResponse, access: AccessRecord, rest: string, format: Format, params: URLSearchParams): Promise<void> {
    const method = req.method ?? 'GET';
    const only = (allowed: string[]) => {
      if (!allowed.includes(method)) throw new Open311Refusal(405, [{ code: 405, description: `Use ${allowed.join(' or ')} here` }], { allow: allowed.join(', ') });
    };
    const answer = <T>(result: T | Open311Refusal): T => {
      if (result instanceof Open311Refusal) throw result;
      return result;
    };
    if (rest === 'services') {
      only(['GET']);
      const data = answer(await runOperation<ItemsAnswer>(options, req, access, SERVICES, {}));
      return sendList(res, 200, format, servicesOf(data), { root: 'services', item: 'service' });
    }
    if (rest === 'requests') {
      only(['GET', 'POST']);
      if (method === 'GET') {
        const data = answer(await runOperation<{ open311Requests: ServiceRequestRow[] }>(options, req, access, LIST_REQUESTS, listVariables(params, now())));
        return sendList(res, 200, format, data.open311Requests, REQUESTS_XML);
      }
      const body = await readBodyWithin(req, res, bodyLimit, (message) => renderErrors(format, [{ code: 413, description: message }]));
      if (body === undefined) return;
      const input = submitInput(String(req.headers['content-type'] ?? ''), body);
      const data = answer(await runOperation<{ submitOpen311Request: ServiceRequestRow }>(options, req, access, SUBMIT_REQUEST, { input }));
      // GeoReport's answer to a POST: the id, the notice, and the account_id we never keep for apps.
      const { service_request_id, service_notice } = data.submitOpen311Request;
      return sendList(res, 201, format, [{ service_request_id, service_notice, account_id: null }], REQUESTS_XML);
    }
    const one = /^requests\/([^/]+)$/.exec(rest);
    if (one) {
      only(['GET']);
      const data = answer(await runOperation<{ open311Request: ServiceRequestRow | null }>(options, req, access, ONE_REQUEST, { id: requestId(one[1]!) }));
      if (!data.open311Request) throw Open311Refusal.of(404, `service_request_id: no request ${requestId(one[1]!)}`);
      return sendList(res, 200, format, [data.open311Request], REQUESTS_XML);
    }
    throw Open311Refusal.of(404, 'Not a GeoReport v2 endpoint: services.json, requests.json or requests/{id}.json (or .xml)');
  }

  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const access = trackHttpAccess(options.pipeline.accessLog, 'open311', req, res);
    const url = new URL(req.url ?? '/', 'http://open311.invalid');
    const path = url.pathname.slice(OPEN311_PREFIX.length);
    const ext = /\.(json|xml)$/.exec(path);
    const format: Format = ext?.[1] === 'xml' ? 'xml' : 'json';
    try {
      if (!ext) throw Open311Refusal.of(404, 'GeoReport endpoints end in .json or .xml');
      await route(req, res, access, path.slice(0, -ext[0].length), format, url.searchParams);
    } catch (err) {
      if (res.headersSent) return void res.end();
      if (err instanceof Open311Refusal) return sendErrors(res, err.status, format, err.errors, err.headers);
      // Answered in the spec's shape, then handed on to be logged (the server's handler).
      sendErrors(res, 500, format, [{ code: 500, description: 'Internal server error' }]);
      throw err;
    }
  };
}
