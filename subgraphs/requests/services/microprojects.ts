import { Types } from 'mongoose';
import type { Viewer } from '../../../shared/platform/auth';
import { badInput, conflict, forbidden, notFound, unauthenticated } from '../../../shared/platform/errors';
import { createIdempotent } from '../../../shared/subgraph/idempotency';
import { refuseUnregistered } from '../../../shared/subgraph/residents';
import { isDuplicateKey } from '../../../shared/subgraph/unique';
import * as validate from '../../../shared/subgraph/validate';
import { addDays } from '../../../shared/subgraph/time';
import {
  assertMicroProjectTransition,
  consultationPasses,
  MAX_VOTING_DAYS,
  MICRO_PROJECT_BUDGET_CAP,
  MIN_VOTING_DAYS,
  type MicroProjectAcceptanceParty,
  type MicroProjectCategory,
  type MicroProjectEventAction,
  type MicroProjectStage,
  type MicroProjectStatus,
} from '../domain/microprojects';
import { isStaffOf, streetOfficeId } from '../domain/permissions';
import type { Models } from '../models';
import type { MicroProjectDoc, MicroProjectEventDoc } from '../models/micro-project';
import { publishMicroProjectChange } from '../events';
import { stepOnVersion } from './steps';
import type { RequestsService } from './deps';


const CATEGORIES: readonly MicroProjectCategory[] = ['ENGINEERING', 'SERVICE', 'GOODS'];
const STAGES: readonly MicroProjectStage[] = ['STARTED', 'UNDERWAY', 'COMPLETED'];

export interface ProposeMicroProjectInput {
  communityCode: string;
  title: string;
  description: string;
  category: string;
  estimatedBudget: number;
  idempotencyKey?: string | null;
}

export interface ReportProgressInput {
  stage: string;
  note: string;
  spend: number;
}

function event(viewer: Viewer, now: Date, action: MicroProjectEventAction, status: MicroProjectStatus, extra: Partial<MicroProjectEventDoc> = {}): MicroProjectEventDoc {
  return { at: now, action, status, actor: viewer.subject ?? viewer.role, role: viewer.role, ...extra };
}

function signedIn(viewer: Viewer): void {
  if (viewer.role === 'anonymous') throw unauthenticated();
}

/** The signed-in resident, registered with `communityCode` as home: only they propose and vote there. */
async function requireResidentOf(ctx: RequestsService, communityCode: string, doing: string): Promise<string> {
  const { viewer } = ctx;
  if (viewer.role !== 'resident' || !viewer.residentId) throw forbidden(`Only residents of the community ${doing}`);
  const resident = await ctx.models.Resident.findById(viewer.residentId, { homeCommunityCode: 1 }).lean();
  if (!resident) refuseUnregistered(viewer, viewer.residentId, null, { field: 'viewer' });
  if (resident.homeCommunityCode !== communityCode) throw forbidden(`Only residents registered in community ${communityCode} ${doing}; your home community is ${resident.homeCommunityCode ?? 'not set'}`);
  return viewer.residentId;
}

const isCommunityWorkerOf = (viewer: Viewer, communityCode: string) => viewer.role === 'community_worker' && viewer.communityCode === communityCode;
const isStreetOfficeOf = (viewer: Viewer, streetCode: string) => isStaffOf(viewer, streetOfficeId(streetCode));

function requireCommunityWorker(viewer: Viewer, doc: MicroProjectDoc): void {
  if (viewer.role === 'admin' || isCommunityWorkerOf(viewer, doc.communityCode)) return;
  throw forbidden(`Only community workers of community ${doc.communityCode} and admins run its consultation`);
}

function requireStreetOffice(viewer: Viewer, doc: MicroProjectDoc): void {
  if (viewer.role === 'admin' || isStreetOfficeOf(viewer, doc.streetCode)) return;
  throw forbidden(`Only the street office of street ${doc.streetCode} (${streetOfficeId(doc.streetCode)}) and admins approve or reject its micro-projects`);
}

export async function loadMicroProject(models: Models, id: unknown, field = 'id'): Promise<MicroProjectDoc> {
  const _id = validate.objectId(field, id);
  const doc = await models.MicroProject.findById(_id).lean<MicroProjectDoc>();
  if (!doc) throw notFound('MicroProject', String(id));
  return doc;
}

interface MicroStep {
  set: Partial<MicroProjectDoc>;
  events: MicroProjectEventDoc[];
}

