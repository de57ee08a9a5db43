import { Schema, Types, type Connection, type Model } from 'mongoose';
import type { EventAction, Rating, RequestStatus } from '../domain/lifecycle';
import type { Channel } from '../domain/channels';

/** One immutable step of the timeline. Steps are only ever appended (`$push`), never rewritten. */
export interface RequestEventDoc {
  at: Date;
  action: EventAction;
  actor: string;
  role: string;
  note?: string | null;
  status: RequestStatus;
  fromDepartmentId?: string | null;
  toDepartmentId?: string | null;
  /** Set on a supervision alert's entry: the alert's claim, so the entry is written once. */
  alertId?: string | null;
}

export interface EvaluationDoc {
  rating: Rating;
  comment?: string | null;
  at: Date;
}

export interface RequestDoc {
  _id: Types.ObjectId;
  number: string;
  /** The account that filed it (the viewer's subject): the idempotency scope. */
  submitterId: string;
  /** Set when a resident filed it. */
  residentId?: string | null;
  /** The client's key, or `auto:<id>` when none was sent (FerretDB has no partial indexes). */
  idempotencyKey: string;
  /** The kit's fingerprint of the input a client key was first used with (createIdempotent). */
  idempotencyFingerprint?: string;
  title: string;
  description: string;
  channel: Channel;
  status: RequestStatus;
  /**
   * Whether `status` is open (not RESOLVED, CLOSED or DUPLICATE), written with every status: an
   * equality on it is pushed down by FerretDB, where `status: { $in: OPEN_STATUSES }` never is.
   */
  open: boolean;
  level: 1 | 2 | 3;
  urgent: boolean;
  peopleInvolved?: number | null;
  amountAtStake?: number | null;
  categoryCode: string;
  itemCode: string;
  /** The item's version at classification (absent on requests filed before versioning: 1). */
  itemVersion?: number;
  departmentId?: string | null;
  communityCode: string;
  streetCode: string;
  districtCode: string;
  parkingLotId?: string | null;
  parentId?: string | null;
  lat?: number | null;
  lng?: number | null;
  address?: string | null;
  submittedAt: Date;
  /**
   * `YYYY-MM` (Shenzhen) of `submittedAt`: the newest requests of the city are read month by
   * month with a pushed-down equality, where a sort over the whole collection is never pushed down.
   */
  submittedMonth: string;
  dispatchDueAt?: Date | null;
  dispatchedAt?: Date | null;
  reviewDueAt?: Date | null;
  acceptDueAt?: Date | null;
  acceptedAt?: Date | null;
  nextUpdateDueAt?: Date | null;
  handlingDays: number;
  dueAt: Date;
  extended: boolean;
  /** The deadline of the current status, so "overdue" is one indexed range query. */
  currentDeadline?: Date | null;
  resolvedAt?: Date | null;
  closedAt?: Date | null;
  resolvedOnTime?: boolean | null;
  evaluation?: EvaluationDoc | null;
  /** Copy of evaluation.rating at the top level so stats can group on it. */
  rating?: Rating | null;
  urgeCount: number;
  /** Claims of the automatic supervision, per handling round (cleared when reopened). */
  urgedAt?: Date | null;
  escalatedAt?: Date | null;
  escalated: boolean;
  timeline: RequestEventDoc[];
  /** Bumped by every step; a step claims `request:<id>:v<version>` before it writes. */
  version: number;
  /** Level 1: when a reviewer confirmed or corrected the grading (审核), and who. */
  reviewedAt?: Date | null;
  reviewedBy?: string | null;
  /** Set when the request was linked as a duplicate at submission: the bigram similarity (0..1). */
  duplicateSimilarity?: number | null;
  /** Set when a third-party app filed it through Open311 (the app is the submitter). */
  open311AppId?: string | null;
  open311AppName?: string | null;
}

const eventSchema = new Schema<RequestEventDoc>(
  {
    at: { type: Date, required: true },
    action: { type: String, required: true },
    actor: { type: String, required: true },
    role: { type: String, required: true },
    note: String,
    status: { type: String, required: true },
    fromDepartmentId: String,
    toDepartmentId: String,
    alertId: String,
  },
  { _id: false },
);

