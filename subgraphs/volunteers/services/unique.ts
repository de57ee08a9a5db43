/**
 * A unique index refused the write. FerretDB answers inserts with code 11000 but updates with a
 * generic error naming SQLite's UNIQUE constraint, so both are recognised.
 */
export function isDuplicateKey(err: unknown): boolean {
  const e = err as { code?: number; message?: string } | null;
  return e?.code === 11000 || /E11000|UNIQUE constraint failed/.test(e?.message ?? '');
}
