/**
 * Calendar arithmetic on Shenzhen `YYYY-MM-DD` dates. Nights and stays are calendar days, not
 * instants, so they are kept as strings (which also sort and compare correctly as text).
 */
const DAY_MS = 24 * 3600 * 1000;

function toUtc(date: string): number {
  const [y, m, d] = date.split('-').map(Number);
  return Date.UTC(y, m - 1, d);
}

function fromUtc(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

export function addCalendarDays(date: string, days: number): string {
  return fromUtc(toUtc(date) + days * DAY_MS);
}

/** Whole days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: string, to: string): number {
  return Math.round((toUtc(to) - toUtc(from)) / DAY_MS);
}

/** The same day `months` later or earlier, clamped to the month's end (29 Feb + 12 months → 28 Feb). */
export function addCalendarMonths(date: string, months: number): string {
  const [y, m, d] = date.split('-').map(Number);
  const first = new Date(Date.UTC(y, m - 1 + months, 1));
  const lastDay = new Date(Date.UTC(first.getUTCFullYear(), first.getUTCMonth() + 1, 0)).getUTCDate();
  first.setUTCDate(Math.min(d, lastDay));
  return fromUtc(first.getTime());
}

/** The nights of a stay: the check-in date and the following days, `nights` of them. */
export function nightsOf(checkInDate: string, nights: number): string[] {
  return Array.from({ length: nights }, (_, i) => addCalendarDays(checkInDate, i));
}
