import { Types } from 'mongoose';
import type { Viewer } from '../../../shared/platform/auth';
import { badInput, conflict, forbidden, notFound, unauthenticated } from '../../../shared/platform/errors';
import { isDuplicateKey } from '../../../shared/subgraph';
import { isOrganiser } from '../domain/access';
import { shiftHours } from '../domain/shift-windows';
import { roundHours, sumHours } from '../domain/stars';
import type { HoursCorrectionDoc, HoursEntryDoc, Models, SignUpDoc } from '../models';
import type { VolunteersService } from './deps';
import { loadSignUp } from './transitions';
import { localMonthString } from '../../../shared/subgraph/time';

const actorOf = (viewer: Viewer) => viewer.subject ?? viewer.role;

/** The ledger lines of one sign-up, oldest first. */
export function entriesOf(models: Models, signUpId: Types.ObjectId): Promise<HoursEntryDoc[]> {
  return models.HoursEntry.find({ signUpId }).sort({ seq: 1 }).lean<HoursEntryDoc[]>();
}

/**
 * Appends a line to the sign-up's ledger at the next sequence number. The unique `_id`
 * (`<signUpId>#<seq>`) makes two writers computing from the same lines collide: the second gets
 * CONFLICT instead of adding its change on top of a total it did not see.
 */
async function append(
  models: Models,
  signUp: SignUpDoc,
  line: Pick<HoursEntryDoc, 'kind' | 'reason' | 'by' | 'approvedBy' | 'correctionId' | 'at'> & { total: number },
  seen: HoursEntryDoc[],
): Promise<HoursEntryDoc> {
  const seq = seen.length;
  const before = sumHours(seen.map((e) => e.hours));
  const doc: HoursEntryDoc = {
    _id: `${signUp._id}#${seq}`,
    seq,
    signUpId: signUp._id,
    residentId: signUp.residentId,
    activityId: signUp.activityId,
    communityCode: signUp.communityCode,
    teamId: signUp.teamId,
    hours: roundHours(line.total - before),
    ...line,
    month: localMonthString(line.at),
  };
  try {
    await models.HoursEntry.create(doc);
  } catch (err) {
    if (isDuplicateKey(err)) throw conflict("The sign-up's credited hours changed meanwhile; read them again", { signUpId: String(signUp._id) });
    throw err;
  }
  return doc;
}

/**
 * The organiser's verification of a checked-out sign-up: its credit line, never more than the
 * recorded (checked-in) hours. The caller has already claimed the CHECKED_OUT → VERIFIED step.
 */
export async function creditVerified(models: Models, signUp: SignUpDoc, hours: number, by: string, at: Date): Promise<HoursEntryDoc> {
  return append(models, signUp, { kind: 'CREDIT', total: hours, reason: null, by, approvedBy: null, correctionId: null, at }, await entriesOf(models, signUp._id));
}

/**
 * An organiser asks to credit a verified sign-up `hours` in total (up to the shift's length), with a
 * reason. Nothing is credited until a second organiser approves it.
 */
export async function requestCorrection(
  ctx: VolunteersService,
  input: { signUpId: Types.ObjectId; hours: unknown; reason: string },
): Promise<HoursCorrectionDoc> {
  const { models, viewer } = ctx;
  const now = ctx.clock();
  if (viewer.role === 'anonymous') throw unauthenticated();
  const signUp = await loadSignUp(models, input.signUpId);
  if (!isOrganiser(viewer, signUp)) throw forbidden('Only an organiser of the activity can ask for a correction of its hours');
  const longest = shiftHours({ startsAt: signUp.shiftStartsAt, endsAt: signUp.shiftEndsAt });
  const { hours } = input;
  if (typeof hours !== 'number' || !Number.isFinite(hours) || hours < 0 || hours > longest) {
    throw badInput('hours', `must be from 0 to the shift's ${longest} hours`);
  }
  if (signUp.status !== 'VERIFIED') {
    throw conflict(`Only verified hours can be corrected; this sign-up is ${signUp.status}`, { status: signUp.status });
  }
  const doc = await models.HoursCorrection.create({
    _id: new Types.ObjectId(),
    signUpId: signUp._id,
    residentId: signUp.residentId,
    activityId: signUp.activityId,
    hours: roundHours(hours),
    reason: input.reason,
    requestedBy: actorOf(viewer),
    requestedAt: now,
    status: 'PENDING',
    approvedBy: null,
    approvedAt: null,
  });
  return doc.toObject() as HoursCorrectionDoc;
}

/**
 * A second organiser (not the one who asked) approves a correction: its CORRECTION line takes the
 * sign-up's credited total to the corrected figure. Approving twice, or two approvals at once,
 * write one line (the ledger's unique sequence and the correction's own id on the line).
 */
export async function approveCorrection(ctx: VolunteersService, { id }: { id: Types.ObjectId }): Promise<{ correction: HoursCorrectionDoc; signUp: SignUpDoc }> {
  const { models, viewer } = ctx;
  const now = ctx.clock();
  if (viewer.role === 'anonymous') throw unauthenticated();
  const correction = await models.HoursCorrection.findById(id).lean<HoursCorrectionDoc>();
  if (!correction) throw notFound('VolunteerHoursCorrection', String(id));
  const signUp = await loadSignUp(models, correction.signUpId);
  if (!isOrganiser(viewer, signUp)) throw forbidden('Only an organiser of the activity can approve a correction of its hours');
  const by = actorOf(viewer);
  if (by === correction.requestedBy) throw forbidden('A correction must be approved by a second organiser, not the one who asked for it');
  const seen = await entriesOf(models, signUp._id);
  if (correction.status === 'APPROVED' || seen.some((e) => e.correctionId?.equals(correction._id))) {
    throw conflict('This correction has already been approved', { status: 'APPROVED' });
  }
  await append(models, signUp, { kind: 'CORRECTION', total: correction.hours, reason: correction.reason, by: correction.requestedBy, approvedBy: by, correctionId: correction._id, at: now }, seen);
  // The correction and the sign-up's shown figure follow the ledger line, which is what counts.
  await models.HoursCorrection.updateOne({ _id: correction._id }, { $set: { status: 'APPROVED', approvedBy: by, approvedAt: now } });
  await models.SignUp.updateOne({ _id: signUp._id }, { $set: { verifiedHours: correction.hours } });
  return {
    correction: { ...correction, status: 'APPROVED', approvedBy: by, approvedAt: now },
    signUp: { ...signUp, verifiedHours: correction.hours },
  };
}

/**
 * Gives ledger lines written before `month` existed their month; run at start-up, before the
 * subgraph serves. The model refuses every update of a line (insert-only), so this derived field
 * is set on the raw collection, and only on lines that lack it (none after the first run): the
 * hours, totals and approvals of a line are never touched.
 */
export async function backfillEntryMonths(models: Models): Promise<number> {
  const missing = await models.HoursEntry.collection.find({ month: { $exists: false } }, { projection: { at: 1 } }).toArray();
  // Small bulks: FerretDB 1.24 stalls on one bulk that updates many existing documents.
  for (let i = 0; i < missing.length; i += 25) {
    const ops = missing.slice(i, i + 25).map((e) => ({ updateOne: { filter: { _id: e._id }, update: { $set: { month: localMonthString(e.at as Date) } } } }));
    await models.HoursEntry.collection.bulkWrite(ops, { ordered: false });
  }
  return missing.length;
}
