import { Schema } from 'mongoose';
import type { HostelBedDoc } from './types';

export const BED_MODEL = 'HostelBed';

export const bedSchema = new Schema<HostelBedDoc>(
  {
    _id: { type: String, required: true },
    hostelId: { type: String, required: true },
    code: { type: String, required: true },
    room: { type: String, required: true },
    gender: { type: String, enum: ['MALE', 'FEMALE', null], default: null },
    closedAt: { type: Date, default: null },
  },
  { collection: 'hostel_beds', versionKey: false },
);
// A bed's label is unique within its hostel; the index also serves "beds of a hostel, in order".
bedSchema.index({ hostelId: 1, code: 1 }, { unique: true });
