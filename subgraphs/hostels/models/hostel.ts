import { Schema } from 'mongoose';
import type { HostelDoc } from './types';

export const HOSTEL_MODEL = 'Hostel';

export const hostelSchema = new Schema<HostelDoc>(
  {
    _id: { type: String, required: true },
    name: { type: String, required: true },
    address: { type: String, required: true },
    communityCode: { type: String, required: true },
    districtCode: { type: String, required: true },
    lat: Number,
    lng: Number,
    phone: String,
    totalBeds: { type: Number, required: true, min: 0 },
    services: { type: [String], default: [] },
    hongKongMacaoDesk: { type: Boolean, default: false },
    operatorId: String,
    closedAt: { type: Date, default: null },
  },
  { collection: 'hostels', versionKey: false },
);
hostelSchema.index({ communityCode: 1 });
hostelSchema.index({ districtCode: 1 });
hostelSchema.index({ operatorId: 1 });
