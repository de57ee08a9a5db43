import { Schema, type Connection, type Model } from 'mongoose';

export interface ResidentDoc {
  /** R-DEMO-0001, R-0002, … */
  _id: string;
  name: string;
  phone?: string | null;
  /** The 18-digit resident ID number; its birth date drives welfare eligibility. Never exposed. */
  idNumber?: string | null;
  homeCommunityCode?: string | null;
}

const residentSchema = new Schema<ResidentDoc>(
  {
    _id: String,
    name: { type: String, required: true },
    phone: String,
    idNumber: String,
    homeCommunityCode: { type: String, index: true },
  },
  { versionKey: false },
);

export function residentModel(conn: Connection): Model<ResidentDoc> {
  return (conn.models.Resident as Model<ResidentDoc>) ?? conn.model<ResidentDoc>('Resident', residentSchema, 'residents');
}
