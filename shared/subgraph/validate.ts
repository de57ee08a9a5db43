import { Types } from 'mongoose';
import type { GraphQLError } from 'graphql';
import { badInput } from '../platform/errors';
import { parseDateTime } from './scalars';

/**
 * Input checks shared by every subgraph. Each throws BAD_USER_INPUT naming the field, before any
 * write happens, and each returns a plain value so no client object reaches a query as an operator.
 */

export function objectId(field: string, value: unknown): Types.ObjectId {
  if (typeof value !== 'string' || !Types.ObjectId.isValid(value) || !/^[0-9a-f]{24}$/i.test(value)) {
    throw badInput(field, 'is not a valid id');
  }
  return new Types.ObjectId(value);
}

/** Ids that are codes (communities, departments, items): short and of a safe alphabet. */
export function code(field: string, value: unknown): string {
  if (typeof value !== 'string' || !/^[A-Za-z0-9_.:-]{1,64}$/.test(value)) {
    throw badInput(field, 'is not a valid code');
  }
  return value;
}

/** Free text has one rule, the kit's (`text.ts`); re-exported so `validate.text` is that rule. */
export { text, optionalText } from './text';

export function intInRange(field: string, value: unknown, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw badInput(field, `must be a whole number from ${min} to ${max}`);
  }
  return value;
}

export function numberInRange(field: string, value: unknown, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max) {
    throw badInput(field, `must be a number from ${min} to ${max}`);
  }
  return value;
}

/** An instant: a Date from the DateTime scalar, or a string held to the same RFC 3339 rule (naming `field`). */
export function dateTime(field: string, value: unknown): Date {
  if (value instanceof Date && !Number.isNaN(value.getTime())) return value;
  try {
    return parseDateTime(value);
  } catch (err) {
    throw badInput(field, (err as GraphQLError).extensions?.reason as string ?? 'must be an RFC 3339 date-time');
  }
}

/** Mainland plates: province character, city letter, then 5 (petrol) or 6 (new energy) characters. */
const PLATE = /^[京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼][A-HJ-NP-Z][A-HJ-NP-Z0-9]{4,5}[A-HJ-NP-Z0-9挂学警港澳]$/;

export function plate(field: string, value: unknown): string {
  if (typeof value !== 'string') throw badInput(field, 'must be a licence plate');
  const normalised = value.replace(/[\s·•-]/g, '').toUpperCase();
  if (!PLATE.test(normalised)) throw badInput(field, 'is not a mainland licence plate such as 粤B12345');
  return normalised;
}

/** Client-chosen idempotency keys: bounded and plain. */
export function idempotencyKey(field: string, value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string' || !/^[A-Za-z0-9_.:-]{8,100}$/.test(value)) {
    throw badInput(field, 'must be 8-100 characters of letters, digits, _ . : -');
  }
  return value;
}
