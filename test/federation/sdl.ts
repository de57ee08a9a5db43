/** The federation 2.9 `@link` importing the directives a fixture's subgraph uses. */
export function fed(...directives: string[]): string {
  return `extend schema @link(url: "https://specs.apollo.dev/federation/v2.9", import: [${directives.map((d) => `"${d}"`).join(', ')}])`;
}

/** `__resolveReference` of an entity looked up in `rows` by the fields of its key. */
export function byKey<T extends Record<string, unknown>>(rows: T[], ...fields: Array<keyof T & string>) {
  return (ref: Partial<T>): T | null => rows.find((r) => fields.every((f) => JSON.stringify(r[f]) === JSON.stringify(ref[f]))) ?? null;
}
