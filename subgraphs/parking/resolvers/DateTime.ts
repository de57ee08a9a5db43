import { GraphQLScalarType, Kind } from 'graphql';

/**
 * ISO-8601 strings out. Values in are passed through as given, so the services' validation
 * answers a malformed date with BAD_USER_INPUT naming the argument.
 */
export const DateTime = new GraphQLScalarType({
  name: 'DateTime',
  serialize: (value) => (value instanceof Date ? value.toISOString() : new Date(value as string).toISOString()),
  parseValue: (value) => value,
  parseLiteral: (ast) => (ast.kind === Kind.STRING ? ast.value : null),
});
