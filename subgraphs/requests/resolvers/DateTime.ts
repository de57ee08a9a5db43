import { GraphQLScalarType, Kind } from 'graphql';

/**
 * ISO-8601 instants. Outgoing Dates (and date strings from events that crossed Redis as JSON) are
 * written as ISO strings; incoming values stay strings so services validate them with the field name.
 */
export const DateTime = new GraphQLScalarType({
  name: 'DateTime',
  serialize(value) {
    const date = value instanceof Date ? value : new Date(String(value));
    if (Number.isNaN(date.getTime())) throw new TypeError('DateTime cannot represent an invalid date');
    return date.toISOString();
  },
  parseValue: (value) => value,
  parseLiteral: (ast) => (ast.kind === Kind.STRING ? ast.value : null),
});
