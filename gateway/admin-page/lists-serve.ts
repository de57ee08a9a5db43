import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';
import { pageFiles, staticFiles } from '../static-files';

/**
 * The city's lists page (`/admin/lists`): lot owners publish their lots' sharing windows, admins
 * run hostels and beds and read the audit trail. Static files only, served whether or not the
 * schema registry runs: the page signs in with a pasted token (sessionStorage, this tab only) and
 * reads and writes through the public `/graphql`, where every subgraph checks the caller.
 */
const route = staticFiles(pageFiles('/admin/lists', path.join(__dirname, 'public', 'lists'), ['lists.js', 'lists.css']), {
  // The page holds a token: nothing but its own files may run or be fetched, and it may not be framed.
  'content-security-policy': "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self'; form-action 'none'; frame-ancestors 'none'; base-uri 'none'",
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
});

/** Serves a lists page path; false when the path is not the page's. */
export function serveListsPage(pathname: string, _req: IncomingMessage, res: ServerResponse): boolean {
  return route(pathname, res);
}
