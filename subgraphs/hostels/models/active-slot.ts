import { Schema } from 'mongoose';
import type { ActiveSlotDoc } from './types';

export const ACTIVE_SLOT_MODEL = 'HostelActiveSlot';

// Keyed by the resident id: the unique _id is the "one active stay at a time" rule.
export const activeSlotSchema = new Schema<ActiveSlotDoc>(
  {
    _id: { type: String, required: true },
    stayId: { type: Schema.Types.ObjectId, required: true },
    since: { type: Date, required: true },
    idempotencyKey: { type: String },
  },
  { collection: 'hostel_active_slots', versionKey: false },
);
