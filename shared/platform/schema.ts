import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse, type DocumentNode } from 'graphql';

/** The repository's root, where `schema/` and `supergraph.yaml` live. */
export const ROOT_DIR = path.resolve(__dirname, '..', '..');
export const SCHEMA_DIR = path.join(ROOT_DIR, 'schema');

/** Reads a subgraph's SDL from `schema/<name>.graphql`: the schema is the source, not the code. */
export function loadSubgraphSdl(name: string): DocumentNode {
  return parse(readFileSync(path.join(SCHEMA_DIR, `${name}.graphql`), 'utf8'));
}
