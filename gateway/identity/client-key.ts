import type { IncomingMessage } from 'node:http';
import type { Viewer } from '../../shared/platform/auth';

/**
 * The client's IP address: the socket's, or with `hops` trusted proxies in front the entry they
 * appended to `X-Forwarded-For` (the `hops`-th from the right). Entries further left were written
 * by the client itself and are never believed.
 */
export function clientIp(req: IncomingMessage, hops: number): string {
  const socket = req.socket?.remoteAddress ?? 'unknown';
  if (hops <= 0) return socket;
  const header = req.headers['x-forwarded-for'];
  const list = (Array.isArray(header) ? header.join(',') : (header ?? ''))
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  // Fewer entries than proxies: the request came in past the outer ones; the first is the client.
  return list[list.length - hops] ?? list[0] ?? socket;
}

/** `ip:<address>`: whom an anonymous request, or one whose token was refused, counts against. */
export function ipClientKey(req: IncomingMessage, hops: number): string {
  return `ip:${clientIp(req, hops)}`;
}

/**
 * Who counts against per-client limits: `sub:<role>:<subject>` for a verified token, else the IP
 * address. Only verified viewers get a subject key, so invented subjects cannot dodge a limit.
 */
export function clientKeyOf(viewer: Viewer, req: IncomingMessage, hops: number): string {
  return viewer.role !== 'anonymous' && viewer.subject ? `sub:${viewer.role}:${viewer.subject}` : ipClientKey(req, hops);
}
