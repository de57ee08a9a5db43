/**
 * `npm run compose`: composes supergraph.yaml into schema/supergraph.graphql with
 * @apollo/composition. Prints every composition error and exits 1 when composition fails.
 * `npm run compose -- --check` only reports whether the committed file is up to date.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { composeFromConfig } from '../gateway/supergraph/compose';
import { runCli } from '../shared/cli';
import { ROOT_DIR } from '../shared/schema';

const cli = runCli('npm run compose --', {
  summary: 'Composes supergraph.yaml into schema/supergraph.graphql (@apollo/composition).\nExit 1 on composition errors, each one printed.',
  flags: { check: { type: 'boolean', description: 'only report whether the committed file is up to date (exit 1 if stale)' } },
  examples: ['npm run compose', 'npm run compose -- --check'],
});

const configPath = path.join(ROOT_DIR, 'supergraph.yaml');
const outPath = path.join(ROOT_DIR, 'schema', 'supergraph.graphql');
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
const current = existsSync(outPath) ? readFileSync(outPath, 'utf8') : '';
if (check) {
  if (current !== outcome.supergraphSdl) {
    console.error('schema/supergraph.graphql is stale: run `npm run compose`');
    process.exit(1);
  }
  console.log('schema/supergraph.graphql is up to date');
} else {
  writeFileSync(outPath, outcome.supergraphSdl);
  console.log(`Composed ${path.relative(ROOT_DIR, configPath)} into ${path.relative(ROOT_DIR, outPath)}`);
}
