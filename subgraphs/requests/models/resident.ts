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
  /** Derived from the ID number when stored, so policies find residents by equality (pushed down on FerretDB). */
  birthYear?: number | null;
  gender?: 'MALE' | 'FEMALE' | null;
  /** Care facts recorded by admins or the home community's workers (`setResidentCareFacts`). */
  livesAlone?: boolean | null;
  disability?: boolean | null;
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
    birthYear: Number,
    gender: String,
    livesAlone: Boolean,
    disability: Boolean,
  },
  { versionKey: false },
);
// Welfare policies look residents up by birth year (one equality per year of the age range), gender and care facts.
residentSchema.index({ birthYear: 1, gender: 1 });
residentSchema.index({ livesAlone: 1 });
residentSchema.index({ disability: 1 });

export function residentModel(conn: Connection): Model<ResidentDoc> {
  return (conn.models.Resident as Model<ResidentDoc>) ?? conn.model<ResidentDoc>('Resident', residentSchema, 'residents');
}
