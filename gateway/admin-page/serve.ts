import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';
import { pageFiles, staticFiles } from '../static-files';
import { requestListsFiles } from './request-lists';

/**
 * The schema registry's admin page (`/admin`): static files only. It signs in with an admin token
 * pasted into the page (kept in sessionStorage, so it goes with the tab) and reads and changes
 * everything through `/admin/graphql`, which checks that token on every request.
 */
const route = staticFiles({ ...pageFiles('/admin', path.join(__dirname, 'public'), ['admin.js', 'admin.css']), ...requestListsFiles(path.join(__dirname, 'public')) }, {
  // The page holds an admin token: nothing but its own files may run or be fetched, and no other
  // site may frame it (a framed rollback button could be clicked for the admin).
  'content-security-policy': "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self'; form-action 'none'; frame-ancestors 'none'; base-uri 'none'",
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
});

/** Serves an admin page path; false when the path is not the page's. */
export function serveAdminPage(pathname: string, _req: IncomingMessage, res: ServerResponse): boolean {
  return route(pathname, res);
}
