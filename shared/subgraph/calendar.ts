import { HOLIDAY_NOTICES } from './holidays-cn';

/** How a special day departs from the Monday–Friday rule. */
export type CalendarDayKind = 'HOLIDAY' | 'WORKDAY';

/** A day that is not what its weekday says: a public holiday, or a weekend made a working day (调休). */
export interface CalendarDay {
  /** The Shenzhen date, `YYYY-MM-DD`. */
  date: string;
  kind: CalendarDayKind;
  /** The break it belongs to (春节, 国庆节…), or the admin's name for it. */
  name: string;
}

/**
 * The special days the working-day rules count with. Lookups are synchronous (deadlines are
 * computed inline everywhere), so the days live in memory and are replaced whole on a reload.
 */
export class WorkingCalendar {
  private days = new Map<string, CalendarDay>();

  constructor(days: Iterable<CalendarDay> = []) {
    this.replace(days);
  }

  /** The special day on `date` (`YYYY-MM-DD`), if any. */
  day(date: string): CalendarDay | undefined {
    return this.days.get(date);
  }

  /** Swaps in a whole new set of special days (a reload is never seen half-applied). */
  replace(days: Iterable<CalendarDay>): void {
    const next = new Map<string, CalendarDay>();
    for (const d of days) next.set(d.date, { date: d.date, kind: d.kind, name: d.name });
    this.days = next;
  }

  get size(): number {
    return this.days.size;
  }
}

/** Every day of the built-in notices (`holidays-cn.ts`), in date order. */
export function builtInCalendarDays(): CalendarDay[] {
  const out: CalendarDay[] = [];
  for (const notice of HOLIDAY_NOTICES) {
    for (const b of notice.breaks) {
      for (let d = b.off[0]; d <= b.off[1]; d = nextDate(d)) out.push({ date: d, kind: 'HOLIDAY', name: b.name });
      for (const w of b.work ?? []) out.push({ date: w, kind: 'WORKDAY', name: `${b.name}调休上班` });
    }
  }
  return out.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
}

/** The years the built-in notices cover. */
export const BUILT_IN_CALENDAR_YEARS: readonly number[] = HOLIDAY_NOTICES.map((n) => n.year);

function nextDate(date: string): string {
  const [y, m, d] = date.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, d + 1)).toISOString().slice(0, 10);
}

/**
 * The process-wide calendar `time.ts` counts working days with. It starts with the built-in
 * notices, so a deadline computed before the database answered is still holiday-aware; the
 * requests subgraph then keeps it equal to the stored calendar (loaded at start, reloaded on every
 * admin change in any replica and periodically; `subgraphs/requests/calendar-sync.ts`).
 */
export const workingCalendar = new WorkingCalendar(builtInCalendarDays());
