import { badInput } from '../../../shared/platform/errors';
import { WorkingCalendar, type CalendarDay, type CalendarDayKind } from '../../../shared/subgraph/calendar';
import { isWorkingDay, localParts, parseLocalDate, addDays } from '../../../shared/subgraph/time';
import { text } from '../../../shared/subgraph/text';

/** The years the calendar can be edited and read for: far enough either way for any deadline. */
export const CALENDAR_MIN_YEAR = 2000;
export const CALENDAR_MAX_YEAR = 2100;
export const CALENDAR_NAME_MAX = 30;

const WEEKDAYS = ['', '星期一', '星期二', '星期三', '星期四', '星期五', '星期六', '星期日'];

export function calendarYear(field: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < CALENDAR_MIN_YEAR || value > CALENDAR_MAX_YEAR) {
    throw badInput(field, `must be a year from ${CALENDAR_MIN_YEAR} to ${CALENDAR_MAX_YEAR}`);
  }
  return value;
}

/** A calendar date `YYYY-MM-DD` that exists, within the editable years; returns it with its Shenzhen midnight. */
export function calendarDate(field: string, value: unknown): { date: string; year: number; midnight: Date } {
  const midnight = typeof value === 'string' ? parseLocalDate(value) : null;
  if (!midnight) throw badInput(field, 'must be a real date written YYYY-MM-DD, such as 2026-10-01');
  const year = localParts(midnight).year;
  calendarYear(field, year);
  return { date: value as string, year, midnight };
}

/**
 * The rules of one special day: a WORKDAY only on a Saturday or Sunday (Monday to Friday already
 * are working days, so such an entry would say nothing); a HOLIDAY on any day, since the notices
 * list the weekend days inside a break too.
 */
export function checkCalendarDay(input: { date: unknown; kind: CalendarDayKind; name: unknown }): CalendarDay & { year: number } {
  const { date, year, midnight } = calendarDate('date', input.date);
  const name = text('name', input.name, { max: CALENDAR_NAME_MAX });
  const weekday = localParts(midnight).weekday;
  if (input.kind === 'WORKDAY' && weekday <= 5) {
    throw badInput('kind', `${date} is a ${WEEKDAYS[weekday]}, already a working day; WORKDAY is for a Saturday or Sunday made a working day (调休上班)`);
  }
  return { date, year, kind: input.kind, name };
}

/** Working days of `year` by a calendar holding that year's special days. */
export function workingDayCount(year: number, days: CalendarDay[]): number {
  const calendar = new WorkingCalendar(days);
  let count = 0;
  for (let d = parseLocalDate(`${year}-01-01`)!; localParts(d).year === year; d = addDays(d, 1)) {
    if (isWorkingDay(d, calendar)) count += 1;
  }
  return count;
}