const requestSchema = new Schema<RequestDoc>(
  {
    number: { type: String, required: true, unique: true },
    submitterId: { type: String, required: true },
    residentId: String,
    idempotencyKey: { type: String, required: true },
    idempotencyFingerprint: { type: String },
    title: { type: String, required: true },
    description: { type: String, required: true },
    channel: { type: String, required: true },
    status: { type: String, required: true },
    open: { type: Boolean, required: true },
    level: { type: Number, required: true },
    urgent: { type: Boolean, default: false },
    peopleInvolved: Number,
    amountAtStake: Number,
    categoryCode: { type: String, required: true },
    itemCode: { type: String, required: true },
    itemVersion: Number,
    departmentId: String,
    communityCode: { type: String, required: true },
    streetCode: { type: String, required: true },
    districtCode: { type: String, required: true },
    parkingLotId: String,
    parentId: String,
    lat: Number,
    lng: Number,
    address: String,
    submittedAt: { type: Date, required: true },
    submittedMonth: { type: String, required: true },
    dispatchDueAt: Date,
    dispatchedAt: Date,
    reviewDueAt: Date,
    acceptDueAt: Date,
    acceptedAt: Date,
    nextUpdateDueAt: Date,
    handlingDays: { type: Number, required: true },
    dueAt: { type: Date, required: true },
    extended: { type: Boolean, default: false },
    currentDeadline: Date,
    resolvedAt: Date,
    closedAt: Date,
    resolvedOnTime: Boolean,
    evaluation: { type: new Schema<EvaluationDoc>({ rating: String, comment: String, at: Date }, { _id: false }), default: null },
    rating: String,
    urgeCount: { type: Number, default: 0 },
    urgedAt: Date,
    escalatedAt: Date,
    escalated: { type: Boolean, default: false },
    timeline: { type: [eventSchema], default: [] },
    version: { type: Number, default: 0 },
    reviewedAt: Date,
    reviewedBy: String,
    duplicateSimilarity: Number,
    open311AppId: String,
    open311AppName: String,
  },
  { versionKey: false },
);
// A repeat of the same key by the same submitter finds the first request; the index makes a
// concurrent second insert fail instead of creating a twin.
requestSchema.index({ submitterId: 1, idempotencyKey: 1 }, { unique: true });
requestSchema.index({ communityCode: 1, submittedAt: -1 });
requestSchema.index({ streetCode: 1, status: 1 });
requestSchema.index({ districtCode: 1, status: 1 });
requestSchema.index({ departmentId: 1, status: 1 });
requestSchema.index({ residentId: 1, submittedAt: -1 });
requestSchema.index({ parkingLotId: 1, open: 1 });
requestSchema.index({ submittedMonth: 1, submittedAt: -1 });
requestSchema.index({ residentId: 1, open: 1 });
requestSchema.index({ communityCode: 1, open: 1, level: 1 });
requestSchema.index({ parentId: 1 });
requestSchema.index({ status: 1, dueAt: 1 });
requestSchema.index({ status: 1, level: 1, currentDeadline: 1 });
// Supervision sweeps: each limit's due time, by status or by open level-1 cases.
requestSchema.index({ status: 1, dispatchDueAt: 1 });
requestSchema.index({ status: 1, acceptDueAt: 1 });
requestSchema.index({ open: 1, level: 1, reviewDueAt: 1 });
requestSchema.index({ open: 1, level: 1, nextUpdateDueAt: 1 });
// Period statistics read one month of an area at a time (services/period-stats.ts).
requestSchema.index({ districtCode: 1, submittedMonth: 1 });
requestSchema.index({ streetCode: 1, submittedMonth: 1 });
requestSchema.index({ communityCode: 1, submittedMonth: 1 });
// Duplicate detection: open requests of one community and item within a time window.
requestSchema.index({ communityCode: 1, itemCode: 1, open: 1, submittedAt: 1 });
// Open311 requests.json, month by month (submittedMonth, submittedAt is indexed above) and by service.
requestSchema.index({ itemCode: 1, submittedMonth: 1, submittedAt: -1 });

export function requestModel(conn: Connection): Model<RequestDoc> {
  return (conn.models.Request as Model<RequestDoc>) ?? conn.model<RequestDoc>('Request', requestSchema, 'requests');
}
