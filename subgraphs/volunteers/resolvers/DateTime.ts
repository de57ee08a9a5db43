import { GraphQLScalarType, Kind } from 'graphql';
import { badInput } from '../../../shared/platform/errors';

function parse(value: unknown): Date {
  const date = typeof value === 'string' ? new Date(value) : null;
  if (!date || Number.isNaN(date.getTime())) throw badInput('DateTime', 'must be an ISO-8601 date-time');
  return date;
}

/** ISO-8601 strings on the wire, Dates inside. */
export const DateTime = new GraphQLScalarType({
  name: 'DateTime',
  serialize: (value) => (value instanceof Date ? value.toISOString() : new Date(value as string).toISOString()),
  parseValue: parse,
  parseLiteral: (ast) => parse(ast.kind === Kind.STRING ? ast.value : null),
});
