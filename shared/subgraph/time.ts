import { workingCalendar, type WorkingCalendar } from './calendar';

/**
 * Shenzhen local time. China has one zone, UTC+8, with no daylight saving, so a fixed offset is
 * exact and needs no time-zone database. Working days are Monday to Friday except the special
 * days of a working calendar (`calendar.ts`): public holidays are not working days and make-up
 * weekends (调休) are. The working-day functions stay synchronous and count with the process-wide
 * `workingCalendar` unless given another: it holds the State Council's notices until the requests
 * subgraph loads the stored (admin-edited) calendar over it, and follows every change after.
 */
export const SHENZHEN_OFFSET_MS = 8 * 3600 * 1000;
const DAY_MS = 24 * 3600 * 1000;

export interface LocalParts {
  year: number;
  month: number; // 1-12
  day: number;
  /** 1 = Monday … 7 = Sunday (ISO). */
  weekday: number;
  /** Minutes since local midnight. */
  minutes: number;
}

export function localParts(date: Date): LocalParts {
  const shifted = new Date(date.getTime() + SHENZHEN_OFFSET_MS);
  const dow = shifted.getUTCDay();
  return {
    year: shifted.getUTCFullYear(),
    month: shifted.getUTCMonth() + 1,
    day: shifted.getUTCDate(),
    weekday: dow === 0 ? 7 : dow,
    minutes: shifted.getUTCHours() * 60 + shifted.getUTCMinutes(),
  };
}

/** Local midnight (as an instant) of the Shenzhen day that contains `date`. */
export function startOfLocalDay(date: Date): Date {
  const shifted = date.getTime() + SHENZHEN_OFFSET_MS;
  return new Date(Math.floor(shifted / DAY_MS) * DAY_MS - SHENZHEN_OFFSET_MS);
}

/** The instant of local `HH:MM` on the Shenzhen day that contains `day`. */
export function atLocalTime(day: Date, hhmm: string): Date {
  return new Date(startOfLocalDay(day).getTime() + parseHhmm(hhmm) * 60000);
}

/** `"18:30"` → 1110 minutes; throws on anything else. */
export function parseHhmm(hhmm: string): number {
  const m = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(hhmm);
  if (!m) throw new RangeError(`not a HH:MM time: ${hhmm}`);
  return Number(m[1]) * 60 + Number(m[2]);
}

export function addDays(date: Date, days: number): Date {
  return new Date(date.getTime() + days * DAY_MS);
}

export function addMinutes(date: Date, minutes: number): Date {
  return new Date(date.getTime() + minutes * 60000);
}

/** Whether the Shenzhen day containing `date` is a working day by `calendar`. */
export function isWorkingDay(date: Date, calendar: WorkingCalendar = workingCalendar): boolean {
  const special = calendar.day(localDateString(date));
  if (special) return special.kind === 'WORKDAY';
  return localParts(date).weekday <= 5;
}

/**
 * Adds working days the way hotline rules count them: the deadline falls at the same local time
 * on the n-th following working day (a request filed on Saturday counts from Monday's start).
 */
export function addWorkingDays(date: Date, days: number, calendar: WorkingCalendar = workingCalendar): Date {
  let cursor = date;
  if (!isWorkingDay(cursor, calendar)) {
    while (!isWorkingDay(cursor, calendar)) cursor = startOfLocalDay(addDays(cursor, 1));
  }
  let left = days;
  while (left > 0) {
    cursor = addDays(cursor, 1);
    if (isWorkingDay(cursor, calendar)) left -= 1;
  }
  return cursor;
}

/** Whole working days from `from` to `to` (0 when `to` is not later). */
export function workingDaysBetween(from: Date, to: Date, calendar: WorkingCalendar = workingCalendar): number {
  let count = 0;
  let cursor = from;
  while (addWorkingDays(cursor, 1, calendar).getTime() <= to.getTime()) {
    cursor = addWorkingDays(cursor, 1, calendar);
    count += 1;
    if (count > 3660) break;
  }
  return count;
}

/** `YYYY-MM-DD` of the Shenzhen day containing `date`. */
export function localDateString(date: Date): string {
  const p = localParts(date);
  return `${p.year}-${String(p.month).padStart(2, '0')}-${String(p.day).padStart(2, '0')}`;
}

/** `YYYY-MM` of the Shenzhen month containing `date` (a month bucket a query can match by equality). */
export function localMonthString(date: Date): string {
  return localDateString(date).slice(0, 7);
}

/** Parses `YYYY-MM-DD` as the Shenzhen local midnight of that day; null when malformed. */
export function parseLocalDate(value: string): Date | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!m) return null;
  const utc = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  const date = new Date(utc - SHENZHEN_OFFSET_MS);
  return localDateString(date) === value ? date : null;
}

/** The first instant of the Shenzhen calendar month containing `date`. */
export function startOfLocalMonth(date: Date): Date {
  const p = localParts(date);
  return new Date(Date.UTC(p.year, p.month - 1, 1) - SHENZHEN_OFFSET_MS);
}
