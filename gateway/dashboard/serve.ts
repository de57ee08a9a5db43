import { readFile } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';
import { ROOT_DIR } from '../../shared/schema';

/**
 * The community dashboard (`/dashboard`): static files from this folder and two libraries from
 * node_modules (Chart.js, graphql-ws's browser build), so nothing is fetched from a CDN.
 */
const FILES: Record<string, { file: string; type: string }> = {
  '/dashboard': { file: path.join(__dirname, 'public', 'index.html'), type: 'text/html; charset=utf-8' },
  '/dashboard/': { file: path.join(__dirname, 'public', 'index.html'), type: 'text/html; charset=utf-8' },
  '/dashboard/dashboard.js': { file: path.join(__dirname, 'public', 'dashboard.js'), type: 'text/javascript; charset=utf-8' },
  '/dashboard/dashboard.css': { file: path.join(__dirname, 'public', 'dashboard.css'), type: 'text/css; charset=utf-8' },
  '/dashboard/vendor/chart.umd.min.js': {
    file: path.join(ROOT_DIR, 'node_modules', 'chart.js', 'dist', 'chart.umd.min.js'),
    type: 'text/javascript; charset=utf-8',
  },
  '/dashboard/vendor/graphql-ws.js': {
    file: path.join(ROOT_DIR, 'node_modules', 'graphql-ws', 'umd', 'graphql-ws.js'),
    type: 'text/javascript; charset=utf-8',
  },
};

const cache = new Map<string, Buffer>();

/** Serves a dashboard path; returns false when the path is not the dashboard's. */
export function serveDashboard(pathname: string, _req: IncomingMessage, res: ServerResponse): boolean {
  const entry = FILES[pathname];
  if (!entry) return false;
  const cached = cache.get(entry.file);
  const send = (body: Buffer) => {
    res.writeHead(200, { 'content-type': entry.type, 'content-length': body.length, 'cache-control': 'no-cache' });
    res.end(body);
  };
  if (cached) {
    send(cached);
    return true;
  }
  readFile(entry.file).then(
    (body) => {
      cache.set(entry.file, body);
      send(body);
    },
    () => {
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end('not found');
    },
  );
  return true;
}
