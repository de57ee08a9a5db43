import { Schema, type Connection, type Model } from 'mongoose';

export interface ResidentDoc {
  /** R-DEMO-0001, R-0002, … */
  _id: string;
  name: string;
  phone?: string | null;
  /** The 18-digit resident ID number; its birth date drives welfare eligibility. Never exposed. */
  idNumber?: string | null;
  homeCommunityCode?: string | null;
  /** Set by a desk clerk's verifyResidentRealName; absent on registrations not checked yet. */
  realNameVerified?: boolean;
  registeredAt?: Date | null;
  verifiedAt?: Date | null;
  /** The account that verified the real name. */
  verifiedBy?: string | null;
  /** Not stored: marks the stand-in `me` answers with for a resident not in the registry. */
  unregistered?: true;
}

const residentSchema = new Schema<ResidentDoc>(
  {
    _id: String,
    name: { type: String, required: true },
    phone: String,
    idNumber: String,
    homeCommunityCode: { type: String, index: true },
    realNameVerified: { type: Boolean, default: false },
    registeredAt: Date,
    verifiedAt: Date,
    verifiedBy: String,
  },
  { versionKey: false },
);

export function residentModel(conn: Connection): Model<ResidentDoc> {
  return (conn.models.Resident as Model<ResidentDoc>) ?? conn.model<ResidentDoc>('Resident', residentSchema, 'residents');
}
