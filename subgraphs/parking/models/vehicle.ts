import { Schema, Types, type Connection, type Model } from 'mongoose';

/** A plate a resident registered. A plate belongs to one resident at a time. */
export interface VehicleRecord {
  _id: Types.ObjectId;
  residentId: string;
  plate: string;
  createdAt: Date;
}

const vehicleSchema = new Schema<VehicleRecord>(
  {
    residentId: { type: String, required: true },
    plate: { type: String, required: true },
    createdAt: { type: Date, required: true },
  },
  { collection: 'parking_vehicles', versionKey: false },
);
vehicleSchema.index({ plate: 1 }, { unique: true });
vehicleSchema.index({ residentId: 1 });

export type VehicleModel = Model<VehicleRecord>;

export function vehicleModel(conn: Connection): VehicleModel {
  return (conn.models.ParkingVehicle as VehicleModel | undefined) ?? conn.model<VehicleRecord>('ParkingVehicle', vehicleSchema);
}
