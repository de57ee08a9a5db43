import { Schema, type Connection, type Model } from 'mongoose';

export const OWNER_TYPES = [
  'RESIDENTIAL_ESTATE',
  'INDUSTRIAL_PARK',
  'OFFICE_BUILDING',
  'HOSPITAL',
  'GOVERNMENT_OFFICE',
  'COMMERCIAL',
] as const;
export type OwnerType = (typeof OWNER_TYPES)[number];

/** A weekly sharing rule, as stored (see domain/windows.ts for what the times mean). */
export interface SharingWindow {
  id: string;
  days: number[];
  start: string;
  end: string;
  spaces: number;
  mustLeaveBy?: string | null;
}

/** A lot as read with `lean()`: `_id` is the public id (PL-DX-01). */
export interface LotRecord {
  _id: string;
  name: string;
  address: string;
  lat: number;
  lng: number;
  communityCode: string;
  streetCode: string;
  ownerType: OwnerType;
  ownerName: string;
  ownerDepartmentId?: string | null;
  totalSpaces: number;
  pricePerHour: number;
  freeFirstMinutes: number;
  windows: SharingWindow[];
  createdAt: Date;
  updatedAt: Date;
}

/** A lot with its distance from a searched point (parkingLotsNear only). */
export type LotWithDistance = LotRecord & { distanceMeters?: number };

const windowSchema = new Schema<SharingWindow>(
  {
    id: { type: String, required: true },
    days: { type: [Number], required: true },
    start: { type: String, required: true },
    end: { type: String, required: true },
    spaces: { type: Number, required: true, min: 0 },
    mustLeaveBy: { type: String },
  },
  { _id: false },
);

const lotSchema = new Schema<LotRecord>(
  {
    _id: { type: String, required: true },
    name: { type: String, required: true },
    address: { type: String, required: true },
    lat: { type: Number, required: true },
    lng: { type: Number, required: true },
    communityCode: { type: String, required: true },
    streetCode: { type: String, required: true },
    ownerType: { type: String, enum: OWNER_TYPES, required: true },
    ownerName: { type: String, required: true },
    ownerDepartmentId: { type: String },
    totalSpaces: { type: Number, required: true, min: 0 },
    pricePerHour: { type: Number, required: true, min: 0 },
    freeFirstMinutes: { type: Number, default: 0 },
    windows: { type: [windowSchema], default: [] },
  },
  { collection: 'parking_lots', timestamps: true, versionKey: false },
);
lotSchema.index({ communityCode: 1 });
lotSchema.index({ streetCode: 1 });
lotSchema.index({ ownerDepartmentId: 1 });
// Range queries on the bounding box of a search (FerretDB has no geo index).
lotSchema.index({ lat: 1, lng: 1 });

export type LotModel = Model<LotRecord>;

export function lotModel(conn: Connection): LotModel {
  return (conn.models.ParkingLot as LotModel | undefined) ?? conn.model<LotRecord>('ParkingLot', lotSchema);
}
