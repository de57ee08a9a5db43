import { Schema, type Connection, type Model } from 'mongoose';
import type { CannotDoOutcome, CannotDoRootCause } from '../domain/cannot-do';

/**
 * The service hall's finding on one 事办不成 case (a walk-in request). `_id` is the request's id:
 * the insert is the once-only recording (a second one fails on `_id`), and the request document,
 * which lifecycle steps rewrite under their own version claims, is never touched by it.
 */
export interface CannotDoCaseDoc {
  /** The request's id (hex). */
  _id: string;
  streetCode: string;
  /** `YYYY-MM` (Shenzhen) of the request's submission: the month its figures count in. */
  month: string;
  itemCode: string;
  categoryCode: string;
  rootCause: CannotDoRootCause;
  outcome: CannotDoOutcome;
  note?: string | null;
  recordedAt: Date;
  /** The clerk's account (token subject). */
  recordedBy: string;
}

const cannotDoSchema = new Schema<CannotDoCaseDoc>(
  {
    _id: String,
    streetCode: { type: String, required: true },
    month: { type: String, required: true },
    itemCode: { type: String, required: true },
    categoryCode: { type: String, required: true },
    rootCause: { type: String, required: true },
    outcome: { type: String, required: true },
    note: String,
    recordedAt: { type: Date, required: true },
    recordedBy: { type: String, required: true },
  },
  { versionKey: false },
);

export function cannotDoCaseModel(conn: Connection): Model<CannotDoCaseDoc> {
  return (conn.models.CannotDoCase as Model<CannotDoCaseDoc>) ?? conn.model<CannotDoCaseDoc>('CannotDoCase', cannotDoSchema, 'cannot_do_cases');
}
