import { badInput } from '../../../shared/platform/errors';
import * as validate from '../../../shared/subgraph/validate';
import { addMinutes, addWorkingDays } from '../../../shared/subgraph/time';
import { EMERGENCY_DISPATCH_MINUTES, HANDLING_DAYS, NORMAL_DISPATCH_MINUTES } from './catalog';

/**
 * The rules an admin's edit of the responsibility list must keep. An item may be faster than the
 * hotline's limits, never slower: dispatch within 10..120 minutes (30 at most for emergencies),
 * handling within 1..5 working days (the one extension to 10 stays as it is).
 */
export const MIN_DISPATCH_MINUTES = 10;
export const MIN_HANDLING_DAYS = 1;
export const MAX_KEYWORDS = 40;
export const MAX_KEYWORD_LENGTH = 20;

export const CATEGORY_CODE = /^C\d{2}$/;
/** An item's code begins with its category's: C01-07. */
export const ITEM_CODE = /^(C\d{2})-\d{2,3}$/;

export function categoryCode(field: string, value: unknown): string {
  const code = validate.code(field, value);
  if (!CATEGORY_CODE.test(code)) throw badInput(field, 'is not a category code: C and two digits, e.g. C19');
  return code;
}

export function itemCode(field: string, value: unknown, category?: string): string {
  const code = validate.code(field, value);
  const m = ITEM_CODE.exec(code);
  if (!m) throw badInput(field, 'is not an item code: the category code, a dash and two or three digits, e.g. C01-07');
  if (category && m[1] !== category) throw badInput(field, `must begin with its category's code ${category}`);
  return code;
}

export interface ItemLimits {
  emergency: boolean;
  dispatchLimitMinutes: number;
  handlingDays: number;
}

/** Checks the limits together (an emergency's dispatch limit depends on `emergency`). */
export function checkLimits(limits: ItemLimits, fields: { dispatch: string; handling: string }): ItemLimits {
  const maxDispatch = limits.emergency ? EMERGENCY_DISPATCH_MINUTES : NORMAL_DISPATCH_MINUTES;
  if (!Number.isInteger(limits.dispatchLimitMinutes) || limits.dispatchLimitMinutes < MIN_DISPATCH_MINUTES || limits.dispatchLimitMinutes > maxDispatch) {
    throw badInput(fields.dispatch, `must be a whole number of minutes from ${MIN_DISPATCH_MINUTES} to ${maxDispatch}${limits.emergency ? ' for an emergency item' : ''}`);
  }
  if (!Number.isInteger(limits.handlingDays) || limits.handlingDays < MIN_HANDLING_DAYS || limits.handlingDays > HANDLING_DAYS) {
    throw badInput(fields.handling, `must be a whole number of working days from ${MIN_HANDLING_DAYS} to ${HANDLING_DAYS}`);
  }
  return limits;
}

/** Keywords: single words (no spaces), each at most 20 characters, duplicates dropped, at most 40. */
export function keywords(field: string, value: readonly unknown[] | null | undefined): string[] {
  if (value == null) return [];
  if (value.length > MAX_KEYWORDS) throw badInput(field, `has more than ${MAX_KEYWORDS} keywords`);
  const out = new Set<string>();
  value.forEach((raw, i) => {
    const word = validate.text(`${field}.${i}`, raw, { max: MAX_KEYWORD_LENGTH });
    if (/\s/.test(word)) throw badInput(`${field}.${i}`, 'is one word: no spaces');
    out.add(word);
  });
  return [...out];
}

/** The dispatch limit an item gives a new request: its own, never more than the level's rule. */
export function itemDispatchMinutes(item: { dispatchLimitMinutes?: number | null }, fast: boolean): number {
  const rule = fast ? EMERGENCY_DISPATCH_MINUTES : NORMAL_DISPATCH_MINUTES;
  return Math.min(rule, item.dispatchLimitMinutes ?? rule);
}

/** The handling days an item gives a new request (5 for items stored without one). */
export function itemHandlingDays(item: { handlingDays?: number | null }): number {
  return Math.min(HANDLING_DAYS, item.handlingDays ?? HANDLING_DAYS);
}

/** Submission deadlines with the item's own limits in place of the hotline's defaults. */
export function withItemSubmissionLimits<T extends { dispatchDueAt: Date; dueAt: Date }>(d: T, now: Date, fast: boolean, item: { dispatchLimitMinutes?: number | null; handlingDays?: number | null }): T & { handlingDays: number } {
  const handlingDays = itemHandlingDays(item);
  return { ...d, dispatchDueAt: addMinutes(now, itemDispatchMinutes(item, fast)), dueAt: addWorkingDays(now, handlingDays), handlingDays };
}

/** Dispatch deadlines with the item's handling days (the handling clock starts at dispatch). */
export function withItemDispatchLimits<T extends { dueAt: Date; handlingDays: number }>(d: T, dispatchedAt: Date, item: { handlingDays?: number | null }): T {
  const handlingDays = itemHandlingDays(item);
  return { ...d, handlingDays, dueAt: addWorkingDays(dispatchedAt, handlingDays) };
}
