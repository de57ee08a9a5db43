import { isAdmin } from '../../../shared/platform/auth';
import type { CalendarChangeResolvers, CalendarDayResolvers, MutationResolvers, QueryResolvers, WorkingCalendarYearResolvers } from '../generated/graphql';
import { workingDayCount } from '../domain/calendar';
import { calendarChanges, clearCalendarDay, setCalendarDay, workingCalendarYear } from '../services/calendar';

/** The working calendar's root fields, merged into Query and Mutation in `index.ts`. */
export const CalendarQuery: Pick<QueryResolvers, 'workingCalendar'> = {
  workingCalendar: (_, { year }, ctx) => workingCalendarYear(ctx, { year }),
};

export const CalendarMutation: Pick<MutationResolvers, 'setCalendarDay' | 'clearCalendarDay'> = {
  setCalendarDay: (_, { date, kind, name }, ctx) => setCalendarDay(ctx, { date, kind, name }),
  clearCalendarDay: (_, { date }, ctx) => clearCalendarDay(ctx, { date }),
};

export const WorkingCalendarYear: WorkingCalendarYearResolvers = {
  year: (y) => y.year,
  days: (y) => y.days,
  workingDayCount: (y) => workingDayCount(y.year, y.days.map((d) => ({ date: d._id, kind: d.kind, name: d.name }))),
  changes: (y, _, ctx) => calendarChanges(ctx, { year: y.year }),
};

export const CalendarDay: CalendarDayResolvers = {
  date: (d) => d._id,
  // Which admin edited the calendar is for admins; the days themselves are public.
  updatedAt: (d, _, ctx) => (isAdmin(ctx.viewer) ? d.updatedAt : null),
  updatedBy: (d, _, ctx) => (isAdmin(ctx.viewer) ? d.updatedBy : null),
};

export const CalendarChange: CalendarChangeResolvers = {};
