import { Schema } from 'mongoose';
import type { BedNightDoc } from './types';

export const BED_NIGHT_MODEL = 'HostelBedNight';

export const bedNightSchema = new Schema<BedNightDoc>(
  {
    hostelId: { type: String, required: true },
    bedId: { type: String, required: true },
    night: { type: String, required: true },
    stayId: { type: Schema.Types.ObjectId, required: true },
  },
  { collection: 'hostel_bed_nights', versionKey: false },
);
// The rule "a bed is never double-booked": the second insert of a (bed, night) fails with 11000.
bedNightSchema.index({ bedId: 1, night: 1 }, { unique: true });
// Free beds tonight for a list of hostels, in one query.
bedNightSchema.index({ hostelId: 1, night: 1 });
// Releasing a stay's nights.
bedNightSchema.index({ stayId: 1, night: 1 });
