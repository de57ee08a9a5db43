import { randomBytes } from 'node:crypto';
import { connectDatabase, type Database } from '../../shared/platform/db';

/** A fresh, uniquely named database on the test run's FerretDB. */
export async function testDatabase(label: string): Promise<Database> {
  const uri = process.env.TEST_MONGODB_URI;
  if (!uri) throw new Error('TEST_MONGODB_URI is not set: run the tests through jest (global setup starts FerretDB)');
  return connectDatabase({ uri, dbName: `t_${label}_${randomBytes(4).toString('hex')}`, timeoutMs: 5000 });
}

/** A database name prefix unique to one test file, for servers that open their own databases. */
export function testPrefix(label: string): string {
  return `t_${label}_${randomBytes(4).toString('hex')}`;
}
