import { Schema, Types, type Connection, type Model } from 'mongoose';

/** A department's return of a wrongly routed request; upheld once it is re-dispatched elsewhere. */
export interface ReturnDoc {
  _id: Types.ObjectId;
  requestId: string;
  departmentId: string;
  reason: string;
  at: Date;
  /** null while the request waits for re-dispatch. */
  upheld?: boolean | null;
}

/** An urge or escalation, automatic or by an admin, against the department then responsible. */
export interface SupervisionDoc {
  _id: Types.ObjectId;
  requestId: string;
  departmentId?: string | null;
  action: 'URGE' | 'ESCALATE';
  at: Date;
  actor: string;
  automatic: boolean;
  note?: string | null;
}

/** Per-day sequence behind human-readable request numbers. */
export interface CounterDoc {
  _id: string;
  seq: number;
}

const returnSchema = new Schema<ReturnDoc>(
  {
    requestId: { type: String, required: true, index: true },
    departmentId: { type: String, required: true, index: true },
    reason: { type: String, required: true },
    at: { type: Date, required: true },
    upheld: { type: Boolean, default: null },
  },
  { versionKey: false },
);

const supervisionSchema = new Schema<SupervisionDoc>(
  {
    requestId: { type: String, required: true, index: true },
    departmentId: { type: String, index: true },
    action: { type: String, required: true },
    at: { type: Date, required: true },
    actor: { type: String, required: true },
    automatic: { type: Boolean, default: false },
    note: String,
  },
  { versionKey: false },
);

const counterSchema = new Schema<CounterDoc>({ _id: String, seq: { type: Number, default: 0 } }, { versionKey: false });

export function returnModel(conn: Connection): Model<ReturnDoc> {
  return (conn.models.RequestReturn as Model<ReturnDoc>) ?? conn.model<ReturnDoc>('RequestReturn', returnSchema, 'request_returns');
}

export function supervisionModel(conn: Connection): Model<SupervisionDoc> {
  return (conn.models.Supervision as Model<SupervisionDoc>) ?? conn.model<SupervisionDoc>('Supervision', supervisionSchema, 'supervision_actions');
}

export function counterModel(conn: Connection): Model<CounterDoc> {
  return (conn.models.Counter as Model<CounterDoc>) ?? conn.model<CounterDoc>('Counter', counterSchema, 'counters');
}
