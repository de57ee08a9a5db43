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

export type StationKind = 'U_STATION' | 'REST_HOUSE';
export const STATION_AMENITIES = ['CHARGING', 'DRINKING_WATER', 'MICROWAVE', 'AIR_CONDITIONING', 'WIFI', 'BOOKSHELF', 'REST_AREA', 'FIRST_AID_KIT'] as const;
export type StationAmenity = (typeof STATION_AMENITIES)[number];

/** A recurring activity or training a station holds (歇脚屋: reading, social evenings, first aid). */
export interface StationProgramme {
  kind: 'ACTIVITY' | 'TRAINING';
  title: string;
  /** When it is held, as people say it ("每月第一个周六晚上"). */
  schedule?: string | null;
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
  /** U_STATION when absent (stations stored before 歇脚屋 existed). */
  kind?: StationKind;
  amenities?: StationAmenity[];
  /** Open round the clock every day. */
  open24h?: boolean;
  /** Runs without staff (cameras, automatic door, face recognition). */
  unattended?: boolean;
  programmes?: StationProgramme[];
  /** Set by an admin's closeVolunteerStation: out of lists and searches, no ledger writes. */
  closedAt?: Date | null;
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
    kind: { type: String, enum: ['U_STATION', 'REST_HOUSE'], default: 'U_STATION' },
    amenities: { type: [String], default: [] },
    open24h: { type: Boolean, default: false },
    unattended: { type: Boolean, default: false },
    programmes: [{ _id: false, kind: { type: String, enum: ['ACTIVITY', 'TRAINING'] }, title: String, schedule: String }],
    closedAt: { type: Date, default: null },
  },
  { collection: 'volunteer_stations', versionKey: false },
);
schema.index({ communityCode: 1 });
// Range queries on a search's bounding box (FerretDB has no geo index), and the list by kind.
schema.index({ lat: 1, lng: 1 });
schema.index({ kind: 1 });

export type StationModel = Model<StationDoc>;

export function stationModel(conn: Connection): StationModel {
  return (conn.models.VolunteerStation as StationModel) ?? conn.model<StationDoc>('VolunteerStation', schema);
}
