import { Schema, type Connection, type Model } from 'mongoose';

/**
 * One document per state change that may happen only once (a request's step from version n, an
 * order's report, a push's answer). FerretDB 1.24 does not make a conditional findOneAndUpdate
 * atomic under concurrency, but it does enforce `_id` uniqueness, so inserting the claim decides
 * the single winner on FerretDB and MongoDB alike. The claims double as a log of applied steps.
 */
export interface ClaimDoc {
  _id: string;
  at: Date;
}

const claimSchema = new Schema<ClaimDoc>({ _id: String, at: { type: Date, required: true } }, { versionKey: false });

export function claimModel(conn: Connection): Model<ClaimDoc> {
  return (conn.models.Claim as Model<ClaimDoc>) ?? conn.model<ClaimDoc>('Claim', claimSchema, 'claims');
}
