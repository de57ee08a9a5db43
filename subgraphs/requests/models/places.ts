import { Schema, type Connection, type Model } from 'mongoose';

/** Districts, streets and communities use their division code as `_id`: it is their natural key. */
export interface DistrictDoc {
  _id: string;
  name: string;
  nameEn?: string | null;
  order: number;
}

export interface StreetDoc {
  _id: string;
  name: string;
  districtCode: string;
}

export interface CommunityDoc {
  _id: string;
  name: string;
  streetCode: string;
  districtCode: string;
  lat?: number | null;
  lng?: number | null;
}

const districtSchema = new Schema<DistrictDoc>(
  { _id: String, name: { type: String, required: true }, nameEn: String, order: { type: Number, default: 0 } },
  { versionKey: false },
);

const streetSchema = new Schema<StreetDoc>(
  { _id: String, name: { type: String, required: true }, districtCode: { type: String, required: true, index: true } },
  { versionKey: false },
);

const communitySchema = new Schema<CommunityDoc>(
  {
    _id: String,
    name: { type: String, required: true },
    streetCode: { type: String, required: true, index: true },
    districtCode: { type: String, required: true, index: true },
    lat: Number,
    lng: Number,
  },
  { versionKey: false },
);

export function districtModel(conn: Connection): Model<DistrictDoc> {
  return (conn.models.District as Model<DistrictDoc>) ?? conn.model<DistrictDoc>('District', districtSchema, 'districts');
}

export function streetModel(conn: Connection): Model<StreetDoc> {
  return (conn.models.Street as Model<StreetDoc>) ?? conn.model<StreetDoc>('Street', streetSchema, 'streets');
}

export function communityModel(conn: Connection): Model<CommunityDoc> {
  return (conn.models.Community as Model<CommunityDoc>) ?? conn.model<CommunityDoc>('Community', communitySchema, 'communities');
}
