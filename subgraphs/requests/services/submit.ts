import { Types } from 'mongoose';
import type { Viewer } from '../../../shared/platform/auth';
import { badInput, conflict, forbidden, unauthenticated } from '../../../shared/platform/errors';
import { createIdempotent, isDuplicateKey, keyStoredMeanwhile, refuseUnregistered } from '../../../shared/subgraph';
import { requireArea } from '../../../shared/subgraph/access';
import type { References } from '../../../shared/subgraph/references';
import * as validate from '../../../shared/subgraph/validate';
import { channelAllowed, type Channel } from '../domain/channels';
import { classify } from '../domain/classify';
import { currentDeadline, dispatchDeadlines, submissionDeadlines, unmatchedUrgentDispatchDueAt } from '../domain/deadlines';
import { urgentByWords } from '../domain/urgency';
import { gradeRequest } from '../domain/grading';
import type { RequestStatus } from '../domain/lifecycle';
import { numberDay, requestNumber } from '../domain/numbering';
import { streetOfficeId } from '../domain/permissions';
import type { CommunityDoc, DepartmentDoc, ItemDoc, Models, RequestDoc, RequestEventDoc } from '../models';
import { isOpenStatus, recordStatsChange } from './stats-counters';
import { withItemDispatchLimits, withItemSubmissionLimits } from '../domain/list-rules';
import { localMonthString } from '../../../shared/subgraph/time';
import { duplicateLink, findOriginal, linkIfRacedDuplicate, settleDuplicate } from './duplicates';
import type { ReferencingRequestsService } from './deps';

export interface SubmitInput {
  title: string;
  description: string;
  channel: Channel;
  communityCode: string;
  itemCode?: string | null;
  peopleInvolved?: number | null;
  amountAtStake?: number | null;
  parkingLotId?: string | null;
  urgent?: boolean | null;
  lat?: number | null;
  lng?: number | null;
  address?: string | null;
  idempotencyKey?: string | null;
}

/** Checks every field before anything is read or written; returns plain values only. */
export function validateSubmitInput(input: SubmitInput) {
  const title = validate.text('input.title', input.title, { max: 100 });
  const description = validate.text('input.description', input.description, { max: 2000, multiline: true });
  const communityCode = validate.code('input.communityCode', input.communityCode);
  const itemCode = input.itemCode == null ? null : validate.code('input.itemCode', input.itemCode);
  const peopleInvolved = input.peopleInvolved == null ? null : validate.intInRange('input.peopleInvolved', input.peopleInvolved, 1, 1_000_000);
  const amountAtStake = input.amountAtStake == null ? null : validate.numberInRange('input.amountAtStake', input.amountAtStake, 0, 1e12);
  let parkingLotId: string | null = null;
  if (input.parkingLotId != null) {
    parkingLotId = validate.code('input.parkingLotId', input.parkingLotId);
    if (!/^PL-[A-Za-z0-9]+-\d{2,}$/.test(parkingLotId)) throw badInput('input.parkingLotId', 'is not a parking lot id such as PL-DX-01');
  }
  if ((input.lat == null) !== (input.lng == null)) throw badInput(input.lat == null ? 'input.lat' : 'input.lng', 'lat and lng go together');
  const lat = input.lat == null ? null : validate.numberInRange('input.lat', input.lat, 22.4, 22.9);
  const lng = input.lng == null ? null : validate.numberInRange('input.lng', input.lng, 113.7, 114.65);
  const address = validate.optionalText('input.address', input.address, { max: 200 }) ?? null;
  const idempotencyKey = validate.idempotencyKey('input.idempotencyKey', input.idempotencyKey) ?? null;
  return { title, description, channel: input.channel, communityCode, itemCode, peopleInvolved, amountAtStake, parkingLotId, urgent: input.urgent === true, lat, lng, address, idempotencyKey };
}

/** The department of the item's kind in the community's district; the street office for street work. */
async function responsibleDepartment(models: Models, item: ItemDoc, community: CommunityDoc): Promise<DepartmentDoc | null> {
  if (item.departmentKind !== 'STREET_OFFICE') {
    const dept = await models.Department.findOne({ kind: item.departmentKind, districtCode: community.districtCode }).lean();
    if (dept) return dept;
  }
  return models.Department.findById(streetOfficeId(community.streetCode)).lean();
}

