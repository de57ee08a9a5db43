import { readFile } from 'node:fs/promises';
import type { ServerResponse } from 'node:http';
import path from 'node:path';
import { ROOT_DIR } from '../shared/platform/schema';

/** One file a page serves: where it is on disk and its content type. */
export interface StaticFile {
  file: string;
  type: string;
}

/** Answers a path when it is one of the page's files; false when it is not, for the next route. */
export type StaticRoute = (pathname: string, res: ServerResponse) => boolean;

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.graphql': 'text/plain; charset=utf-8',
};

/** A file with its content type read from its extension. */
export function staticFile(file: string): StaticFile {
  const type = TYPES[path.extname(file)];
  if (!type) throw new Error(`static-files: no content type for ${file}`);
  return { file, type };
}

/** A file of an installed package (browser builds are served from node_modules, never a CDN). */
export function vendorFile(...segments: string[]): StaticFile {
  return staticFile(path.join(ROOT_DIR, 'node_modules', ...segments));
}

/**
 * Serves a fixed table of files (the dashboard's, the IDE's, the admin page's): nothing outside
 * the table is reachable, so a path can never walk out of a page's folder. Files are read once
 * and kept (they are small and change only with a deploy); `no-cache` makes browsers revalidate
 * so a deploy is seen at once.
 */
export function staticFiles(
  files: Record<string, StaticFile>,
  /** Sent with every file, e.g. a page's Content-Security-Policy. */
  headers: Record<string, string> = {},
): StaticRoute {
  const cache = new Map<string, Buffer>();
  return (pathname, res) => {
    const entry = files[pathname];
    if (!entry) return false;
    const send = (body: Buffer) => {
      res.writeHead(200, { ...headers, 'content-type': entry.type, 'content-length': body.length, 'cache-control': 'no-cache', 'x-content-type-options': 'nosniff' });
      res.end(body);
    };
    const cached = cache.get(entry.file);
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
  };
}

/** A page's folder of public files: `index.html` at `prefix` and `prefix/`, the others by name. */
export function pageFiles(prefix: string, folder: string, names: string[]): Record<string, StaticFile> {
  const index = staticFile(path.join(folder, 'index.html'));
  const files: Record<string, StaticFile> = { [prefix]: index, [`${prefix}/`]: index };
  for (const name of names) files[`${prefix}/${name}`] = staticFile(path.join(folder, name));
  return files;
}
