import path from 'node:path';
import { staticFile, type StaticFile } from '../static-files';

/**
 * The requests subgraph's lists page (`/admin/lists`): the responsibility list, welfare policies
 * and the audit of their changes. Same rules as the rest of the admin site (its files only, its
 * CSP); it talks to the city graph at `/graphql` with the admin token the site keeps in the tab.
 */
export function requestListsFiles(folder: string): Record<string, StaticFile> {
  return {
    '/admin/lists': staticFile(path.join(folder, 'lists.html')),
    '/admin/lists.js': staticFile(path.join(folder, 'lists.js')),
  };
}
