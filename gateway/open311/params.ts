import { parseDateTime } from '../../shared/subgraph/scalars';
import { Open311Refusal } from './errors';

/**
 * GeoReport v2's parameters, read and checked at the door: what cannot be a valid request is
 * answered 400 here, in the spec's terms, before anything runs.
 */

/** GeoReport's default and largest span of requests.json: 90 days. */
export const MAX_SPAN_DAYS = 90;
const DAY_MS = 86_400_000;

const bad = (description: string) => Open311Refusal.of(400, description);

function instant(name: string, value: string): Date {
  try {
    return parseDateTime(value);
  } catch {
    throw bad(`${name}: "${value.slice(0, 40)}" is not a W3C date-time with an offset, such as 2026-11-01T00:00:00+08:00`);
  }
}

/** A comma-delimited list (GeoReport's way of repeating a parameter), each value a code. */
function codes(name: string, value: string | null, max: number): string[] | null {
  if (value === null) return null;
  const list = value.split(',').map((v) => v.trim()).filter(Boolean);
  if (!list.length) throw bad(`${name}: is empty`);
  if (list.length > max) throw bad(`${name}: at most ${max} values at once`);
  for (const v of list) if (!/^[A-Za-z0-9_.:-]{1,64}$/.test(v)) throw bad(`${name}: "${v.slice(0, 40)}" is not a valid code`);
  return list;
}

function single(params: URLSearchParams, name: string): string | null {
  const all = params.getAll(name);
  if (all.length > 1) throw bad(`${name}: given ${all.length} times`);
  return all[0] ?? null;
}

/**
 * GET requests.json: `service_request_id` (overrides the rest), `service_code`, `status`
 * (open, closed or both), `start_date`, `end_date`. Without dates, the last 90 days; with only
 * one, 90 days from or to it; never a span over 90 days.
 */
export function listVariables(params: URLSearchParams, now: Date): Record<string, unknown> {
  const ids = codes('service_request_id', single(params, 'service_request_id'), 50);
  const serviceCodes = codes('service_code', single(params, 'service_code'), 20);
  const statusParam = single(params, 'status');
  let status: string | null = null;
  if (statusParam !== null) {
    const values = new Set(statusParam.split(',').map((s) => s.trim()));
    for (const v of values) if (v !== 'open' && v !== 'closed') throw bad(`status: "${v.slice(0, 20)}" is not open or closed`);
    status = values.size === 1 ? [...values][0]! : null;
  }
  const startParam = single(params, 'start_date');
  const endParam = single(params, 'end_date');
  let start = startParam === null ? null : instant('start_date', startParam);
  let end = endParam === null ? null : instant('end_date', endParam);
  if (!start && !end) end = now;
  if (!start) start = new Date(end!.getTime() - MAX_SPAN_DAYS * DAY_MS);
  if (!end) end = new Date(Math.min(start.getTime() + MAX_SPAN_DAYS * DAY_MS, Math.max(now.getTime(), start.getTime())));
  if (end < start) throw bad('end_date: is before start_date');
  if (end.getTime() - start.getTime() > MAX_SPAN_DAYS * DAY_MS) throw bad(`end_date: the span from start_date may not exceed ${MAX_SPAN_DAYS} days`);
  return { ids, serviceCodes, status, start: start.toISOString(), end: end.toISOString() };
}

/** The request id of `requests/{id}.json`: a request number such as SZ20261122-000123. */
export function requestId(raw: string): string {
  let id: string;
  try {
    id = decodeURIComponent(raw);
  } catch {
    throw bad('service_request_id: is not a valid id');
  }
  if (!/^[A-Za-z0-9_.:-]{1,64}$/.test(id)) throw bad('service_request_id: is not a valid id');
  return id;
}

/** The fields a POST of requests.json may carry (attributes and jurisdiction_id are ignored). */
const POST_FIELDS = {
  api_key: 'apiKey',
  service_code: 'serviceCode',
  description: 'description',
  lat: 'lat',
  long: 'long',
  address_string: 'addressString',
  address_id: 'addressId',
  media_url: 'mediaUrl',
  email: 'email',
  device_id: 'deviceId',
  account_id: 'accountId',
  first_name: 'firstName',
  last_name: 'lastName',
  phone: 'phone',
} as const;

/** The POST body as fields: form-encoded (the spec's) or a JSON object. */
function postFields(contentType: string, body: string): Map<string, string> {
  const fields = new Map<string, string>();
  const type = contentType.split(';')[0]!.trim().toLowerCase();
  if (type === 'application/x-www-form-urlencoded') {
    const params = new URLSearchParams(body);
    for (const key of new Set(params.keys())) {
      if (!(key in POST_FIELDS)) continue;
      fields.set(key, single(params, key)!);
    }
    return fields;
  }
  if (type === 'application/json') {
    let parsed: unknown;
    try {
      parsed = JSON.parse(body);
    } catch {
      throw bad('The body is not valid JSON');
    }
    if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw bad('The body must be a JSON object of GeoReport fields');
    for (const [key, value] of Object.entries(parsed as Record<string, unknown>)) {
      if (!(key in POST_FIELDS) || value === null || value === undefined) continue;
      if (typeof value !== 'string' && typeof value !== 'number') throw bad(`${key}: must be a string or a number`);
      fields.set(key, String(value));
    }
    return fields;
  }
  if (type === 'multipart/form-data') throw bad('Media uploads are not accepted: send the picture as media_url');
  throw bad('Send the request as application/x-www-form-urlencoded (or application/json)');
}

function coordinate(name: string, value: string | undefined): number | null {
  if (value === undefined || value.trim() === '') return null;
  const n = Number(value);
  if (!Number.isFinite(n)) throw bad(`${name}: "${value.slice(0, 20)}" is not a number`);
  return n;
}

/** A POST's `Open311SubmitInput`, or the refusal: a missing key is 403, as a wrong one is. */
export function submitInput(contentType: string, body: string): Record<string, unknown> {
  const fields = postFields(contentType, body);
  if (!fields.get('api_key')) throw Open311Refusal.of(403, 'api_key: is required to file a request');
  if (!fields.get('service_code')) throw bad('service_code: is required');
  if (!fields.get('description')) throw bad('description: is required');
  const input: Record<string, unknown> = {};
  for (const [name, field] of Object.entries(POST_FIELDS)) {
    const value = fields.get(name);
    if (value === undefined || value === '') continue;
    input[field] = name === 'lat' || name === 'long' ? coordinate(name, value) : value;
  }
  return input;
}