/** One step of a project on requests' version claims (`stepOnVersion`), published once written. */
async function applyMicroStep(ctx: RequestsService, initial: MicroProjectDoc, plan: (doc: MicroProjectDoc) => MicroStep): Promise<MicroProjectDoc> {
  const { models } = ctx;
  const updated = await stepOnVersion(
    models,
    { key: 'microproject', name: 'micro-project' },
    initial,
    plan,
    async (doc, step, version) => {
      const written = await models.MicroProject.findOneAndUpdate(
        { _id: doc._id },
        { $set: { ...step.set, version: version + 1 }, $push: { timeline: { $each: step.events } } },
        { returnDocument: 'after' },
      ).lean<MicroProjectDoc>();
      if (!written) throw conflict('The micro-project disappeared meanwhile');
      await publishMicroProjectChange(ctx.pubsub, written);
      return written;
    },
    (id) => loadMicroProject(models, id),
    ctx.clock(),
  );
  return updated!;
}

function budget(field: string, value: unknown): number {
  return validate.intInRange(field, value, 0, MICRO_PROJECT_BUDGET_CAP);
}

function oneOf<T extends string>(field: string, value: unknown, allowed: readonly T[]): T {
  if (!allowed.includes(value as T)) throw badInput(field, `must be one of ${allowed.join(', ')}`);
  return value as T;
}

/** A registered resident of the community (or an admin) proposes a project; once per idempotency key. */
export async function proposeMicroProject(ctx: RequestsService, input: ProposeMicroProjectInput): Promise<MicroProjectDoc> {
  const { viewer, models } = ctx;
  signedIn(viewer);
  const communityCode = validate.code('input.communityCode', input.communityCode);
  const title = validate.text('input.title', input.title, { max: 60 });
  const description = validate.text('input.description', input.description, { max: 2000, multiline: true });
  const category = oneOf('input.category', input.category, CATEGORIES);
  const estimatedBudget = budget('input.estimatedBudget', input.estimatedBudget);
  const key = validate.idempotencyKey('input.idempotencyKey', input.idempotencyKey);
  const community = await models.Community.findById(communityCode).lean();
  if (!community) throw badInput('input.communityCode', 'is not a known community');
  let proposerId: string | null = null;
  if (viewer.role !== 'admin') proposerId = await requireResidentOf(ctx, communityCode, 'propose its micro-projects');
  const scopeOf = (k: string) => `${viewer.subject ?? viewer.role}|${k}`;
  return createIdempotent<MicroProjectDoc>({
    key,
    field: 'input.idempotencyKey',
    input: { communityCode, title, description, category, estimatedBudget },
    find: (k) => models.MicroProject.findOne({ idempotencyScope: scopeOf(k) }).lean<MicroProjectDoc>(),
    create: async (fingerprint) => {
      const now = ctx.clock();
      const doc = {
        _id: new Types.ObjectId(),
        title,
        description,
        category,
        status: 'PROPOSED' as const,
        communityCode,
        streetCode: community.streetCode,
        districtCode: community.districtCode,
        ...(proposerId ? { proposerId } : {}),
        estimatedBudget,
        spent: 0,
        proposedAt: now,
        acceptedBy: [],
        version: 0,
        timeline: [event(viewer, now, 'PROPOSED', 'PROPOSED')],
        ...(key && fingerprint ? { idempotencyScope: scopeOf(key), idempotencyFingerprint: fingerprint } : {}),
      };
      await models.MicroProject.create(doc);
      const stored = (await models.MicroProject.findById(doc._id).lean<MicroProjectDoc>())!;
      await publishMicroProjectChange(ctx.pubsub, stored);
      return stored;
    },
  });
}

/** A community worker of the community (or an admin) opens the residents' vote until `votingEndsAt`. */
export async function openConsultation(ctx: RequestsService, input: { id: unknown; votingEndsAt: unknown }): Promise<MicroProjectDoc> {
  const { id, votingEndsAt: votingEndsAtRaw } = input;
  signedIn(ctx.viewer);
  const doc = await loadMicroProject(ctx.models, id);
  const votingEndsAt = validate.dateTime('votingEndsAt', votingEndsAtRaw);
  const now = ctx.clock();
  if (votingEndsAt < addDays(now, MIN_VOTING_DAYS) || votingEndsAt > addDays(now, MAX_VOTING_DAYS)) {
    throw badInput('votingEndsAt', `must be ${MIN_VOTING_DAYS} to ${MAX_VOTING_DAYS} days from now, so residents have time to vote`);
  }
  requireCommunityWorker(ctx.viewer, doc);
  return applyMicroStep(ctx, doc, (d) => {
    assertMicroProjectTransition('openConsultation', d.status);
    return { set: { status: 'CONSULTING', votingEndsAt }, events: [event(ctx.viewer, now, 'CONSULTATION_OPENED', 'CONSULTING')] };
  });
}

