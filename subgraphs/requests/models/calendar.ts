import { Schema, Types, type Connection, type Model } from 'mongoose';
import type { CalendarDayKind } from '../../../shared/subgraph/calendar';

/** A special day of the working calendar: a holiday, or a weekend made a working day (调休). */
export interface CalendarDayDoc {
  /** The Shenzhen date `YYYY-MM-DD`: one entry per day, whoever writes it. */
  _id: string;
  /** The date's year, so a year's days are one equality query. */
  year: number;
  kind: CalendarDayKind;
  name: string;
  /** Who last set it: `system` for the State Council notices seeded at start, else the admin's account. */
  updatedBy: string;
  updatedAt: Date;
}

/** Every admin edit of the calendar, kept for audit (the days themselves keep only the last). */
export interface CalendarChangeDoc {
  _id: Types.ObjectId;
  date: string;
  year: number;
  action: 'SET' | 'CLEAR';
  /** The day after the change (null for CLEAR) and before it (null when it was a regular day). */
  kind?: CalendarDayKind | null;
  name?: string | null;
  previousKind?: CalendarDayKind | null;
  previousName?: string | null;
  by: string;
  at: Date;
}

/** A notice year whose days are stored: the seed stores a year once, so later edits stand. */
export interface CalendarNoticeDoc {
  /** The notice's year. */
  _id: number;
  storedAt: Date;
}

const noticeSchema = new Schema<CalendarNoticeDoc>({ _id: Number, storedAt: { type: Date, required: true } }, { versionKey: false });

const daySchema = new Schema<CalendarDayDoc>(
  {
    _id: String,
    year: { type: Number, required: true, index: true },
    kind: { type: String, required: true, enum: ['HOLIDAY', 'WORKDAY'] },
    name: { type: String, required: true },
    updatedBy: { type: String, required: true },
    updatedAt: { type: Date, required: true },
  },
  { versionKey: false },
);

const changeSchema = new Schema<CalendarChangeDoc>(
  {
    date: { type: String, required: true },
    year: { type: Number, required: true, index: true },
    action: { type: String, required: true, enum: ['SET', 'CLEAR'] },
    kind: { type: String, default: null },
    name: { type: String, default: null },
    previousKind: { type: String, default: null },
    previousName: { type: String, default: null },
    by: { type: String, required: true },
    at: { type: Date, required: true },
  },
  { versionKey: false },
);

export function calendarDayModel(conn: Connection): Model<CalendarDayDoc> {
  return (conn.models.CalendarDay as Model<CalendarDayDoc>) ?? conn.model<CalendarDayDoc>('CalendarDay', daySchema, 'calendar_days');
}

export function calendarChangeModel(conn: Connection): Model<CalendarChangeDoc> {
  return (conn.models.CalendarChange as Model<CalendarChangeDoc>) ?? conn.model<CalendarChangeDoc>('CalendarChange', changeSchema, 'calendar_changes');
}

export function calendarNoticeModel(conn: Connection): Model<CalendarNoticeDoc> {
  return (conn.models.CalendarNotice as Model<CalendarNoticeDoc>) ?? conn.model<CalendarNoticeDoc>('CalendarNotice', noticeSchema, 'calendar_notices');
}
