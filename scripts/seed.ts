/**
 * `npm run seed [-- --scale N]`: loads the demo data into every subgraph's database (idempotent);
 * with `--scale N`, N times the demo's requests and residents (see subgraphs/requests/seed.ts).
 */
import { runCli } from '../shared/platform/cli';
import { ConfigError, loadCityConfig } from '../shared/platform/config';
import { seedAll } from '../shared/dev/seed-runner';
import { openDatabase } from './database';
import { seedProgress } from './progress';

const cli = runCli('npm run seed --', {
  summary: "Loads the demo data into every subgraph's database (idempotent); --scale N loads N times the demo's data.",
  flags: { scale: { type: 'string', value: 'N', description: "N times the demo's requests and residents (1 to 1000, default 1)" } },
  env: {
    MONGODB_URI: 'the database (default: the embedded FerretDB, started if not running)',
    MONGODB_DB_PREFIX: 'database name prefix (default citygraph)',
    FERRETDB_BACKEND: 'the embedded database: postgresql (default) or sqlite',
  },
});

function scaleOption(): number {
  return cli.number('scale', 1, { integer: true, min: 1, max: 1000 });
}

async function main() {
  const scale = scaleOption();
  const config = loadCityConfig();
  const { uri, ferret } = await openDatabase(config, console.log);
  const progress = seedProgress();
  try {
    await seedAll(uri, config.dbPrefix, progress.update, new Date(), scale);
  } finally {
    progress.stop();
    await ferret?.stop();
  }
  console.log(`Seeded${scale > 1 ? ` at scale ${scale}` : ''}: places, departments, the responsibility list, requests, shared parking, hostels and volunteers.`);
}

main().catch((err) => {
  console.error(err instanceof ConfigError ? err.message : err);
  process.exit(1);
});