/** A registered resident of the community votes once while the consultation is open; the unique (project, resident) insert is the rule. */
export async function voteOnMicroProject(ctx: RequestsService, input: { id: unknown; support: unknown }): Promise<MicroProjectDoc> {
  const { id, support } = input;
  signedIn(ctx.viewer);
  if (typeof support !== 'boolean') throw badInput('support', 'must be true (in favour) or false (against)');
  const doc = await loadMicroProject(ctx.models, id);
  const residentId = await requireResidentOf(ctx, doc.communityCode, 'vote on its micro-projects');
  assertMicroProjectTransition('vote', doc.status);
  const now = ctx.clock();
  if (!doc.votingEndsAt || now >= doc.votingEndsAt) throw conflict(`Voting on this micro-project closed at ${doc.votingEndsAt?.toISOString()}`, { status: doc.status });
  try {
    await ctx.models.MicroProjectVote.create({ projectId: String(doc._id), residentId, support, at: now });
  } catch (err) {
    if (!isDuplicateKey(err)) throw err;
    throw conflict('You have voted on this micro-project already (one vote per resident)');
  }
  await publishMicroProjectChange(ctx.pubsub, doc);
  return doc;
}

/** Counts a project's votes (two pushed-down counts on the (projectId, support) index). */
export async function tallyVotes(models: Models, projectId: string): Promise<{ support: number; oppose: number }> {
  const [support, oppose] = await Promise.all([
    models.MicroProjectVote.countDocuments({ projectId, support: true }),
    models.MicroProjectVote.countDocuments({ projectId, support: false }),
  ]);
  return { support, oppose };
}

/** A community worker (or an admin) closes the vote once its period has ended: SUPPORTED or NOT_SUPPORTED by the tally. */
export async function closeConsultation(ctx: RequestsService, input: { id: unknown }): Promise<MicroProjectDoc> {
  const { id } = input;
  signedIn(ctx.viewer);
  const doc = await loadMicroProject(ctx.models, id);
  requireCommunityWorker(ctx.viewer, doc);
  assertMicroProjectTransition('closeConsultation', doc.status);
  const now = ctx.clock();
  if (doc.votingEndsAt && now < doc.votingEndsAt) throw conflict(`Voting is open until ${doc.votingEndsAt.toISOString()}; close it after that`, { status: doc.status });
  const { support, oppose } = await tallyVotes(ctx.models, String(doc._id));
  const passes = consultationPasses(support, oppose);
  const status: MicroProjectStatus = passes ? 'SUPPORTED' : 'NOT_SUPPORTED';
  const note = `支持 ${support} 票，反对 ${oppose} 票`;
  return applyMicroStep(ctx, doc, (d) => {
    assertMicroProjectTransition('closeConsultation', d.status);
    return { set: { status, tally: { support, oppose } }, events: [event(ctx.viewer, now, passes ? 'CONSULTATION_PASSED' : 'CONSULTATION_FAILED', status, { note })] };
  });
}

/** The street office (or an admin) approves a supported project with a budget. */
export async function approveMicroProject(ctx: RequestsService, input: { id: unknown; budget: unknown; note?: unknown }): Promise<MicroProjectDoc> {
  const { id, budget: budgetRaw, note: noteRaw } = input;
  signedIn(ctx.viewer);
  const approvedBudget = budget('budget', budgetRaw);
  const note = validate.optionalText('note', noteRaw, { max: 500, multiline: true }) ?? null;
  const doc = await loadMicroProject(ctx.models, id);
  requireStreetOffice(ctx.viewer, doc);
  const now = ctx.clock();
  return applyMicroStep(ctx, doc, (d) => {
    assertMicroProjectTransition('approve', d.status);
    return { set: { status: 'APPROVED', approvedBudget, approvedAt: now }, events: [event(ctx.viewer, now, 'APPROVED', 'APPROVED', { note, spend: null })] };
  });
}

