import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';
import { pageFiles, staticFile, staticFiles, vendorFile } from '../static-files';

/**
 * The community dashboard (`/dashboard`), the department board (`/dashboard/department?id=`) and the
 * overview (`/dashboard/overview?district=`): static files from this folder and two libraries from
 * node_modules (Chart.js, graphql-ws's browser build), so nothing is fetched from a CDN.
 */
const route = staticFiles({
  ...pageFiles('/dashboard', path.join(__dirname, 'public'), ['dashboard.js', 'dashboard.css', 'boards.js', 'department.js', 'overview.js']),
  // The boards: a department's (its staff sign in with their token) and the district / city overview.
  '/dashboard/department': staticFile(path.join(__dirname, 'public', 'department.html')),
  '/dashboard/overview': staticFile(path.join(__dirname, 'public', 'overview.html')),
  '/dashboard/vendor/chart.umd.min.js': vendorFile('chart.js', 'dist', 'chart.umd.min.js'),
  '/dashboard/vendor/graphql-ws.js': vendorFile('graphql-ws', 'umd', 'graphql-ws.js'),
  '/dashboard/microprojects.js': staticFile(path.join(__dirname, 'public', 'microprojects.js')),
});

/** Serves a dashboard path; returns false when the path is not the dashboard's. */
export function serveDashboard(pathname: string, _req: IncomingMessage, res: ServerResponse): boolean {
  return route(pathname, res);
}
