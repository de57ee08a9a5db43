/** `npm run seed`: loads the demo data into every subgraph's database (idempotent). */
import { runCli } from '../shared/cli';
import { ConfigError, loadCityConfig } from '../shared/config';
import { seedAll } from '../shared/seed-runner';
import { openDatabase } from './database';
import { seedProgress } from './progress';

runCli('npm run seed --', {
  summary: "Loads the demo data into every subgraph's database (idempotent).",
  env: {
    MONGODB_URI: 'the database (default: the embedded FerretDB, started if not running)',
    MONGODB_DB_PREFIX: 'database name prefix (default citygraph)',
    FERRETDB_PORT: 'port of the embedded FerretDB (default 27117)',
  },
});

async function main() {
  const config = loadCityConfig();
  const { uri, ferret } = await openDatabase(config, console.log);
  const progress = seedProgress();
  try {
    await seedAll(uri, config.dbPrefix, progress.update);
  } finally {
    progress.stop();
    await ferret?.stop();
  }
  console.log('Seeded: places, departments, the responsibility list, requests, shared parking, hostels and volunteers.');
}

main().catch((err) => {
  console.error(err instanceof ConfigError ? err.message : err);
  process.exit(1);
});
