/**
 * `npm run compose`: composes supergraph.yaml into schema/supergraph.graphql with
 * @apollo/composition, and writes schema/api.graphql, the API schema clients see (the supergraph
 * minus federation internals and @inaccessible members: what the gateway serves and introspects
 * as). Prints every composition error and exits 1 when composition fails.
 * `npm run compose -- --check` only reports whether the committed files are up to date.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { composeFromConfig, printApiSchema } from '../gateway/supergraph/compose';
import { runCli } from '../shared/platform/cli';
import { ROOT_DIR } from '../shared/platform/schema';

const cli = runCli('npm run compose --', {
  summary: 'Composes supergraph.yaml into schema/supergraph.graphql (@apollo/composition).\nExit 1 on composition errors, each one printed.',
  flags: { check: { type: 'boolean', description: 'only report whether the committed file is up to date (exit 1 if stale)' } },
  examples: ['npm run compose', 'npm run compose -- --check'],
});

const configPath = path.join(ROOT_DIR, 'supergraph.yaml');
const outPath = path.join(ROOT_DIR, 'schema', 'supergraph.graphql');
const apiPath = path.join(ROOT_DIR, 'schema', 'api.graphql');
const check = cli.flag('check');

let outcome;
try {
  outcome = composeFromConfig(configPath);
} catch (err) {
  console.error(`Cannot compose: ${(err as Error).message}`);
  process.exit(1);
}
if (!outcome.supergraphSdl) {
  console.error(`Composition failed with ${outcome.errors.length} error(s):\n`);
  outcome.errors.forEach((e, i) => console.error(`${i + 1}. ${e}\n`));
  process.exit(1);
}
const outputs = [
  { file: outPath, text: outcome.supergraphSdl },
  { file: apiPath, text: printApiSchema(outcome.supergraphSdl) },
];
const read = (file: string) => (existsSync(file) ? readFileSync(file, 'utf8') : '');
if (check) {
  const stale = outputs.filter((o) => read(o.file) !== o.text).map((o) => path.relative(ROOT_DIR, o.file));
  if (stale.length) {
    console.error(`${stale.join(' and ')} ${stale.length > 1 ? 'are' : 'is'} stale: run \`npm run compose\``);
    process.exit(1);
  }
  console.log(`${outputs.map((o) => path.relative(ROOT_DIR, o.file)).join(' and ')} are up to date`);
} else {
  for (const o of outputs) writeFileSync(o.file, o.text);
  console.log(`Composed ${path.relative(ROOT_DIR, configPath)} into ${outputs.map((o) => path.relative(ROOT_DIR, o.file)).join(' and ')}`);
}
