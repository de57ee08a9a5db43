/** `npm run seed`: loads the demo data into every subgraph's database (idempotent). */
import { ConfigError, loadCityConfig } from '../shared/config';
import { seedAll } from '../shared/seed-runner';
import { openDatabase } from './database';
import { seedProgress } from './progress';

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