/** The street office (or an admin) rejects a supported project, saying why. */
export async function rejectMicroProject(ctx: RequestsService, input: { id: unknown; reason: unknown }): Promise<MicroProjectDoc> {
  const { id, reason: reasonRaw } = input;
  signedIn(ctx.viewer);
  const reason = validate.text('reason', reasonRaw, { max: 500, multiline: true });
  const doc = await loadMicroProject(ctx.models, id);
  requireStreetOffice(ctx.viewer, doc);
  const now = ctx.clock();
  return applyMicroStep(ctx, doc, (d) => {
    assertMicroProjectTransition('reject', d.status);
    return { set: { status: 'REJECTED', rejectionReason: reason }, events: [event(ctx.viewer, now, 'REJECTED', 'REJECTED', { note: reason })] };
  });
}

/** The community, the street office or an admin reports a stage with its spend; COMPLETED ends the works. */
export async function reportProgress(ctx: RequestsService, args: { id: unknown; input: ReportProgressInput }): Promise<MicroProjectDoc> {
  const { id, input } = args;
  signedIn(ctx.viewer);
  const stage = oneOf('input.stage', input.stage, STAGES);
  const note = validate.text('input.note', input.note, { max: 1000, multiline: true });
  const spend = budget('input.spend', input.spend);
  const doc = await loadMicroProject(ctx.models, id);
  const { viewer } = ctx;
  if (!(viewer.role === 'admin' || isCommunityWorkerOf(viewer, doc.communityCode) || isStreetOfficeOf(viewer, doc.streetCode))) {
    throw forbidden(`Only community workers of community ${doc.communityCode}, the street office and admins report a micro-project's progress`);
  }
  const now = ctx.clock();
  return applyMicroStep(ctx, doc, (d) => {
    assertMicroProjectTransition('report', d.status);
    const total = d.spent + spend;
    if (total > (d.approvedBudget ?? 0)) {
      throw badInput('input.spend', `would bring the spend to ${total} yuan, over the approved budget of ${d.approvedBudget ?? 0} yuan`);
    }
    const status: MicroProjectStatus = stage === 'COMPLETED' ? 'COMPLETED' : 'IN_PROGRESS';
    return {
      set: { status, spent: total, ...(stage === 'COMPLETED' ? { completedAt: now } : {}) },
      events: [event(viewer, now, 'PROGRESS_REPORTED', status, { stage, note, spend })],
    };
  });
}

/**
 * 验收: the proposer signs as PROPOSER, a community worker of the community as COMMUNITY; an admin
 * signs every missing party (a project an admin proposed has no resident proposer). ACCEPTED once
 * both have signed. Each signature is a step (claimOnce on the version), so a party signs once.
 */
export async function acceptMicroProject(ctx: RequestsService, input: { id: unknown; note?: unknown }): Promise<MicroProjectDoc> {
  const { id, note: noteRaw } = input;
  signedIn(ctx.viewer);
  const note = validate.optionalText('note', noteRaw, { max: 500, multiline: true }) ?? null;
  const doc = await loadMicroProject(ctx.models, id);
  const { viewer } = ctx;
  const parties: MicroProjectAcceptanceParty[] =
    viewer.role === 'admin'
      ? ['PROPOSER', 'COMMUNITY']
      : viewer.role === 'resident' && !!doc.proposerId && viewer.residentId === doc.proposerId
        ? ['PROPOSER']
        : isCommunityWorkerOf(viewer, doc.communityCode)
          ? ['COMMUNITY']
          : [];
  if (!parties.length) throw forbidden(`Only the proposer and community workers of community ${doc.communityCode} (or admins) accept a micro-project`);
  const now = ctx.clock();
  return applyMicroStep(ctx, doc, (d) => {
    assertMicroProjectTransition('accept', d.status);
    const signing = parties.filter((p) => !d.acceptedBy.includes(p));
    if (!signing.length) throw conflict(`The ${parties.join(' and ')} acceptance is signed already`, { status: d.status });
    const acceptedBy = [...d.acceptedBy, ...signing];
    const done = acceptedBy.includes('PROPOSER') && acceptedBy.includes('COMMUNITY');
    const status: MicroProjectStatus = done ? 'ACCEPTED' : 'COMPLETED';
    const events = signing.map((party) => event(viewer, now, 'ACCEPTANCE_SIGNED', 'COMPLETED', { party, note }));
    if (done) events.push(event(viewer, now, 'ACCEPTED', 'ACCEPTED'));
    return { set: { acceptedBy, status, ...(done ? { acceptedAt: now } : {}) }, events };
  });
}
