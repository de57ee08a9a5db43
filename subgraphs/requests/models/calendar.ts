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

export function calendarDayModel(conn: Connection): Model<CalendarDayDoc> {
  return (conn.models.CalendarDay as Model<CalendarDayDoc>) ?? conn.model<CalendarDayDoc>('CalendarDay', daySchema, 'calendar_days');
}


export function calendarNoticeModel(conn: Connection): Model<CalendarNoticeDoc> {
  return (conn.models.CalendarNotice as Model<CalendarNoticeDoc>) ?? conn.model<CalendarNoticeDoc>('CalendarNotice', noticeSchema, 'calendar_notices');
}
