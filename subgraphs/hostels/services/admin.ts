import { Types } from 'mongoose';
import { requireRole, type Viewer } from '../../../shared/platform/auth';
import type { PubSub } from '../../../shared/platform/pubsub';
import { badInput, conflict, notFound } from '../../../shared/platform/errors';
import { changedFields, readAudit, recordAudit, type AuditEntryDoc } from '../../../shared/subgraph/audit';
import { isDuplicateKey } from '../../../shared/subgraph/unique';
import { requireCommunity, requireDepartment } from '../../../shared/subgraph/places';
import type { References } from '../../../shared/subgraph/references';
import { localDateString } from '../../../shared/subgraph/time';
import * as validate from '../../../shared/subgraph/validate';
import { parseBedCode, parseBedGender, parseHostelFields, parseHostelId } from '../domain/admin-input';
import { nightsOf } from '../domain/dates';
import { HOSTEL_RULES } from '../domain/rules';
import { publishAvailability } from '../events';
import type { Models } from '../models';
import type { HostelBedDoc, HostelDoc } from '../models/types';
import { findOrNotFound } from '../../../shared/subgraph/entity';

export interface AdminDeps {
  viewer: Viewer;
  models: Models;
  pubsub: PubSub;
  references: References;
  clock: () => Date;
}

/**
 * The nights an application could take from today on: check-in up to `bookAheadDays` ahead, for up
 * to `maxNightsPerStay` nights. Closing a bed holds these nights itself (see `closeBed`).
 */
const CLOSURE_NIGHTS = HOSTEL_RULES.bookAheadDays + HOSTEL_RULES.maxNightsPerStay;

/** Closure nights are stored under this hostel id, so tonight's occupancy (by hostel id) does not count them. */
const closureHostelId = (hostelId: string) => `closed:${hostelId}`;

/** totalBeds is the count of open beds, recounted after every bed change (never incremented). */
async function recountBeds(models: Models, hostelId: string): Promise<void> {
  const totalBeds = await models.Bed.countDocuments({ hostelId, closedAt: null });
  await models.Hostel.updateOne({ _id: hostelId }, { $set: { totalBeds } });
}

/** Admin: a new hostel in a known community, run by a known department; it starts with no beds. */
export async function createHostel(ctx: AdminDeps, input: Record<string, unknown>): Promise<HostelDoc> {
  requireRole(ctx.viewer, 'admin');
  const id = parseHostelId('input.id', input.id);
  const fields = parseHostelFields('input', input);
  if (!fields.name) throw badInput('input.name', 'is required');
  if (!fields.address) throw badInput('input.address', 'is required');
  const communityCode = validate.code('input.communityCode', input.communityCode);
  if (!/^\d{12}$/.test(communityCode)) throw badInput('input.communityCode', 'is not a community code (12 digits)');
  await requireCommunity(ctx.references, ctx.viewer, communityCode, 'input.communityCode');
  if (fields.operatorId) await requireDepartment(ctx.references, ctx.viewer, fields.operatorId, 'input.operatorId');
  const doc: HostelDoc = {
    _id: id,
    name: fields.name,
    address: fields.address,
    communityCode,
    // The statistical division code: a community's first 6 digits are its district's.
    districtCode: communityCode.slice(0, 6),
    lat: fields.lat ?? null,
    lng: fields.lng ?? null,
    phone: fields.phone ?? null,
    totalBeds: 0,
    services: fields.services ?? [],
    hongKongMacaoDesk: fields.hongKongMacaoDesk ?? false,
    operatorId: fields.operatorId ?? null,
    closedAt: null,
  };
  try {
    await ctx.models.Hostel.create(doc);
  } catch (err) {
    if (isDuplicateKey(err)) throw conflict(`Hostel ${id} already exists`, { field: 'input.id' });
    throw err;
  }
  await recordAudit(ctx.models.Audit, ctx.viewer, ctx.clock(), { action: 'CREATE_HOSTEL', entityType: 'Hostel', entityId: id, after: doc });
  return doc;
}

/** Admin: changes a hostel's name, address, place on the map, phone, services, desk or operator. */
export async function updateHostel(ctx: AdminDeps, idInput: unknown, input: Record<string, unknown>): Promise<HostelDoc> {
  requireRole(ctx.viewer, 'admin');
  const id = validate.code('id', idInput);
  const fields = parseHostelFields('input', input);
  if (Object.keys(fields).length === 0) throw badInput('input', 'names nothing to change');
  const before = await findOrNotFound<HostelDoc>(ctx.models.Hostel, id, 'Hostel');
  if (fields.operatorId) await requireDepartment(ctx.references, ctx.viewer, fields.operatorId, 'input.operatorId');
  const updated = await ctx.models.Hostel.findOneAndUpdate({ _id: id }, { $set: fields }, { returnDocument: 'after' }).lean<HostelDoc>();
  if (!updated) throw notFound('Hostel', id);
  const diff = changedFields(before as unknown as Record<string, unknown>, fields as Record<string, unknown>);
  await recordAudit(ctx.models.Audit, ctx.viewer, ctx.clock(), { action: 'UPDATE_HOSTEL', entityType: 'Hostel', entityId: id, ...diff });
  return updated;
}

