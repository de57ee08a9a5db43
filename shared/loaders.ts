import DataLoader from 'dataloader';

/**
 * The two loader shapes every subgraph needs, so each `loaders.ts` only says what to fetch.
 * Loaders are made fresh per request (`createLoaders()`), so nothing is cached across viewers.
 */

/**
 * The filter for a batch of `_id`s: plain equality for one, `$in` for several; the same answer
 * either way. FerretDB (the embedded database) pushes `_id` equality down to its storage but not
 * `$in`, so a one-key batch (one entity, one parent: the common case) reads one row instead of
 * decoding the whole collection (measured on 2000 requests: 24 ms against 250 ms).
 */
export function idFilter<V>(ids: readonly V[]): V | { $in: V[] } {
  return ids.length === 1 ? ids[0] : { $in: [...ids] };
}

/** One document per key, in one query for all keys of a tick; null for a missing key. */
export function byKeyLoader<K extends string, T>(
  fetch: (keys: readonly K[]) => Promise<T[]>,
  keyOf: (doc: T) => string,
): DataLoader<K, T | null> {
  return new DataLoader<K, T | null>(async (keys) => {
    const docs = await fetch(keys);
    const map = new Map<string, T>();
    for (const doc of docs) map.set(keyOf(doc), doc);
    return keys.map((k) => map.get(k) ?? null);
  });
}

/** All documents per key (a child list), in one query for all keys of a tick. */
export function groupLoader<K extends string, T>(
  fetch: (keys: readonly K[]) => Promise<T[]>,
  keyOf: (doc: T) => string,
): DataLoader<K, T[]> {
  return new DataLoader<K, T[]>(async (keys) => {
    const docs = await fetch(keys);
    const groups = new Map<string, T[]>();
    for (const doc of docs) {
      const k = keyOf(doc);
      const list = groups.get(k);
      if (list) list.push(doc);
      else groups.set(k, [doc]);
    }
    return keys.map((k) => groups.get(k) ?? []);
  });
}

/** A value computed per key in one batch (a count, a sum), with a default for absent keys. */
export function aggregateLoader<K extends string, V>(
  fetch: (keys: readonly K[]) => Promise<Map<string, V>>,
  fallback: V,
): DataLoader<K, V> {
  return new DataLoader<K, V>(async (keys) => {
    const values = await fetch(keys);
    return keys.map((k) => values.get(k) ?? fallback);
  });
}
