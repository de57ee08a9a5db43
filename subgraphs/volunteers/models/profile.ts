import { Schema, type Connection, type Model } from 'mongoose';
import { Double } from './double';

/** A resident registered as a volunteer. One per resident: the resident id is the document id. */
export interface ProfileDoc {
  _id: string;
  joinedAt: Date;
  /**
   * Verified hours carried over from the national volunteer registry (志愿中国 / 志愿深圳) when the
   * resident registered; hours verified in CityGraph are summed from sign-ups on top of these.
   */
  importedHours: number;
}

const schema = new Schema<ProfileDoc>(
  {
    _id: { type: String, required: true },
    joinedAt: { type: Date, required: true },
    importedHours: { type: Double, required: true, default: 0 },
  },
  { collection: 'volunteer_profiles', versionKey: false },
);

export type ProfileModel = Model<ProfileDoc>;

export function profileModel(conn: Connection): ProfileModel {
  return (conn.models.VolunteerProfile as ProfileModel) ?? conn.model<ProfileDoc>('VolunteerProfile', schema);
}
