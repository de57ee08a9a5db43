import { Schema, type Connection, type Model, type Types } from 'mongoose';
import { Double } from './double';

/**
 * One line of the verified-hours ledger: a credit (the organiser's verification of a sign-up) or
 * an approved correction of it. Entries are only ever inserted: every total (a volunteer's verified
 * hours and star level, a team's hours, a community's hours this month) is summed from them, and
 * the model refuses every update and delete, so a credited hour cannot be changed after the fact —
 * only corrected by a further, approved, entry that says why and by whom.
 *
 * `_id` is `<signUpId>#<seq>`: the credit is `#0`, each correction the next number. The unique `_id`
 * is the claim: two verifications, or two approvals computing their change from the same total,
 * cannot both be written.
 */
export interface HoursEntryDoc {
  _id: string;
  kind: 'CREDIT' | 'CORRECTION';
  signUpId: Types.ObjectId;
  seq: number;
  residentId: string;
  activityId: Types.ObjectId;
  communityCode: string;
  teamId: string | null;
  /** Hours this entry adds (a correction's may be negative); the sign-up's total is the sum. */
  hours: number;
  /** The sign-up's credited total after this entry. */
  total: number;
  /** A correction's reason; null for a credit. */
  reason: string | null;
  /** Who verified, or who asked for the correction. */
  by: string;
  /** A correction's approver: a second organiser. */
  approvedBy: string | null;
  correctionId: Types.ObjectId | null;
  at: Date;
  /**
   * The Shenzhen month (YYYY-MM) of `at`: a community's hours this month are read with one
   * equality on (communityCode, month), pushed down on FerretDB, instead of a range on `at` that
   * reads the community's whole history. Derived, never a figure; lines written before it
   * existed get it at start-up (`backfillEntryMonths`).
   */
  month: string;
}

const schema = new Schema<HoursEntryDoc>(
  {
    _id: { type: String, required: true },
    kind: { type: String, required: true, enum: ['CREDIT', 'CORRECTION'] },
    signUpId: { type: Schema.Types.ObjectId, required: true },
    seq: { type: Number, required: true },
    residentId: { type: String, required: true },
    activityId: { type: Schema.Types.ObjectId, required: true },
    communityCode: { type: String, required: true },
    teamId: { type: String, default: null },
    hours: { type: Double, required: true },
    total: { type: Double, required: true },
    reason: { type: String, default: null },
    by: { type: String, required: true },
    approvedBy: { type: String, default: null },
    correctionId: { type: Schema.Types.ObjectId, default: null },
    at: { type: Date, required: true },
    month: { type: String, required: true },
  },
  { collection: 'volunteer_hours_ledger', versionKey: false },
);
schema.index({ residentId: 1 });
schema.index({ signUpId: 1, seq: 1 });
schema.index({ teamId: 1 });
schema.index({ communityCode: 1, month: 1 });

// Insert-only: no code path may change or remove a ledger line through the model.
const WRITES = ['updateOne', 'updateMany', 'findOneAndUpdate', 'replaceOne', 'findOneAndReplace', 'deleteOne', 'deleteMany', 'findOneAndDelete'] as const;
for (const op of WRITES) {
  schema.pre(op, function refuse() {
    throw new Error(`volunteer_hours_ledger is insert-only: ${op} refused`);
  });
}
schema.pre('save', function refuseResave() {
  if (!this.isNew) throw new Error('volunteer_hours_ledger is insert-only: save of an existing entry refused');
});

export type HoursEntryModel = Model<HoursEntryDoc>;

export function hoursEntryModel(conn: Connection): HoursEntryModel {
  return (conn.models.VolunteerHoursEntry as HoursEntryModel) ?? conn.model<HoursEntryDoc>('VolunteerHoursEntry', schema);
}
