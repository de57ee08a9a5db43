import { createHash } from 'node:crypto';
import { GraphQLError } from 'graphql';
import { isDuplicateKey } from './unique';

/** The canonical JSON of a value: object keys sorted, `undefined` members left out, Dates as ISO. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(canonical(value));
}

function canonical(value: unknown): unknown {
  if (value instanceof Date) return value.toISOString();
  if (value && typeof value === 'object' && typeof (value as { toHexString?: unknown }).toHexString === 'function') {
    return (value as { toHexString(): string }).toHexString();
  }
  if (Array.isArray(value)) return value.map((v) => (v === undefined ? null : canonical(v)));
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(value).sort()) {
      const v = (value as Record<string, unknown>)[k];
      if (v !== undefined) out[k] = canonical(v);
    }
    return out;
  }
  return value;
}

/** A stable hash of the input a key was first used with (sha256 of its canonical JSON). */
export function fingerprint(input: unknown): string {
  return createHash('sha256').update(canonicalJson(input)).digest('hex');
}

export interface CreateIdempotentOptions<T> {
  /** The client's idempotency key, already checked (validate.idempotencyKey); none → always create. */
  key: string | null | undefined;
  /** What the client asked for, as checked: the fingerprint is taken of it. Leave out what varies per try (the clock). */
  input: unknown;
  /** The record stored under `key`, if any, with the fingerprint it was stored with. */
  find: (key: string) => Promise<(T & { idempotencyFingerprint?: string }) | null>;
  /** Stores the record with `idempotencyFingerprint: fingerprint` under the key; its unique index on the key refuses a second one. */
  create: (fingerprint: string | null) => Promise<T>;
  /** The input field named in IDEMPOTENCY_KEY_REUSED (default `idempotencyKey`). */
  field?: string;
}

/**
 * Creates a record once per idempotency key. Same key and same input → the first record (whether
 * it was stored before this call or by a racer during it); same key with other input →
 * IDEMPOTENCY_KEY_REUSED naming the field; no key → a plain create. The unique index on the key
 * decides races, so it holds without transactions on MongoDB and FerretDB alike. Records stored
 * before fingerprints existed (no `idempotencyFingerprint`) are answered as a replay.
 */
export async function createIdempotent<T>(opts: CreateIdempotentOptions<T>): Promise<T> {
  const { key, find, create } = opts;
  if (key === null || key === undefined) return create(null);
  const print = fingerprint(opts.input);
  const replay = (found: T & { idempotencyFingerprint?: string }): T => {
    if (found.idempotencyFingerprint && found.idempotencyFingerprint !== print) throw keyReused(opts.field ?? 'idempotencyKey');
    return found;
  };
  const earlier = await find(key);
  if (earlier) return replay(earlier);
  try {
    return await create(print);
  } catch (err) {
    if (!isDuplicateKey(err)) throw err;
    const winner = await find(key);
    if (!winner) throw err; // another unique rule refused it, not the key
    return replay(winner);
  }
}

/**
 * For `create` to throw when it finds, part-way, that a racer stored the key meanwhile (a limit
 * check that the racer's record now fills): `createIdempotent` then answers as for a duplicate.
 */
export function keyStoredMeanwhile(): Error {
  return Object.assign(new Error('the idempotency key was stored meanwhile'), { code: 11000, codeName: 'DuplicateKey' });
}

function keyReused(field: string): GraphQLError {
  const reason = 'was already used with different input; use a new key for a new request';
  return new GraphQLError(`${field}: ${reason}`, { extensions: { code: 'IDEMPOTENCY_KEY_REUSED', field, reason } });
}
