import { Schema } from 'mongoose';
import { STAY_STATUSES } from './stay';
import type { StayTransitionDoc } from './types';

export const TRANSITION_MODEL = 'HostelStayTransition';

export const transitionSchema = new Schema<StayTransitionDoc>(
  {
    stayId: { type: Schema.Types.ObjectId, required: true },
    from: { type: String, enum: STAY_STATUSES, required: true },
    to: { type: String, enum: STAY_STATUSES, required: true },
    at: { type: Date, required: true },
    by: { type: String, required: true },
  },
  { collection: 'hostel_stay_transitions', versionKey: false },
);
// Each status is left once: the second of two racing actions gets a duplicate key and loses.
transitionSchema.index({ stayId: 1, from: 1 }, { unique: true });
