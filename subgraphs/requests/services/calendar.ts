import type { Viewer } from '../../../shared/platform/auth';
import { requireRole } from '../../../shared/platform/auth';
import { notFound } from '../../../shared/platform/errors';
import { builtInCalendarDays, type CalendarDay, type CalendarDayKind } from '../../../shared/subgraph/calendar';
import { isDuplicateKey } from '../../../shared/subgraph/unique';
import type { ReferenceData } from '../../../shared/subgraph/reference-data';
import { calendarDate, calendarYear as checkYear, checkCalendarDay } from '../domain/calendar';
import type { CalendarDayDoc, Models } from '../models';

/** The working calendar as this replica keeps it: loaded from `calendar_days`, shared across replicas. */
export type CalendarSync = ReferenceData<CalendarDay[]>;

export interface WorkingCalendarYearParent {
  year: number;
  days: CalendarDayDoc[];
}

interface CalendarServiceContext {
  viewer: Viewer;
  models: Models;
  clock: () => Date;
  calendarSync: CalendarSync;
}

/** Who wrote the days that come from the State Council notices. */
export const NOTICE_AUTHOR = 'system';

/**
 * Stores the built-in notices' days, once per notice year: a year already stored is left alone,
 * so an admin's edits (a cleared day included) survive restarts; a day an admin set before the
 * notice year was stored is kept too (inserted only where absent). Safe in racing replicas.
 */
export async function seedCalendarFromNotices(models: Models, now: Date): Promise<number> {
  const byYear = new Map<number, CalendarDay[]>();
  for (const d of builtInCalendarDays()) {
    const year = Number(d.date.slice(0, 4));
    byYear.set(year, [...(byYear.get(year) ?? []), d]);
  }
  let stored = 0;
  for (const [year, days] of byYear) {
    if (await models.CalendarNotice.exists({ _id: year })) continue;
    const ops = days.map((d) => ({
      updateOne: {
        filter: { _id: d.date },
        update: { $setOnInsert: { _id: d.date, year, kind: d.kind, name: d.name, updatedBy: NOTICE_AUTHOR, updatedAt: now } },
        upsert: true,
      },
    }));
    try {
      const res = await models.CalendarDay.bulkWrite(ops, { ordered: false });
      stored += res.upsertedCount;
    } catch (err) {
      // Another replica inserted the same day meanwhile: its copy is the same notice day.
      if (!isDuplicateKey(err)) throw err;
    }
    try {
      await models.CalendarNotice.create({ _id: year, storedAt: now });
    } catch (err) {
      if (!isDuplicateKey(err)) throw err;
    }
  }
  return stored;
}

/** Every stored special day: the whole calendar (a few hundred days), as the sync installs it. */
export async function loadCalendarDays(models: Models): Promise<CalendarDay[]> {
  const docs = await models.CalendarDay.find({}, { kind: 1, name: 1 }).lean();
  return docs.map((d) => ({ date: d._id, kind: d.kind, name: d.name }));
}

export async function workingCalendarYear(models: Models, year: unknown): Promise<WorkingCalendarYearParent> {
  const y = checkYear('year', year);
  const days = await models.CalendarDay.find({ year: y }).lean();
  days.sort((a, b) => (a._id < b._id ? -1 : 1));
  return { year: y, days };
}

/** Admins: sets one special day, audits it, and has every replica count with it before answering. */
export async function setCalendarDay(ctx: CalendarServiceContext, input: { date: unknown; kind: CalendarDayKind; name: unknown }): Promise<WorkingCalendarYearParent> {
  const day = checkCalendarDay(input);
  requireRole(ctx.viewer, 'admin');
  const now = ctx.clock();
  const previous = await ctx.models.CalendarDay.findById(day.date).lean();
  await ctx.models.CalendarDay.replaceOne(
    { _id: day.date },
    { _id: day.date, year: day.year, kind: day.kind, name: day.name, updatedBy: ctx.viewer.subject, updatedAt: now },
    { upsert: true },
  );
  await ctx.models.CalendarChange.create({
    date: day.date,
    year: day.year,
    action: 'SET',
    kind: day.kind,
    name: day.name,
    previousKind: previous?.kind ?? null,
    previousName: previous?.name ?? null,
    by: ctx.viewer.subject,
    at: now,
  });
  await ctx.calendarSync.changed({ date: day.date });
  return workingCalendarYear(ctx.models, day.year);
}

/** Admins: makes a special day regular again; NOT_FOUND when it is not special. */
export async function clearCalendarDay(ctx: CalendarServiceContext, input: { date: unknown }): Promise<WorkingCalendarYearParent> {
  const { date, year } = calendarDate('date', input.date);
  const previous = await ctx.models.CalendarDay.findById(date).lean();
  if (!previous) {
    const err = notFound('CalendarDay', date);
    Object.assign(err.extensions, { field: 'date', reason: `${date} is a regular day: nothing to clear` });
    throw err;
  }
  requireRole(ctx.viewer, 'admin');
  await ctx.models.CalendarDay.deleteOne({ _id: date });
  await ctx.models.CalendarChange.create({
    date,
    year,
    action: 'CLEAR',
    kind: null,
    name: null,
    previousKind: previous.kind,
    previousName: previous.name,
    by: ctx.viewer.subject,
    at: ctx.clock(),
  });
  await ctx.calendarSync.changed({ date });
  return workingCalendarYear(ctx.models, year);
}

/** The year's edits, newest first (ties on `at`, as under a fixed clock, by insertion order); admins only. */
export async function calendarChanges(models: Models, viewer: Viewer, year: number) {
  requireRole(viewer, 'admin');
  return models.CalendarChange.find({ year }).sort({ at: -1, _id: -1 }).limit(500).lean();
}
