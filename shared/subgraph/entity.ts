/**
 * The key field of an entity representation, as `__resolveReference` gets it. Codegen types the
 * representation from the type's mapper (a database document with `_id`), not from what the
 * router sends (`{ __typename, id }`), so every subgraph reads the key through this one helper
 * instead of casting it its own way.
 */
export function refKey(ref: unknown, field = 'id'): string {
  return String((ref as Record<string, unknown>)[field]);
}
