import type { ServerResponse } from 'node:http';

/**
 * GeoReport v2's two formats. The answer's format is the endpoint's extension (`.json` or
 * `.xml`); errors use the spec's shape in either: `[{ "code": 400, "description": "…" }]` or
 * `<errors><error><code>400</code><description>…</description></error></errors>`.
 */
export type Format = 'json' | 'xml';

export interface Open311Error {
  code: number;
  description: string;
}

const escapeXml = (text: string) =>
  text.replace(/[<>&'"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&apos;', '"': '&quot;' })[c]!).replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '');

function xmlValue(name: string, value: unknown): string {
  if (value === null || value === undefined) return `<${name}/>`;
  if (Array.isArray(value)) return `<${name}>${value.map((v) => xmlValue(name.replace(/s$/, ''), v)).join('')}</${name}>`;
  if (typeof value === 'object') return `<${name}>${Object.entries(value).map(([k, v]) => xmlValue(k, v)).join('')}</${name}>`;
  return `<${name}>${escapeXml(String(value))}</${name}>`;
}

/** A list as XML: `<root><item>…</item>…</root>`, fields as elements in their order. */
export function toXml(root: string, item: string, rows: ReadonlyArray<Record<string, unknown>>): string {
  return `<?xml version="1.0" encoding="utf-8"?>\n<${root}>${rows.map((r) => xmlValue(item, r)).join('')}</${root}>`;
}

/** Writes a list in the endpoint's format (every GeoReport answer is a list). */
export function sendList(res: ServerResponse, status: number, format: Format, rows: ReadonlyArray<Record<string, unknown>>, xml: { root: string; item: string }, headers: Record<string, string> = {}): void {
  const body = format === 'xml' ? toXml(xml.root, xml.item, rows) : JSON.stringify(rows);
  res.writeHead(status, {
    'content-type': format === 'xml' ? 'text/xml; charset=utf-8' : 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(body),
    ...headers,
  });
  res.end(body);
}

/** The spec's error list (one error per problem), in the endpoint's format. */
export function renderErrors(format: Format, errors: Open311Error[]): { contentType: string; payload: string } {
  return format === 'xml'
    ? { contentType: 'text/xml; charset=utf-8', payload: toXml('errors', 'error', errors as unknown as Array<Record<string, unknown>>) }
    : { contentType: 'application/json; charset=utf-8', payload: JSON.stringify(errors) };
}

export function sendErrors(res: ServerResponse, status: number, format: Format, errors: Open311Error[], headers: Record<string, string> = {}): void {
  const { contentType, payload } = renderErrors(format, errors);
  res.writeHead(status, { 'content-type': contentType, 'content-length': Buffer.byteLength(payload), ...headers });
  res.end(payload);
}