/** The next number of the Shenzhen day; retried because concurrent first upserts of a day can collide. */
async function nextNumber(models: Models, now: Date): Promise<string> {
  const day = numberDay(now);
  for (let attempt = 0; ; attempt += 1) {
    try {
      const counter = await models.Counter.findOneAndUpdate({ _id: day }, { $inc: { seq: 1 } }, { upsert: true, returnDocument: 'after' }).lean();
      return requestNumber(now, counter!.seq);
    } catch (err) {
      if (!isDuplicateKey(err) || attempt >= 5) throw err;
    }
  }
}

const NUMBER_ATTEMPTS = 10;

export interface SubmitResult {
  request: RequestDoc;
  /** False when an idempotency key found the first request. */
  created: boolean;
  /** What the submission already read, so the response needs no second look-up. */
  read?: { community: CommunityDoc; item: ItemDoc; department: DepartmentDoc | null };
}

/**
 * Files a request: classifies it (itemCode or keywords), grades it, and dispatches it at once to
 * the responsible department when the item is known; unclassified text waits for the street
 * office as SUBMITTED. The same idempotency key from the same submitter returns the first request.
 */
export async function submitRequest(ctx: ReferencingRequestsService, rawInput: SubmitInput): Promise<SubmitResult> {
  const { models, viewer, references } = ctx;
  const now = ctx.clock();
  if (viewer.role === 'anonymous' || !viewer.subject) throw unauthenticated();
  const input = validateSubmitInput(rawInput);
  if (!channelAllowed(viewer.role, input.channel)) throw forbidden(`A ${viewer.role} cannot file through ${input.channel}`);
  // Residents file about any community; workers and street staff only about their own area.
  if (viewer.role === 'community_worker' || viewer.role === 'staff') requireArea(viewer, { communityCode: input.communityCode }, 'input.communityCode');
  const submitterId = viewer.subject;
  if (viewer.role === 'resident') {
    // The registry is this subgraph's own collection: read it here, refuse as the other subgraphs do.
    const registered = await models.Resident.exists({ _id: viewer.residentId });
    refuseUnregistered(viewer, viewer.residentId!, registered ? { registered: true, realNameVerified: false } : null, { field: 'viewer' });
  }

  let result: SubmitResult | undefined;
  const { idempotencyKey, ...asked } = input;
  // A retry returns the first request; the same key with other input is IDEMPOTENCY_KEY_REUSED.
  const request = await createIdempotent<RequestDoc>({
    key: idempotencyKey,
    input: asked,
    field: 'input.idempotencyKey',
    find: (key) => models.Request.findOne({ submitterId, idempotencyKey: key }).lean<RequestDoc>(),
    create: async (fingerprint) => {
      result = await createRequest(models, viewer, input, submitterId, now, fingerprint, references);
      return result.request;
    },
  });
  return result?.request === request ? result : { request, created: false };
}

/** Who files when it is not the viewer's own account (a third-party app through Open311). */
export interface Filer {
  actor: string;
  role: string;
  /** Fields stored on the request besides the input (the app's id and name). */
  extra?: Partial<RequestDoc>;
}

