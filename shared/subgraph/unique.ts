/**
 * A unique index refused a write. MongoDB says so with code 11000 (11001 on old servers), on the
 * error itself or inside a bulk write's `writeErrors` / `writeErrors[].err`. FerretDB 1.x answers
 * inserts with 11000 but some updates and upserts with a generic command error whose message
 * carries its backend's "UNIQUE constraint failed" (SQLite) or "duplicate key value" (PostgreSQL)
 * text; that text counts only when the error also carries a server code, so an application error
 * that happens to quote the words is not mistaken for one.
 */
export function isDuplicateKey(err: unknown): boolean {
  return check(err, 0);
}

const DUPLICATE_CODES = new Set([11000, 11001]);
const BACKEND_TEXT = /E11000|UNIQUE constraint failed|duplicate key value violates unique constraint/;

interface DriverError {
  code?: unknown;
  codeName?: unknown;
  message?: unknown;
  errmsg?: unknown;
  writeErrors?: unknown;
  err?: unknown;
  cause?: unknown;
  errorResponse?: unknown;
}

function check(err: unknown, depth: number): boolean {
  if (!err || typeof err !== 'object' || depth > 3) return false;
  const e = err as DriverError;
  if (typeof e.code === 'number' && DUPLICATE_CODES.has(e.code)) return true;
  if (e.codeName === 'DuplicateKey') return true;
  const hasCode = typeof e.code === 'number' || typeof e.codeName === 'string';
  const text = `${typeof e.message === 'string' ? e.message : ''} ${typeof e.errmsg === 'string' ? e.errmsg : ''}`;
  if (hasCode && BACKEND_TEXT.test(text)) return true;
  const writeErrors = Array.isArray(e.writeErrors) ? e.writeErrors : e.writeErrors ? [e.writeErrors] : [];
  if (writeErrors.some((w) => check(w, depth + 1))) return true;
  return check(e.err, depth + 1) || check(e.errorResponse, depth + 1) || check(e.cause, depth + 1);
}
