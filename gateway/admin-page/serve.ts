import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';
import { pageFiles, staticFile, staticFiles, type StaticFile } from '../static-files';

/**
 * The schema registry's admin page (`/admin`): static files only. It signs in with an admin token
 * pasted into the page (kept in sessionStorage, so it goes with the tab) and reads and changes
 * everything through `/admin/graphql`, which checks that token on every request.
 */
const PUBLIC = path.join(__dirname, 'public');

/**
 * A page of the admin site beside the registry's (`/admin/<name>`, from `<name>.html`, and its
 * assets): same CSP, same admin token kept in the tab; it reads and changes the city's lists
 * through `/graphql`, where the subgraphs check that token.
 */
function adminPage(name: string, assets: string[]): Record<string, StaticFile> {
  const files: Record<string, StaticFile> = { [`/admin/${name}`]: staticFile(path.join(PUBLIC, `${name}.html`)) };
  for (const asset of assets) files[`/admin/${asset}`] = staticFile(path.join(PUBLIC, asset));
  return files;
}

/** The pages hold a token: nothing but their own files may run or be fetched, and no other site may frame them (a framed rollback button could be clicked for the admin). */
const HEADERS = {
  'content-security-policy': "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self'; form-action 'none'; frame-ancestors 'none'; base-uri 'none'",
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
};

const registryRoute = staticFiles(pageFiles('/admin', PUBLIC, ['admin.js', 'admin.css']), HEADERS);

const listRoute = staticFiles(
  {
    // What every admin page shares (token, status line, GraphQL calls); the registry's page too.
    '/admin/admin-kit.js': staticFile(path.join(PUBLIC, 'admin-kit.js')),
    // The working calendar (requests subgraph).
    ...adminPage('calendar', ['calendar.js', 'calendar.css']),
    // The responsibility list, welfare policies and their audit (requests subgraph).
    ...adminPage('lists', ['lists.js']),
    // Lot owners' sharing windows, hostels and beds, stations and teams (parking, hostels, volunteers).
    ...adminPage('services', ['services.js', 'services.css']),
  },
  HEADERS,
);

/** Serves the schema registry's page (`/admin`); false when the path is not the page's. */
export function serveAdminPage(pathname: string, _req: IncomingMessage, res: ServerResponse): boolean {
  return registryRoute(pathname, res);
}

/**
 * Serves the pages that run the city's lists (`/admin/calendar`, `/admin/lists`, `/admin/services`).
 * They talk to the public `/graphql`, where every subgraph checks the caller, so they are there
 * whether or not the schema registry runs.
 */
export function serveAdminListPages(pathname: string, _req: IncomingMessage, res: ServerResponse): boolean {
  return listRoute(pathname, res);
}