/**
 * Admin: closes a hostel to new applications. Refused (CONFLICT, `activeStays`) while a stay is
 * reserved or current there: its guests were promised their beds. The hostel is marked closed
 * first and the stays counted after, so an application that reads the hostel after the mark is
 * refused, and one stored before the count is seen (and the close undone).
 */
export async function closeHostel(ctx: AdminDeps, idInput: unknown): Promise<HostelDoc> {
  requireRole(ctx.viewer, 'admin');
  const id = validate.code('id', idInput);
  const hostel = await findOrNotFound<HostelDoc>(ctx.models.Hostel, id, 'Hostel');
  if (hostel.closedAt) throw conflict(`${hostel.name} is already closed`, { field: 'id' });
  const at = ctx.clock();
  await ctx.models.Hostel.updateOne({ _id: id }, { $set: { closedAt: at } });
  const activeStays = await ctx.models.Stay.countDocuments({ hostelId: id, status: { $in: ['RESERVED', 'CHECKED_IN'] } });
  if (activeStays > 0) {
    await ctx.models.Hostel.updateOne({ _id: id }, { $set: { closedAt: null } });
    throw conflict(`${hostel.name} has ${activeStays} reserved or current stay(s); cancel or finish them first`, { field: 'id', activeStays });
  }
  await recordAudit(ctx.models.Audit, ctx.viewer, at, { action: 'CLOSE_HOSTEL', entityType: 'Hostel', entityId: id, before: { closedAt: null }, after: { closedAt: at } });
  return { ...hostel, closedAt: at };
}

/** Admin: a closed hostel takes applications again. */
export async function reopenHostel(ctx: AdminDeps, idInput: unknown): Promise<HostelDoc> {
  requireRole(ctx.viewer, 'admin');
  const id = validate.code('id', idInput);
  const hostel = await findOrNotFound<HostelDoc>(ctx.models.Hostel, id, 'Hostel');
  if (!hostel.closedAt) throw conflict(`${hostel.name} is open`, { field: 'id' });
  await ctx.models.Hostel.updateOne({ _id: id }, { $set: { closedAt: null } });
  await recordAudit(ctx.models.Audit, ctx.viewer, ctx.clock(), { action: 'REOPEN_HOSTEL', entityType: 'Hostel', entityId: id, before: { closedAt: hostel.closedAt }, after: { closedAt: null } });
  return { ...hostel, closedAt: null };
}

/** Admin: a new bed `<room>-<n>` (id `<hostel>-<code>`); the hostel's totalBeds follows. */
export async function addBed(ctx: AdminDeps, hostelIdInput: unknown, input: Record<string, unknown>): Promise<HostelBedDoc> {
  requireRole(ctx.viewer, 'admin');
  const hostelId = validate.code('hostelId', hostelIdInput);
  const { code, room } = parseBedCode('input.code', input.code);
  const gender = parseBedGender('input.gender', input.gender);
  await findOrNotFound<HostelDoc>(ctx.models.Hostel, hostelId, 'Hostel');
  const bed: HostelBedDoc = { _id: `${hostelId}-${code}`, hostelId, code, room, gender, closedAt: null };
  try {
    await ctx.models.Bed.create(bed);
  } catch (err) {
    if (isDuplicateKey(err)) throw conflict(`Bed ${code} already exists in ${hostelId}`, { field: 'input.code' });
    throw err;
  }
  await recountBeds(ctx.models, hostelId);
  await recordAudit(ctx.models.Audit, ctx.viewer, ctx.clock(), { action: 'ADD_BED', entityType: 'HostelBed', entityId: bed._id, after: bed });
  await publishAvailability(ctx.models, ctx.pubsub, hostelId, ctx.clock());
  return bed;
}

/** The stay holding `bedId` on some night from today on, or null. */
async function stayHoldingFrom(models: Models, bedId: string, today: string): Promise<string | null> {
  const held = await models.BedNight.findOne({ bedId, night: { $gte: today } }).lean();
  return held && !held.hostelId.startsWith('closed:') ? String(held.stayId) : null;
}

/**
 * Admin: changes which sex a dormitory bed is kept for (null: a private room). Refused (CONFLICT,
 * `stayId`) while a stay holds the bed tonight or later: the guest was placed by the old rule.
 */
