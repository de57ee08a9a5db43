import { readFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';
import { Kind, parse, visit, type DocumentNode, type OperationDefinitionNode } from 'graphql';
import { sendJson } from '../../shared/platform/http';
import { ROOT_DIR } from '../../shared/platform/schema';
import { pageFiles, staticFiles, vendorFile } from '../static-files';

/** The contract's operations: the IDE opens each as an example tab. */
export const CONTRACT_OPERATIONS = path.join(ROOT_DIR, 'test', 'contract', 'operations.graphql');

/**
 * The example tabs' variable values by name: configuration of the deployment (places and lots of
 * its data), not the demo seed, which production code never reads.
 */
export const EXAMPLE_VARIABLES = path.join(__dirname, 'example-variables.json');

/** One example tab of the IDE. */
export interface IdeExample {
  name: string;
  kind: 'query' | 'mutation' | 'subscription';
  /** The operation as the contract writes it, comments included, with the comment lines above it. */
  query: string;
  /** Variables from `example-variables.json` (they answer with data on the demo seed), as JSON text. */
  variables: string;
}

/**
 * GraphiQL (the `graphiql` package's UMD build with React 18's UMD builds, all from node_modules:
 * no bundler at run time and nothing from a CDN) with CityGraph's page around it.
 */
const route = staticFiles({
  ...pageFiles('/ide', path.join(__dirname, 'public'), ['ide.js', 'ide.css']),
  '/ide/vendor/react.production.min.js': vendorFile('react', 'umd', 'react.production.min.js'),
  '/ide/vendor/react-dom.production.min.js': vendorFile('react-dom', 'umd', 'react-dom.production.min.js'),
  '/ide/vendor/graphiql.min.js': vendorFile('graphiql', 'graphiql.min.js'),
  '/ide/vendor/graphiql.min.css': vendorFile('graphiql', 'graphiql.min.css'),
}, {
  // Tokens are pasted into its headers editor: no other site may frame it.
  'x-frame-options': 'DENY',
  'content-security-policy': "frame-ancestors 'none'",
});

/**
 * A browser opening `/graphql` (or `/`): a GET that accepts HTML and carries no operation. Every
 * other request (GraphQL clients send `application/json` or `application/graphql-response+json`)
 * goes on to the GraphQL HTTP door.
 */
export function wantsIde(req: IncomingMessage): boolean {
  if (req.method !== 'GET') return false;
  const accept = typeof req.headers.accept === 'string' ? req.headers.accept.toLowerCase() : '';
  // Browsers navigating send text/html and never a JSON type; a client naming both wants JSON.
  if (!accept.includes('text/html') || accept.includes('json')) return false;
  const url = req.url ?? '/';
  const q = url.indexOf('?');
  return q < 0 || !new URLSearchParams(url.slice(q + 1)).has('query');
}


/** The IDE's routes: its page for `/graphql` and `/`, and its `/ide/…` files. */
export interface Ide {
  /** Answers the IDE's page (for a request `wantsIde` accepted). */
  page(res: ServerResponse): void;
  /** Serves an `/ide/…` path; false when the path is not the IDE's. */
  serve(pathname: string, req: IncomingMessage, res: ServerResponse): boolean;
}

/**
 * The IDE needs nothing of the gateway but its GraphQL doors: GraphiQL loads the schema with the
 * standard introspection query, which the pipeline measures against introspection's own depth
 * bound (and refuses, as for every client, when `INTROSPECTION` is off; GraphiQL works without).
 */
export function createIde(): Ide {
  return {
    page: (res) => void route('/ide', res),
    serve(pathname, _req, res) {
      if (pathname === '/ide/examples.json') {
        sendJson(res, 200, { examples: contractExamples() });
        return true;
      }
      return route(pathname, res);
    },
  };
}

/**
 * The contract's operations as tabs, read on each page load (a small file; the example times stay
 * in the future). A deploy without the test folder (or a broken file) gets an IDE without
 * examples rather than no IDE.
 */
export function contractExamples(file = CONTRACT_OPERATIONS, variablesFile = EXAMPLE_VARIABLES): IdeExample[] {
  let source: string;
  let document: DocumentNode;
  const exampleValue = exampleValues(variablesFile);
  try {
    source = readFileSync(file, 'utf8');
    document = parse(source);
  } catch {
    return [];
  }
  const fragments = new Map<string, string>();
  for (const d of document.definitions) {
    if (d.kind === Kind.FRAGMENT_DEFINITION && d.loc) fragments.set(d.name.value, source.slice(d.loc.start, d.loc.end));
  }
  return document.definitions
    .filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION && !!d.name && !!d.loc)
    .map((op) => {
      const used = new Set<string>();
      visit(op, { FragmentSpread: (s) => void used.add(s.name.value) });
      const text = [commentsAbove(source, op.loc!.start), source.slice(op.loc!.start, op.loc!.end), ...[...used].map((f) => fragments.get(f) ?? '')]
        .filter(Boolean)
        .join('\n\n');
      const variables = Object.fromEntries(
        (op.variableDefinitions ?? []).map((v) => [v.variable.name.value, exampleValue(v.variable.name.value)]).filter(([, value]) => value !== undefined),
      );
      return {
        name: op.name!.value,
        kind: op.operation,
        query: `# ${op.name!.value}: from the city apps' contract (test/contract/operations.graphql)\n${text}\n`,
        variables: JSON.stringify(variables, null, 2),
      };
    });
}

/** The `#` lines directly above an operation (its own comment, not the file's header). */
function commentsAbove(source: string, start: number): string {
  const lines = source.slice(0, start).split('\n');
  lines.pop();
  const comments: string[] = [];
  while (lines.length && lines[lines.length - 1].trim().startsWith('#')) comments.unshift(lines.pop()!);
  // A comment block that opens the file is about the file, not this operation.
  return lines.length ? comments.join('\n') : '';
}

/** The configured values by variable name; a missing or broken file leaves the variables empty. */
function exampleValues(file: string): (name: string) => unknown {
  let values: Record<string, unknown> = {};
  try {
    const parsed = JSON.parse(readFileSync(file, 'utf8')) as unknown;
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) values = parsed as Record<string, unknown>;
  } catch {
    // An IDE without example variables rather than no IDE.
  }
  return (name) => {
    // A time in the future whenever the page loads, so the example booking is bookable.
    if (name === 'arriveAt') return new Date(Date.now() + 3_600_000).toISOString();
    return name !== '//' && Object.hasOwn(values, name) ? values[name] : undefined;
  };
}
