/**
 * `npm run seed [-- --scale N]`: loads the demo data into every subgraph's database (idempotent);
 * with `--scale N`, N times the demo's requests and residents (see subgraphs/requests/seed.ts).
 */
import { parseArgs } from 'node:util';
import { ConfigError, loadCityConfig } from '../shared/config';
import { seedAll } from '../shared/seed-runner';
import { openDatabase } from './database';
import { seedProgress } from './progress';

function scaleOption(): number {
  const { values } = parseArgs({ options: { scale: { type: 'string', default: '1' } }, strict: true });
  const scale = Number(values.scale);
  if (!Number.isInteger(scale) || scale < 1 || scale > 1000) throw new ConfigError(`--scale must be a whole number from 1 to 1000, not "${values.scale}"`);
  return scale;
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
