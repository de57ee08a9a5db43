import { Schema } from 'mongoose';
import { SLOT_INDEXES } from '../../../shared/subgraph/slots';
import type { ActiveSlotDoc } from './types';

export const ACTIVE_SLOT_MODEL = 'HostelActiveSlot';

// The resident's one active stay as a kit slot (takeSlot): scope `active:<residentId>`, capacity 1,
// held by the stay. The unique (scope, slot) index is the "one active stay at a time" rule. Its
// own collection: the earlier `hostel_active_slots` (keyed by the resident id) is no longer read.
export const activeSlotSchema = new Schema<ActiveSlotDoc>(
  {
    scope: { type: String, required: true },
    slot: { type: Number, required: true },
    holder: { type: String, required: true },
    residentId: { type: String, required: true },
    stayId: { type: Schema.Types.ObjectId, required: true },
    since: { type: Date, required: true },
    idempotencyKey: { type: String },
  },
  { collection: 'hostel_active_stay_slots', versionKey: false },
);
for (const [fields, options] of SLOT_INDEXES) activeSlotSchema.index(fields, options);