export async function createRequest(
  models: Models,
  viewer: Viewer,
  input: ReturnType<typeof validateSubmitInput>,
  submitterId: string,
  now: Date,
  fingerprint: string | null,
  references: References | undefined,
  filer?: Filer,
): Promise<SubmitResult> {
  const community = await models.Community.findById(input.communityCode).lean();
  if (!community) throw badInput('input.communityCode', 'is not a known community');
  if (input.parkingLotId && references) {
    // Parking owns lots: it answers whether this one exists before the request stores the id.
    await references.require(viewer, { owner: 'parking', typename: 'ParkingLot', key: { id: input.parkingLotId }, selection: 'id' }, 'input.parkingLotId');
  }
  let item: ItemDoc | null;
  let classified: boolean;
  if (input.itemCode) {
    item = await models.Item.findById(input.itemCode).lean();
    if (!item) throw badInput('input.itemCode', 'is not an item of the responsibility list');
    classified = true;
  } else {
    const items = await models.Item.find().sort({ _id: 1 }).lean();
    const match = classify(input.title, input.description, items);
    classified = match !== null;
    item = match ?? items.find((i) => i.fallback) ?? null;
    if (!item) throw new Error('The responsibility list has no fallback item: run the seed');
  }
  const department = await responsibleDepartment(models, item, community);

  const urgent = input.urgent || urgentByWords(input.title, input.description);
  const level = gradeRequest({ peopleInvolved: input.peopleInvolved, amountAtStake: input.amountAtStake, urgent, emergencyItem: item.emergency });
  // The item's own limits (the admins' list, as stored now) replace the hotline's defaults.
  const submitted = withItemSubmissionLimits(submissionDeadlines(now, level, item.emergency), now, level === 1 || item.emergency, item);
  // Same community, item and similar text as an open request of the last 72 h: linked to it, not dispatched.
  const duplicate = await findOriginal(models, { communityCode: community._id, itemCode: item._id, title: input.title, description: input.description }, now);
  const dispatchNow = classified && department !== null && !duplicate;
  // An urgent case no item matches waits in the street office's queue with a 10-minute alarm.
  if (!dispatchNow && !duplicate && level === 1) submitted.dispatchDueAt = unmatchedUrgentDispatchDueAt(now);
  const status: RequestStatus = duplicate ? 'DUPLICATE' : dispatchNow ? 'DISPATCHED' : 'SUBMITTED';
  const actor = filer ? { actor: filer.actor, role: filer.role } : { actor: submitterId, role: viewer.role };
  const timeline: RequestEventDoc[] = [{ at: now, action: 'SUBMITTED', ...actor, status: 'SUBMITTED', note: `${item.name}`, toDepartmentId: null, fromDepartmentId: null }];
  let deadlines: Partial<RequestDoc> = { dueAt: submitted.dueAt, handlingDays: submitted.handlingDays };
  if (dispatchNow) {
    // Automatic dispatch by the responsibility list, recorded as a step of the system.
    timeline.push({ at: now, action: 'DISPATCHED', actor: 'system', role: 'system', status: 'DISPATCHED', note: '按权责清单自动派单', toDepartmentId: department!._id, fromDepartmentId: null });
    deadlines = { ...withItemDispatchLimits(dispatchDeadlines(now, level), now, item), dispatchedAt: now };
  }

  const _id = new Types.ObjectId();
  const doc: RequestDoc = {
    _id,
    number: await nextNumber(models, now),
    submitterId,
    residentId: viewer.role === 'resident' ? viewer.residentId : null,
    idempotencyKey: input.idempotencyKey ?? `auto:${_id.toHexString()}`,
    ...(fingerprint ? { idempotencyFingerprint: fingerprint } : {}),
    title: input.title,
    description: input.description,
    channel: input.channel,
    status,
    open: isOpenStatus(status),
    level,
    urgent,
    peopleInvolved: input.peopleInvolved,
    amountAtStake: input.amountAtStake,
    categoryCode: item.categoryCode,
    itemCode: item._id,
    itemVersion: item.version ?? 1,
    departmentId: department?._id ?? null,
    communityCode: community._id,
    streetCode: community.streetCode,
    districtCode: community.districtCode,
    parkingLotId: input.parkingLotId,
    parentId: null,
    lat: input.lat ?? community.lat ?? null,
    lng: input.lng ?? community.lng ?? null,
    address: input.address,
    submittedAt: now,
    submittedMonth: localMonthString(now),
    reviewDueAt: submitted.reviewDueAt,
    dispatchDueAt: submitted.dispatchDueAt,
    extended: false,
    urgeCount: 0,
    escalated: false,
    timeline,
    version: 0,
    ...(deadlines as Pick<RequestDoc, 'dueAt' | 'handlingDays'>),
    ...filer?.extra,
  };
  if (duplicate) {
    const link = duplicateLink(duplicate, now);
    // Never dispatched: no department received it (the original's department handles the matter).
    Object.assign(doc, link.set, { departmentId: null });
    timeline.push(link.event);
  }
  doc.currentDeadline = currentDeadline(doc);
  // The day counter is a plain $inc, which FerretDB does not serialise: a number taken twice is
  // refused by the unique index on `number`, and the request simply takes the next one.
  for (let attempt = 0; attempt < NUMBER_ATTEMPTS; attempt += 1) {
    try {
      await models.Request.collection.insertOne(doc);
      await recordStatsChange(models, null, doc, now);
      const stored = duplicate ? await settleDuplicate(models, doc) : await linkIfRacedDuplicate(models, doc, now);
      return { request: stored, created: true, read: { community, item, department } };
    } catch (err) {
      if (!isDuplicateKey(err)) throw err;
      if (input.idempotencyKey && (await models.Request.exists({ submitterId, idempotencyKey: input.idempotencyKey }))) throw keyStoredMeanwhile();
      doc.number = await nextNumber(models, now);
    }
  }
  throw conflict('Could not allocate a request number; try again');
}
