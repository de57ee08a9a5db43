import { Schema, Types, type Connection, type Model } from 'mongoose';

export interface WelfarePolicyDoc {
  /** e.g. WP-SENIOR-ALLOWANCE */
  _id: string;
  name: string;
  description: string;
  minAge?: number | null;
  maxAge?: number | null;
  districtCode?: string | null;
  /** Authoring (issue 14): absent on policies stored before it (RESIDENT, no such criterion). */
  target?: 'RESIDENT' | 'ENTERPRISE';
  gender?: 'MALE' | 'FEMALE' | null;
  communityCode?: string | null;
  livesAlone?: boolean | null;
  disability?: boolean | null;
  updatedAt?: Date | null;
}

export type PushStatus = 'PUSHED' | 'ACCEPTED' | 'DECLINED';

export interface PolicyPushDoc {
  _id: Types.ObjectId;
  policyId: string;
  residentId: string;
  status: PushStatus;
  pushedAt: Date;
  respondedAt?: Date | null;
}

const policySchema = new Schema<WelfarePolicyDoc>(
  {
    _id: String,
    name: { type: String, required: true },
    description: { type: String, required: true },
    minAge: Number,
    maxAge: Number,
    districtCode: String,
    target: String,
    gender: String,
    communityCode: String,
    livesAlone: Boolean,
    disability: Boolean,
    updatedAt: Date,
  },
  { versionKey: false },
);

const pushSchema = new Schema<PolicyPushDoc>(
  {
    policyId: { type: String, required: true },
    residentId: { type: String, required: true, index: true },
    status: { type: String, required: true },
    pushedAt: { type: Date, required: true },
    respondedAt: Date,
  },
  { versionKey: false },
);
// A resident is pushed a policy once, however often or concurrently the push runs.
pushSchema.index({ policyId: 1, residentId: 1 }, { unique: true });
pushSchema.index({ policyId: 1, status: 1 });

export function welfarePolicyModel(conn: Connection): Model<WelfarePolicyDoc> {
  return (conn.models.WelfarePolicy as Model<WelfarePolicyDoc>) ?? conn.model<WelfarePolicyDoc>('WelfarePolicy', policySchema, 'welfare_policies');
}

export function policyPushModel(conn: Connection): Model<PolicyPushDoc> {
  return (conn.models.PolicyPush as Model<PolicyPushDoc>) ?? conn.model<PolicyPushDoc>('PolicyPush', pushSchema, 'policy_pushes');
}
