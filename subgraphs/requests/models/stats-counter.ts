import { Schema, type Connection, type Model } from 'mongoose';

/**
 * The request figures of one scope (a community, street, district, department or parking lot;
 * the city's are its districts' summed), kept up to date by every change of a request, so a dashboard reads one document
 * instead of aggregating every request the scope ever received (FerretDB 1.24 pushes no `$group`
 * down: an aggregation decodes all of them, and grows with the city's history).
 *
 * `groups` counts requests per `<status>|<level>|<on time: 1, 0 or ->|<rating or ->`, what
 * `buildStats` folds into the figures. `nonce` changes with every write: a writer first claims
 * `stats:<_id>:<nonce>` (a unique insert, see claims.ts), so concurrent writers never overwrite
 * each other's counts, on FerretDB (whose `$inc` reads and rewrites the document without a lock)
 * and on MongoDB alike.
 */
export interface StatsCounterDoc {
  /** `<field>:<key>`, e.g. `communityCode:440303003001`. */
  _id: string;
  /** The field part of `_id` (`communityCode`, …): all lots' counters are one pushed-down equality. */
  scope: string;
  nonce: string;
  groups: Record<string, number>;
}

const statsCounterSchema = new Schema<StatsCounterDoc>(
  { _id: String, scope: { type: String, required: true, index: true }, nonce: { type: String, required: true }, groups: { type: Schema.Types.Mixed, default: {} } },
  { versionKey: false, minimize: false },
);

export function statsCounterModel(conn: Connection): Model<StatsCounterDoc> {
  return (conn.models.RequestStatsCounter as Model<StatsCounterDoc>) ?? conn.model<StatsCounterDoc>('RequestStatsCounter', statsCounterSchema, 'request_stats_counters');
}
