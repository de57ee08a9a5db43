import { Types } from 'mongoose';
import { badInput } from '../platform/errors';

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

export function text(field: string, value: unknown, { min = 1, max = 2000 }: { min?: number; max?: number } = {}): string {
  if (typeof value !== 'string') throw badInput(field, 'must be text');
  const trimmed = value.trim();
  if (trimmed.length < min) throw badInput(field, min === 1 ? 'must not be empty' : `must be at least ${min} characters`);
  if (trimmed.length > max) throw badInput(field, `must be at most ${max} characters`);
  return trimmed;
}

export function optionalText(field: string, value: unknown, limits?: { min?: number; max?: number }): string | undefined {
  return value === undefined || value === null ? undefined : text(field, value, limits);
}

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

export function dateTime(field: string, value: unknown): Date {
  const date = typeof value === 'string' || value instanceof Date ? new Date(value) : null;
  if (!date || Number.isNaN(date.getTime())) throw badInput(field, 'must be an ISO-8601 date-time');
  return date;
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
