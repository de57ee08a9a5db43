import { Schema } from 'mongoose';
import type { HostelStayDoc } from './types';

export const STAY_MODEL = 'HostelStay';

export const STAY_STATUSES = ['RESERVED', 'CHECKED_IN', 'CHECKED_OUT', 'CANCELLED', 'NO_SHOW'] as const;

export const staySchema = new Schema<HostelStayDoc>(
  {
    residentId: { type: String, required: true },
    hostelId: { type: String, required: true },
    bedId: { type: String, required: true },
    status: { type: String, enum: STAY_STATUSES, required: true },
    checkInDate: { type: String, required: true },
    checkOutDate: { type: String, required: true },
    nights: { type: Number, required: true, min: 1 },
    graduationDate: { type: String, required: true },
    school: { type: String, required: true },
    hongKongMacaoYouth: { type: Boolean, default: false },
    // Always set, so the unique index below needs no partial filter (FerretDB 1.24 has none):
    // the client's key when given, otherwise one derived from the stay's own id.
    idempotencyKey: { type: String, required: true },
    idempotencyFingerprint: String,
    createdAt: { type: Date, required: true },
    checkedInAt: Date,
    checkedOutAt: Date,
    cancelledAt: Date,
    noShowAt: Date,
  },
  { collection: 'hostel_stays', versionKey: false },
);
staySchema.index({ residentId: 1, createdAt: -1 });
staySchema.index({ hostelId: 1, status: 1 });
// The no-show sweep: RESERVED stays whose check-in day is over.
staySchema.index({ status: 1, checkInDate: 1 });
// A retried application with the same key finds the first stay; a second copy is refused.
staySchema.index({ residentId: 1, idempotencyKey: 1 }, { unique: true });
