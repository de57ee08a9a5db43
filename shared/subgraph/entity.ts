import { notFound } from '../platform/errors';

/**
 * The key field of an entity representation, as `__resolveReference` gets it. Codegen types the
 * representation from the type's mapper (a database document with `_id`), not from what the
 * router sends (`{ __typename, id }`), so every subgraph reads the key through this one helper
 * instead of casting it its own way.
 */
export function refKey(ref: unknown, field = 'id'): string {
  return String((ref as Record<string, unknown>)[field]);
}

/**
 * `__resolveReference` of an entity another subgraph owns, which this one only extends with fields
 * of its own (places, departments, residents, lots): the parent is the key alone, read with
 * `refKey`. Whether the entity exists is the owner's answer, never this subgraph's.
 *
 * ```ts
 * export const Community: CommunityResolvers = { __resolveReference: stubReference('code'), hostels: … };
 * ```
 */
export function stubReference<K extends string>(field: K): (ref: unknown) => { [P in K]: string } {
  return (ref) => ({ [field]: refKey(ref, field) }) as { [P in K]: string };
}

/** A model's one-document read by id, as `findOrNotFound` needs it (any mongoose model). */
interface FindsById<T> {
  findById(id: string): { lean<R = T>(): PromiseLike<R | null> };
}

/**
 * The document with `id`, or NOT_FOUND naming `typename` and the id: the one answer every
 * subgraph gives for an id that names nothing.
 */
export async function findOrNotFound<T>(model: FindsById<T>, id: string, typename: string): Promise<T> {
  const doc = await model.findById(id).lean<T>();
  if (!doc) throw notFound(typename, id);
  return doc;
}
