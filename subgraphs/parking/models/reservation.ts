import { Schema, Types, type Connection, type Model } from 'mongoose';

export const RESERVATION_STATUSES = ['CONFIRMED', 'CHECKED_IN', 'COMPLETED', 'CANCELLED', 'NO_SHOW'] as const;
export type ReservationStatus = (typeof RESERVATION_STATUSES)[number];

/** A booking or a walk-in session, as read with `lean()`. */
export interface ReservationRecord {
  _id: Types.ObjectId;
  lotId: string;
  /** Absent for walk-ins. */
  residentId?: string;
  plate: string;
  walkIn: boolean;
  status: ReservationStatus;
  arriveAt?: Date;
  entryWindowStart?: Date;
  entryWindowEnd?: Date;
  mustLeaveBy: Date;
  windowId: string;
  /** The space taken (models/space.ts); deleted to give it back. */
  spaceId: string;
  enteredAt?: Date;
  exitedAt?: Date;
  cancelledAt?: Date;
  lateCancellation: boolean;
  fee?: number;
  idempotencyKey?: string;
  /**
   * Unique-guard fields. FerretDB has no partial indexes, so each guard is a single field that is
   * present only while the rule applies (a sparse unique index skips documents without it):
   * - `activePlate`: the plate while CONFIRMED or CHECKED_IN — one active booking per plate;
   * - `idempotencyScope`: `<residentId>|<key>` — a retried booking returns the first one.
   * The daily limit is the kit's takeSlot in `parking_limit_slots` (domain dailyBookingScope).
   */
  activePlate?: string;
  idempotencyScope?: string;
  /** The kit's fingerprint of the input the key was first used with (createIdempotent). */
  idempotencyFingerprint?: string;
  /** Set from the service's clock (not mongoose timestamps), so tests that fix time see it. */
  createdAt: Date;
  updatedAt: Date;
}

const reservationSchema = new Schema<ReservationRecord>(
  {
    lotId: { type: String, required: true },
    residentId: { type: String },
    plate: { type: String, required: true },
    walkIn: { type: Boolean, default: false },
    status: { type: String, enum: RESERVATION_STATUSES, required: true },
    arriveAt: { type: Date },
    entryWindowStart: { type: Date },
    entryWindowEnd: { type: Date },
    mustLeaveBy: { type: Date, required: true },
    windowId: { type: String, required: true },
    spaceId: { type: String, required: true },
    enteredAt: { type: Date },
    exitedAt: { type: Date },
    cancelledAt: { type: Date },
    lateCancellation: { type: Boolean, default: false },
    fee: { type: Number },
    idempotencyKey: { type: String },
    activePlate: { type: String },
    idempotencyScope: { type: String },
    idempotencyFingerprint: { type: String },
    createdAt: { type: Date, required: true },
    updatedAt: { type: Date, required: true },
  },
  { collection: 'parking_reservations', versionKey: false },
);
reservationSchema.index({ activePlate: 1 }, { unique: true, sparse: true });
reservationSchema.index({ idempotencyScope: 1 }, { unique: true, sparse: true });
reservationSchema.index({ residentId: 1, createdAt: -1 });
reservationSchema.index({ status: 1, entryWindowEnd: 1 });
reservationSchema.index({ lotId: 1, plate: 1, status: 1 });

export type ReservationModel = Model<ReservationRecord>;

export function reservationModel(conn: Connection): ReservationModel {
  return (
    (conn.models.ParkingReservation as ReservationModel | undefined) ??
    conn.model<ReservationRecord>('ParkingReservation', reservationSchema)
  );
}
