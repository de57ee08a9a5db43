import { readFileSync } from 'node:fs';
import path from 'node:path';
import { composeFromConfig, composeSubgraphs, printApiSchema } from '../gateway/supergraph/compose';
import { ROOT_DIR } from '../shared/platform/schema';

it('the committed schema/supergraph.graphql is what supergraph.yaml composes to (run `npm run compose`)', () => {
  const outcome = composeFromConfig(path.join(ROOT_DIR, 'supergraph.yaml'));
  expect(outcome.errors).toEqual([]);
  expect(readFileSync(path.join(ROOT_DIR, 'schema', 'supergraph.graphql'), 'utf8')).toBe(outcome.supergraphSdl);
});

it('the committed schema/api.graphql is the API schema of the supergraph, what clients generate code from (run `npm run compose`)', () => {
  const outcome = composeFromConfig(path.join(ROOT_DIR, 'supergraph.yaml'));
  const api = readFileSync(path.join(ROOT_DIR, 'schema', 'api.graphql'), 'utf8');
  expect(api).toBe(printApiSchema(outcome.supergraphSdl!));
  // No federation internals reach clients.
  expect(api).not.toMatch(/join__|link__|_entities|@inaccessible/);
});

it('reports composition errors readably, with their codes', () => {
  const link = 'extend schema @link(url: "https://specs.apollo.dev/federation/v2.9", import: ["@key"])';
  const outcome = composeSubgraphs([
    { name: 'a', url: 'http://a', sdl: `${link} type Query { thing: Thing } type Thing { id: ID! }` },
    { name: 'b', url: 'http://b', sdl: `${link} type Query { other: Int } type Thing { id: String! }` },
  ]);
  expect(outcome.supergraphSdl).toBeUndefined();
  expect(outcome.errors.join('\n')).toMatch(/\[[A-Z_]+\] .*Thing/);
  expect(composeSubgraphs([{ name: 'c', url: 'http://c', sdl: 'type Query {' }]).errors[0]).toMatch(/^\[INVALID_GRAPHQL\] subgraph "c"/);
});