export async function updateBed(ctx: AdminDeps, idInput: unknown, input: Record<string, unknown>): Promise<HostelBedDoc> {
  requireRole(ctx.viewer, 'admin');
  const id = validate.code('id', idInput);
  if (!('gender' in input)) throw badInput('input', 'names nothing to change');
  const gender = parseBedGender('input.gender', input.gender);
  const bed = await findOrNotFound<HostelBedDoc>(ctx.models.Bed, id, 'HostelBed');
  if ((bed.gender ?? null) === gender) return bed;
  const stayId = await stayHoldingFrom(ctx.models, id, localDateString(ctx.clock()));
  if (stayId) throw conflict(`Bed ${bed.code} is held by a stay from tonight on; change it when the stay is over`, { field: 'id', stayId });
  await ctx.models.Bed.updateOne({ _id: id }, { $set: { gender } });
  await recordAudit(ctx.models.Audit, ctx.viewer, ctx.clock(), { action: 'UPDATE_BED', entityType: 'HostelBed', entityId: id, before: { gender: bed.gender ?? null }, after: { gender } });
  return { ...bed, gender };
}

/**
 * Admin: takes a bed out of use. Refused (CONFLICT, `stayId`) while a stay holds it tonight or on a
 * later night. Race-free without transactions: the close itself inserts the bed's nights for every
 * night an application could still book (today … today + 21) under the unique (bedId, night) index,
 * so of a close and an application racing for the same night exactly one gets it; on a duplicate
 * the close gives back what it inserted and is refused. Closure nights sit under `closed:<hostel>`,
 * outside tonight's occupancy; the bed's `closedAt` keeps it out of allocation after that horizon.
 */
export async function closeBed(ctx: AdminDeps, idInput: unknown): Promise<HostelBedDoc> {
  requireRole(ctx.viewer, 'admin');
  const id = validate.code('id', idInput);
  const bed = await findOrNotFound<HostelBedDoc>(ctx.models.Bed, id, 'HostelBed');
  if (bed.closedAt) throw conflict(`Bed ${bed.code} is already closed`, { field: 'id' });
  const now = ctx.clock();
  const today = localDateString(now);
  const closureId = new Types.ObjectId();
  try {
    await ctx.models.BedNight.insertMany(
      nightsOf(today, CLOSURE_NIGHTS).map((night) => ({ hostelId: closureHostelId(bed.hostelId), bedId: id, night, stayId: closureId })),
      { ordered: true },
    );
  } catch (err) {
    await ctx.models.BedNight.deleteMany({ stayId: closureId });
    if (!isDuplicateKey(err)) throw err;
    const stayId = await stayHoldingFrom(ctx.models, id, today);
    throw conflict(`Bed ${bed.code} is held by a stay from tonight on; close it when the stay is over`, { field: 'id', ...(stayId ? { stayId } : {}) });
  }
  await ctx.models.Bed.updateOne({ _id: id }, { $set: { closedAt: now } });
  await recountBeds(ctx.models, bed.hostelId);
  await recordAudit(ctx.models.Audit, ctx.viewer, now, { action: 'CLOSE_BED', entityType: 'HostelBed', entityId: id, before: { closedAt: null }, after: { closedAt: now } });
  await publishAvailability(ctx.models, ctx.pubsub, bed.hostelId, now);
  return { ...bed, closedAt: now };
}

/** Admin: a closed bed is allocated again; its closure nights are given back. */
export async function reopenBed(ctx: AdminDeps, idInput: unknown): Promise<HostelBedDoc> {
  requireRole(ctx.viewer, 'admin');
  const id = validate.code('id', idInput);
  const bed = await findOrNotFound<HostelBedDoc>(ctx.models.Bed, id, 'HostelBed');
  if (!bed.closedAt) throw conflict(`Bed ${bed.code} is open`, { field: 'id' });
  await ctx.models.Bed.updateOne({ _id: id }, { $set: { closedAt: null } });
  await ctx.models.BedNight.deleteMany({ bedId: id, hostelId: closureHostelId(bed.hostelId) });
  await recountBeds(ctx.models, bed.hostelId);
  const now = ctx.clock();
  await recordAudit(ctx.models.Audit, ctx.viewer, now, { action: 'REOPEN_BED', entityType: 'HostelBed', entityId: id, before: { closedAt: bed.closedAt }, after: { closedAt: null } });
  await publishAvailability(ctx.models, ctx.pubsub, bed.hostelId, now);
  return { ...bed, closedAt: null };
}

/** Admins: the audit trail of hostels and beds, of one record when `entityId` is given. */
export function hostelAuditLog(ctx: AdminDeps, args: { entityId?: string | null; limit?: number | null }): Promise<AuditEntryDoc[]> {
  const entityId = args.entityId == null ? undefined : validate.code('entityId', args.entityId);
  return readAudit(ctx.models.Audit, ctx.viewer, { entityId, limit: args.limit }, ctx.clock());
}
