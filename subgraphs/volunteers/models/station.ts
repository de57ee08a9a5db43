import { Schema, type Connection, type Model } from 'mongoose';
import { Double } from './double';

/** One opening period repeated on some weekdays, with the volunteers rostered for it. */
export interface OpeningPeriod {
  /** ISO weekdays, 1 = Monday … 7 = Sunday. */
  weekdays: number[];
  opensAt: string;
  closesAt: string;
  volunteerIds: string[];
}

export interface StationDoc {
  _id: string;
  name: string;
  communityCode: string;
  /** The street office that runs the station; its staff may write the ledger. */
  managerDepartmentId: string;
  address: string;
  lat: number;
  lng: number;
  openingHours: OpeningPeriod[];
}

const schema = new Schema<StationDoc>(
  {
    _id: { type: String, required: true },
    name: { type: String, required: true },
    communityCode: { type: String, required: true },
    managerDepartmentId: { type: String, required: true },
    address: { type: String, required: true },
    lat: { type: Double, required: true },
    lng: { type: Double, required: true },
    openingHours: [
      {
        _id: false,
        weekdays: [Number],
        opensAt: String,
        closesAt: String,
        volunteerIds: [String],
      },
    ],
  },
  { collection: 'volunteer_stations', versionKey: false },
);
schema.index({ communityCode: 1 });

export type StationModel = Model<StationDoc>;

export function stationModel(conn: Connection): StationModel {
  return (conn.models.VolunteerStation as StationModel) ?? conn.model<StationDoc>('VolunteerStation', schema);
}
