import { GraphQLError, GraphQLScalarType, Kind } from 'graphql';

/** RFC 3339 `date-time`: full date, `T`, time with an optional fraction, and an offset (no space separator, no bare date). */
const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(\.\d{1,9})?([Zz]|[+-](\d{2}):(\d{2}))$/;

function refuse(reason: string): GraphQLError {
  return new GraphQLError(`DateTime: ${reason}`, { extensions: { code: 'BAD_USER_INPUT', field: 'DateTime', reason } });
}

/** Parses an RFC 3339 date-time with an offset into a Date; anything else is refused naming why. */
export function parseDateTime(value: unknown): Date {
  if (typeof value !== 'string') throw refuse('must be a string such as 2026-12-01T08:38:10Z');
  const m = RFC3339.exec(value);
  if (!m) throw refuse(`"${value.slice(0, 40)}" is not an RFC 3339 date-time with an offset, such as 2026-12-01T08:38:10Z or 2026-12-01T16:38:10+08:00`);
  const [, y, mo, d, h, mi, s, , , oh, om] = m;
  const day = Number(d);
  const month = Number(mo);
  const daysInMonth = new Date(Date.UTC(Number(y), month, 0)).getUTCDate();
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth) throw refuse(`${y}-${mo}-${d} is not a calendar date`);
  // Leap seconds (:60) are refused too: JavaScript dates cannot hold them.
  if (Number(h) > 23 || Number(mi) > 59 || Number(s) > 59) throw refuse(`${h}:${mi}:${s} is not a time of day`);
  if (oh !== undefined && (Number(oh) > 23 || Number(om) > 59)) throw refuse(`the offset ${value.slice(-6)} is out of range`);
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) throw refuse('is out of range');
  return date;
}

/**
 * The one `DateTime` scalar: RFC 3339 date-time with an offset (`Z` or `±hh:mm`) and nothing else
 * in; a `Date` inside the resolvers; `…Z` ISO strings out (from a `Date` or a date string, as
 * events that crossed Redis as JSON carry).
 */
export const DateTime = new GraphQLScalarType<Date, string>({
  name: 'DateTime',
  description: 'An instant as an RFC 3339 date-time with an offset, e.g. 2026-12-01T08:38:10Z',
  serialize(value) {
    const date = value instanceof Date ? value : typeof value === 'string' || typeof value === 'number' ? new Date(value) : null;
    if (!date || Number.isNaN(date.getTime())) throw new TypeError('DateTime cannot represent an invalid date');
    return date.toISOString();
  },
  parseValue: parseDateTime,
  parseLiteral(ast) {
    if (ast.kind !== Kind.STRING) throw refuse('must be a string such as 2026-12-01T08:38:10Z');
    return parseDateTime(ast.value);
  },
});
