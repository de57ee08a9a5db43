import type { Viewer } from '../../../shared/platform/auth';
import { requireRole } from '../../../shared/platform/auth';
import { notFound } from '../../../shared/platform/errors';
import { readAudit, recordAudit, type AuditEntryDoc } from '../../../shared/subgraph/audit';
import { builtInCalendarDays, type CalendarDay, type CalendarDayKind } from '../../../shared/subgraph/calendar';
import { isDuplicateKey } from '../../../shared/subgraph/unique';
import type { ReferenceData } from '../../../shared/subgraph/reference-data';
import { calendarDate, calendarYear as checkYear, checkCalendarDay } from '../domain/calendar';
import type { CalendarDayDoc, Models } from '../models';
import type { RequestsService } from './deps';

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
export async function seedCalendarFromNotices(ctx: Pick<RequestsService, 'models' | 'clock'>): Promise<number> {
  const { models } = ctx;
  const now = ctx.clock();
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
export async function loadCalendarDays(ctx: Pick<RequestsService, 'models'>): Promise<CalendarDay[]> {
  const { models } = ctx;
  const docs = await models.CalendarDay.find({}, { kind: 1, name: 1 }).lean();
  return docs.map((d) => ({ date: d._id, kind: d.kind, name: d.name }));
}

export async function workingCalendarYear(ctx: Pick<RequestsService, 'models'>, input: { year: unknown }): Promise<WorkingCalendarYearParent> {
  const { year } = input;
  const { models } = ctx;
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
  await recordCalendarChange(ctx, now, 'SET', day.date, day.year, previous, { kind: day.kind, name: day.name });
  await ctx.calendarSync.changed({ date: day.date });
  return workingCalendarYear(ctx, { year: day.year });
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
  await recordCalendarChange(ctx, ctx.clock(), 'CLEAR', date, year, previous, null);
  await ctx.calendarSync.changed({ date });
  return workingCalendarYear(ctx, { year });
}

/**
 * One calendar edit in the subgraph's audit trail. The record changed is the year's calendar
 * (`WorkingCalendarYear`, id the year), so a year's edits are one pushed-down equality; the day
 * before and after is in `before`/`after`.
 */
async function recordCalendarChange(
  ctx: CalendarServiceContext,
  at: Date,
  action: CalendarChangeAction,
  date: string,
  year: number,
  previous: { kind: CalendarDayKind; name: string } | null,
  next: { kind: CalendarDayKind; name: string } | null,
): Promise<void> {
  const label = (d: { kind: CalendarDayKind; name: string } | null) => (d ? `${d.kind === 'HOLIDAY' ? '假日' : '调休上班日'}「${d.name}」` : '普通日');
  await recordAudit(ctx.models.Audit, ctx.viewer, at, {
    action: CALENDAR_ACTIONS[action],
    entityType: 'WorkingCalendarYear',
    entityId: String(year),
    before: { date, kind: previous?.kind ?? null, name: previous?.name ?? null },
    after: { date, kind: next?.kind ?? null, name: next?.name ?? null },
    summary: `${date}: ${label(previous)} → ${label(next)}`,
  });
}

type CalendarChangeAction = 'SET' | 'CLEAR';
const CALENDAR_ACTIONS: Record<CalendarChangeAction, string> = { SET: 'SET_CALENDAR_DAY', CLEAR: 'CLEAR_CALENDAR_DAY' };

/** The GraphQL `CalendarChange` of an audit entry: the day after (`kind`, `name`) and before. */
export function calendarChangeOf(e: AuditEntryDoc) {
  const before = (e.before ?? {}) as { date?: string; kind?: CalendarDayKind | null; name?: string | null };
  const after = (e.after ?? {}) as typeof before;
  return {
    date: after.date ?? before.date ?? '',
    action: (e.action === CALENDAR_ACTIONS.CLEAR ? 'CLEAR' : 'SET') as CalendarChangeAction,
    kind: after.kind ?? null,
    name: after.name ?? null,
    previousKind: before.kind ?? null,
    previousName: before.name ?? null,
    by: e.actor,
    at: e.at,
  };
}

/** The year's edits, newest first (ties on `at`, as under a fixed clock, by insertion order), at most 200; admins only. */
export async function calendarChanges(ctx: RequestsService, input: { year: number }) {
  const { year } = input;
  const { models, viewer } = ctx;
  const now = ctx.clock();
  const entries = await readAudit(models.Audit, viewer, { entityType: 'WorkingCalendarYear', entityId: String(year), limit: 200 }, now);
  return entries.map(calendarChangeOf);
}
