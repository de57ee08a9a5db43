import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';
import { pageFiles, staticFile, staticFiles } from '../static-files';

/**
 * The schema registry's admin page (`/admin`): static files only. It signs in with an admin token
 * pasted into the page (kept in sessionStorage, so it goes with the tab) and reads and changes
 * everything through `/admin/graphql`, which checks that token on every request.
 */
const PUBLIC = path.join(__dirname, 'public');
/** The working calendar's page (`/admin/calendar`): reads and edits through `/graphql` with the same admin token. */
const CALENDAR_FILES = {
  '/admin/calendar': staticFile(path.join(PUBLIC, 'calendar.html')),
  '/admin/calendar.js': staticFile(path.join(PUBLIC, 'calendar.js')),
  '/admin/calendar.css': staticFile(path.join(PUBLIC, 'calendar.css')),
};
const route = staticFiles({ ...pageFiles('/admin', PUBLIC, ['admin.js', 'admin.css']), ...CALENDAR_FILES }, {
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
