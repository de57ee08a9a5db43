/** The federation 2.9 `@link` importing the directives a fixture's subgraph uses. */
export function fed(...directives: string[]): string {
  return `extend schema @link(url: "https://specs.apollo.dev/federation/v2.9", import: [${directives.map((d) => `"${d}"`).join(', ')}])`;
}

/** `__resolveReference` of an entity looked up in `rows` by the fields of its key. */
export function byKey<T extends Record<string, unknown>>(rows: T[], ...fields: Array<keyof T & string>) {
  return (ref: Partial<T>): T | null => rows.find((r) => fields.every((f) => JSON.stringify(r[f]) === JSON.stringify(ref[f]))) ?? null;
}

/** A root field resolver looking `rows` up by its arguments, named like the key fields. */
export function byArgs<T extends Record<string, unknown>>(rows: T[], ...fields: Array<keyof T & string>) {
  const find = byKey(rows, ...fields);
  return (_: unknown, args: Partial<T>): T | null => find(args);
}

/** A row of the media catalog: an implementation of the entity interface `Media`. */
export type MediaRow = { __typename: 'Book' | 'Movie'; id: string; title: string } & Record<string, unknown>;

/**
 * The subgraph owning the entity interface `Media` (`@key(fields: "id")`) and its
 * implementations Book and Movie, with `Query.media` and `Query.book(id)`.
 */
export function mediaCatalog(media: MediaRow[]) {
  return {
    name: 'catalog',
    typeDefs: `${fed('@key')}
      interface Media @key(fields: "id") { id: ID! title: String! }
      type Book implements Media @key(fields: "id") { id: ID! title: String! pages: Int! }
      type Movie implements Media @key(fields: "id") { id: ID! title: String! minutes: Int! }
      type Query { media: [Media!]! book(id: ID!): Book }`,
    resolvers: {
      Query: { media: () => media, book: (_: unknown, a: { id: string }) => media.find((m) => m.id === a.id && m.__typename === 'Book') ?? null },
      Media: { __resolveReference: byKey(media, 'id'), __resolveType: (m: MediaRow) => m.__typename },
      Book: { __resolveReference: byKey(media, 'id') },
      Movie: { __resolveReference: byKey(media, 'id') },
    },
  };
}
