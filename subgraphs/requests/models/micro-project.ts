import { Schema, Types, type Connection, type Model } from 'mongoose';
import type { MicroProjectAcceptanceParty, MicroProjectCategory, MicroProjectEventAction, MicroProjectStage, MicroProjectStatus } from '../domain/microprojects';

export interface MicroProjectEventDoc {
  at: Date;
  action: MicroProjectEventAction;
  status: MicroProjectStatus;
  /** The account id (a resident id, `worker-…`, `staff-…`). */
  actor: string;
  role: string;
  note?: string | null;
  stage?: MicroProjectStage | null;
  spend?: number | null;
  party?: MicroProjectAcceptanceParty | null;
}

export interface MicroProjectDoc {
  _id: Types.ObjectId;
  title: string;
  description: string;
  category: MicroProjectCategory;
  status: MicroProjectStatus;
  communityCode: string;
  streetCode: string;
  districtCode: string;
  /** The proposing resident's id; null for an admin's proposal. Never shown to others. */
  proposerId?: string | null;
  estimatedBudget: number;
  approvedBudget?: number | null;
  spent: number;
  proposedAt: Date;
  votingEndsAt?: Date | null;
  approvedAt?: Date | null;
  completedAt?: Date | null;
  acceptedAt?: Date | null;
  rejectionReason?: string | null;
  /** The consultation's result, recorded when it closes (the votes stay as its record). */
  tally?: { support: number; oppose: number } | null;
  acceptedBy: MicroProjectAcceptanceParty[];
  /** Bumped by every step; a step first claims `microproject:<id>:v<version>` (claimOnce). */
  version: number;
  timeline: MicroProjectEventDoc[];
  /** `<proposer>|<client key>`, present only when the client sent a key (sparse unique index). */
  idempotencyScope?: string;
  idempotencyFingerprint?: string;
}

/** One resident's vote on one project: the unique (projectId, residentId) index makes it one. */
export interface MicroProjectVoteDoc {
  _id: Types.ObjectId;
  projectId: string;
  residentId: string;
  support: boolean;
  at: Date;
}

const eventSchema = new Schema<MicroProjectEventDoc>(
  { at: { type: Date, required: true }, action: { type: String, required: true }, status: { type: String, required: true }, actor: { type: String, required: true }, role: { type: String, required: true }, note: String, stage: String, spend: Number, party: String },
  { _id: false },
);

const projectSchema = new Schema<MicroProjectDoc>(
  {
    title: { type: String, required: true },
    description: { type: String, required: true },
    category: { type: String, required: true },
    status: { type: String, required: true },
    communityCode: { type: String, required: true },
    streetCode: { type: String, required: true },
    districtCode: { type: String, required: true },
    proposerId: String,
    estimatedBudget: { type: Number, required: true },
    approvedBudget: Number,
    spent: { type: Number, required: true, default: 0 },
    proposedAt: { type: Date, required: true },
    votingEndsAt: Date,
    approvedAt: Date,
    completedAt: Date,
    acceptedAt: Date,
    rejectionReason: String,
    tally: { type: { support: Number, oppose: Number }, _id: false, default: undefined },
    acceptedBy: { type: [String], default: [] },
    version: { type: Number, required: true, default: 0 },
    timeline: { type: [eventSchema], default: [] },
    idempotencyScope: String,
    idempotencyFingerprint: String,
  },
  { versionKey: false },
);
// The statistics and the community list read one scope's projects by equality (pushed down).
projectSchema.index({ communityCode: 1, proposedAt: -1 });
projectSchema.index({ streetCode: 1 });
projectSchema.index({ districtCode: 1 });
// A proposer's idempotency key names one proposal (createIdempotent); proposals without one do not collide.
projectSchema.index({ idempotencyScope: 1 }, { unique: true, sparse: true });

const voteSchema = new Schema<MicroProjectVoteDoc>(
  { projectId: { type: String, required: true }, residentId: { type: String, required: true }, support: { type: Boolean, required: true }, at: { type: Date, required: true } },
  { versionKey: false },
);
// One vote per resident per project, however many times or how concurrently they tap.
voteSchema.index({ projectId: 1, residentId: 1 }, { unique: true });
voteSchema.index({ projectId: 1, support: 1 });

export function microProjectModel(conn: Connection): Model<MicroProjectDoc> {
  return (conn.models.MicroProject as Model<MicroProjectDoc>) ?? conn.model<MicroProjectDoc>('MicroProject', projectSchema, 'micro_projects');
}

export function microProjectVoteModel(conn: Connection): Model<MicroProjectVoteDoc> {
  return (conn.models.MicroProjectVote as Model<MicroProjectVoteDoc>) ?? conn.model<MicroProjectVoteDoc>('MicroProjectVote', voteSchema, 'micro_project_votes');
}
