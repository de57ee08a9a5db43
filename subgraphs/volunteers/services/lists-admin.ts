import { requireRole } from '../../../shared/platform/auth';
import { badInput, conflict } from '../../../shared/platform/errors';
import { changedFields, readAudit, recordAudit, type AuditEntryDoc } from '../../../shared/subgraph/audit';
import { boundingBox, haversineMeters } from '../../../shared/subgraph/geo';
import { requireCommunity, requireDepartment } from '../../../shared/subgraph/places';
import { isDuplicateKey } from '../../../shared/subgraph/unique';
import * as v from '../../../shared/subgraph/validate';
import { openPeriodAt } from '../domain/opening-hours';
import { parseKind, parseOpeningHours, parseStationFields, parseStationId, ROUND_THE_CLOCK } from '../domain/station-input';
import { STATION_AMENITIES, type Models, type OpeningPeriod, type StationAmenity, type StationDoc, type TeamDoc } from '../models';
import { TEAM_KINDS } from '../models/team';
import type { VolunteerTeamKind } from '../generated/graphql';
import type { ReferencingVolunteersService, VolunteersService } from './deps';
import { findOrNotFound } from '../../../shared/subgraph/entity';


export type StationWithDistance = StationDoc & { distanceMeters?: number };

/** Every rostered volunteer must have registered (registerVolunteer); the first unknown one is named. */
async function requireVolunteers(models: Models, hours: OpeningPeriod[], field: string): Promise<void> {
  const ids = [...new Set(hours.flatMap((p) => p.volunteerIds))];
  if (!ids.length) return;
  const known = new Set((await models.Profile.find({ _id: { $in: ids } }, { _id: 1 }).lean()).map((p) => String(p._id)));
  for (const [i, p] of hours.entries()) {
    const j = p.volunteerIds.findIndex((id) => !known.has(id));
    if (j >= 0) throw badInput(`${field}.${i}.volunteerIds.${j}`, `${p.volunteerIds[j]} is not a registered volunteer`);
  }
}

/**
 * Stations near a point, nearest first, with their distance: a bounding-box range query on the
 * indexed lat/lng narrows the candidates (FerretDB has no geo index, `shared/subgraph/geo.ts`), the
 * great-circle distance filters them. Closed stations are left out.
 */
export async function stationsNear(
  ctx: VolunteersService,
  args: { lat: unknown; lng: unknown; radiusMeters: unknown; kind?: unknown; open24h?: unknown; openNow?: unknown; amenities?: unknown },
): Promise<StationWithDistance[]> {
  const lat = v.numberInRange('lat', args.lat, -90, 90);
  const lng = v.numberInRange('lng', args.lng, -180, 180);
  const radius = v.intInRange('radiusMeters', args.radiusMeters, 1, 20000);
  const amenities = (Array.isArray(args.amenities) ? args.amenities : []) as StationAmenity[];
  for (const [i, a] of amenities.entries()) if (!STATION_AMENITIES.includes(a)) throw badInput(`amenities.${i}`, 'is not an amenity');
  const box = boundingBox(lat, lng, radius);
  const filter: Record<string, unknown> = { lat: { $gte: box.minLat, $lte: box.maxLat }, lng: { $gte: box.minLng, $lte: box.maxLng } };
  if (args.kind != null) filter.kind = parseKind('kind', args.kind) === 'REST_HOUSE' ? 'REST_HOUSE' : { $ne: 'REST_HOUSE' };
  if (args.open24h === true) filter.open24h = true;
  const now = ctx.clock();
  return (await ctx.models.Station.find(filter).lean<StationDoc[]>())
    .filter((s) => !s.closedAt)
    .filter((s) => amenities.every((a) => s.amenities?.includes(a)))
    .filter((s) => args.openNow !== true || openPeriodAt(s.openingHours, now) !== null)
    .map((s) => ({ ...s, distanceMeters: Math.round(haversineMeters(lat, lng, s.lat, s.lng)) }))
    .filter((s) => s.distanceMeters <= radius)
    .sort((a, b) => a.distanceMeters - b.distanceMeters || a._id.localeCompare(b._id));
}

/** Admin: a new U-station or 歇脚屋 in a known community, run by a known street office. */
export async function createStation(ctx: ReferencingVolunteersService, input: Record<string, unknown>): Promise<StationDoc> {
  requireRole(ctx.viewer, 'admin');
  const kind = parseKind('input.kind', input.kind);
  const id = parseStationId('input.id', input.id, kind);
  const fields = parseStationFields('input', input);
  for (const required of ['name', 'address', 'lat', 'lng'] as const) if (fields[required] === undefined) throw badInput(`input.${required}`, 'is required');
  const communityCode = v.code('input.communityCode', input.communityCode);
  if (!/^\d{12}$/.test(communityCode)) throw badInput('input.communityCode', 'is not a community code (12 digits)');
  const managerDepartmentId = v.code('input.managerDepartmentId', input.managerDepartmentId);
  const openingHours = fields.open24h ? ROUND_THE_CLOCK : parseOpeningHours('input.openingHours', input.openingHours ?? []);
  await requireVolunteers(ctx.models, openingHours, 'input.openingHours');
  await requireCommunity(ctx.references, ctx.viewer, communityCode, 'input.communityCode');
  await requireDepartment(ctx.references, ctx.viewer, managerDepartmentId, 'input.managerDepartmentId');
  const doc: StationDoc = {
    _id: id,
    kind,
    name: fields.name!,
    address: fields.address!,
    lat: fields.lat!,
    lng: fields.lng!,
    communityCode,
    managerDepartmentId,
    openingHours,
    amenities: fields.amenities ?? [],
    open24h: fields.open24h ?? false,
    unattended: fields.unattended ?? false,
    programmes: fields.programmes ?? [],
    closedAt: null,
  };
  try {
    await ctx.models.Station.create(doc);
  } catch (err) {
    if (isDuplicateKey(err)) throw conflict(`Station ${id} already exists`, { field: 'input.id' });
    throw err;
  }
  await recordAudit(ctx.models.Audit, ctx.viewer, ctx.clock(), { action: 'CREATE_STATION', entityType: 'VolunteerStation', entityId: id, after: doc });
  return doc;
}

/** Admin: changes a station's details; turning open24h on makes it open all day, every day. */
export async function updateStation(ctx: VolunteersService, { id: idInput, input }: { id: unknown; input: Record<string, unknown> }): Promise<StationDoc> {
  requireRole(ctx.viewer, 'admin');
  const id = v.code('id', idInput);
  const fields = parseStationFields('input', input);
  if (Object.keys(fields).length === 0) throw badInput('input', 'names nothing to change');
  const before = await findOrNotFound<StationDoc>(ctx.models.Station, id, 'VolunteerStation');
  const set: Record<string, unknown> = { ...fields };
  if (fields.open24h === true) {
    // Round the clock needs nobody on a roster; rostered volunteers would lose their periods.
    if (before.openingHours.some((p) => p.volunteerIds.length)) {
      throw conflict('Volunteers are rostered on this station; clear its rosters (setVolunteerStationHours) first', { field: 'input.open24h' });
    }
    set.openingHours = ROUND_THE_CLOCK;
  }
  await ctx.models.Station.updateOne({ _id: id }, { $set: set });
  const diff = changedFields(before as unknown as Record<string, unknown>, set);
  await recordAudit(ctx.models.Audit, ctx.viewer, ctx.clock(), { action: 'UPDATE_STATION', entityType: 'VolunteerStation', entityId: id, ...diff });
  return { ...before, ...set } as StationDoc;
}

/**
 * Admin: replaces a station's opening periods and rosters. A volunteer on duty right now (on the
 * roster of the period covering now) may not be taken off it: CONFLICT naming `hours` and the
 * volunteer, so nobody's current shift disappears under them. A period with volunteers on its
 * roster may not be removed or moved (CONFLICT, `period`): its roster is emptied first. Rostered residents must be
 * registered volunteers. A round-the-clock station keeps its all-day hours (turn open24h off first).
 */
export async function setStationHours(ctx: VolunteersService, { id: idInput, hours: hoursInput }: { id: unknown; hours: unknown }): Promise<StationDoc> {
  requireRole(ctx.viewer, 'admin');
  const id = v.code('id', idInput);
  const hours = parseOpeningHours('hours', hoursInput);
  const station = await findOrNotFound<StationDoc>(ctx.models.Station, id, 'VolunteerStation');
  if (station.open24h) throw conflict(`${station.name} is open round the clock; turn open24h off first`, { field: 'hours' });
  await requireVolunteers(ctx.models, hours, 'hours');
  const now = ctx.clock();
  const onDuty = openPeriodAt(station.openingHours, now)?.volunteerIds ?? [];
  const stillOnDuty = new Set(openPeriodAt(hours, now)?.volunteerIds ?? []);
  const dropped = onDuty.filter((r) => !stillOnDuty.has(r));
  if (dropped.length) {
    throw conflict(`${dropped.length} volunteer(s) are on duty now in a period this change removes or leaves them out of; change it after the period`, { field: 'hours', volunteerIds: dropped });
  }
  // A period is its days and times: one with people on its roster is not dropped (or moved) in
  // passing; its roster is emptied first, so taking volunteers off is always a visible step.
  const periodKey = (p: OpeningPeriod) => `${[...p.weekdays].sort().join(',')}@${p.opensAt}-${p.closesAt}`;
  const kept = new Set(hours.map(periodKey));
  const rosteredGone = station.openingHours.find((p) => p.volunteerIds.length > 0 && !kept.has(periodKey(p)));
  if (rosteredGone) {
    throw conflict(`The period ${periodKey(rosteredGone)} has ${rosteredGone.volunteerIds.length} volunteer(s) on its roster; take them off it first`, {
      field: 'hours',
      period: periodKey(rosteredGone),
      volunteerIds: rosteredGone.volunteerIds,
    });
  }
  await ctx.models.Station.updateOne({ _id: id }, { $set: { openingHours: hours } });
  await recordAudit(ctx.models.Audit, ctx.viewer, now, { action: 'SET_STATION_HOURS', entityType: 'VolunteerStation', entityId: id, before: { openingHours: station.openingHours }, after: { openingHours: hours } });
  return { ...station, openingHours: hours };
}

/** Admin: closes a station. Refused (CONFLICT, `activities`) while activities at it have not ended. */
export async function closeStation(ctx: VolunteersService, { id: idInput }: { id: unknown }): Promise<StationDoc> {
  requireRole(ctx.viewer, 'admin');
  const id = v.code('id', idInput);
  const station = await findOrNotFound<StationDoc>(ctx.models.Station, id, 'VolunteerStation');
  if (station.closedAt) throw conflict(`${station.name} is already closed`, { field: 'id' });
  const now = ctx.clock();
  const activities = await ctx.models.Activity.countDocuments({ stationId: id, endsAt: { $gt: now } });
  if (activities > 0) throw conflict(`${station.name} has ${activities} activity(ies) not yet ended; move or finish them first`, { field: 'id', activities });
  await ctx.models.Station.updateOne({ _id: id }, { $set: { closedAt: now } });
  await recordAudit(ctx.models.Audit, ctx.viewer, now, { action: 'CLOSE_STATION', entityType: 'VolunteerStation', entityId: id, before: { closedAt: null }, after: { closedAt: now } });
  return { ...station, closedAt: now };
}

export async function reopenStation(ctx: VolunteersService, { id: idInput }: { id: unknown }): Promise<StationDoc> {
  requireRole(ctx.viewer, 'admin');
  const id = v.code('id', idInput);
  const station = await findOrNotFound<StationDoc>(ctx.models.Station, id, 'VolunteerStation');
  if (!station.closedAt) throw conflict(`${station.name} is open`, { field: 'id' });
  await ctx.models.Station.updateOne({ _id: id }, { $set: { closedAt: null } });
  await recordAudit(ctx.models.Audit, ctx.viewer, ctx.clock(), { action: 'REOPEN_STATION', entityType: 'VolunteerStation', entityId: id, before: { closedAt: station.closedAt }, after: { closedAt: null } });
  return { ...station, closedAt: null };
}

/** Admin: a new team (imported figures start at zero), optionally based in a known community. */
export async function createTeam(ctx: ReferencingVolunteersService, input: Record<string, unknown>): Promise<TeamDoc> {
  requireRole(ctx.viewer, 'admin');
  if (typeof input.id !== 'string' || !/^VT-[A-Z0-9]{1,12}(-[A-Z0-9]{1,12})?$/.test(input.id)) throw badInput('input.id', 'must look like VT-BEE-06');
  const id = input.id;
  const name = v.text('input.name', input.name, { max: 60 });
  if (!TEAM_KINDS.includes(input.kind as VolunteerTeamKind)) throw badInput('input.kind', 'is not a team kind');
  const description = input.description == null ? undefined : v.text('input.description', input.description, { max: 500, multiline: true });
  let communityCode: string | null = null;
  if (input.communityCode != null) {
    communityCode = v.code('input.communityCode', input.communityCode);
    await requireCommunity(ctx.references, ctx.viewer, communityCode, 'input.communityCode');
  }
  const doc: TeamDoc = { _id: id, name, kind: input.kind as VolunteerTeamKind, description, communityCode, imported: { roster: 0, hours: 0, patrols: 0, services: 0 }, closedAt: null };
  try {
    await ctx.models.Team.create(doc);
  } catch (err) {
    if (isDuplicateKey(err)) throw conflict(`Team ${id} already exists`, { field: 'input.id' });
    throw err;
  }
  await recordAudit(ctx.models.Audit, ctx.viewer, ctx.clock(), { action: 'CREATE_TEAM', entityType: 'VolunteerTeam', entityId: id, after: doc });
  return doc;
}

export async function updateTeam(ctx: VolunteersService, { id: idInput, input }: { id: unknown; input: Record<string, unknown> }): Promise<TeamDoc> {
  requireRole(ctx.viewer, 'admin');
  const id = v.code('id', idInput);
  const set: Record<string, unknown> = {};
  if (input.name != null) set.name = v.text('input.name', input.name, { max: 60 });
  if (input.description != null) set.description = v.text('input.description', input.description, { max: 500, multiline: true });
  if (!Object.keys(set).length) throw badInput('input', 'names nothing to change');
  const before = await findOrNotFound<TeamDoc>(ctx.models.Team, id, 'VolunteerTeam');
  await ctx.models.Team.updateOne({ _id: id }, { $set: set });
  await recordAudit(ctx.models.Audit, ctx.viewer, ctx.clock(), { action: 'UPDATE_TEAM', entityType: 'VolunteerTeam', entityId: id, ...changedFields(before as unknown as Record<string, unknown>, set) });
  return { ...before, ...set } as TeamDoc;
}

/**
 * Admin: closes a team to new members; members, history and figures stay. Refused (CONFLICT,
 * `activities`) while the team's activities have not ended: their sign-ups were made for it.
 */
export async function closeTeam(ctx: VolunteersService, { id: idInput }: { id: unknown }): Promise<TeamDoc> {
  requireRole(ctx.viewer, 'admin');
  const id = v.code('id', idInput);
  const team = await findOrNotFound<TeamDoc>(ctx.models.Team, id, 'VolunteerTeam');
  if (team.closedAt) throw conflict(`${team.name} is already closed`, { field: 'id' });
  const now = ctx.clock();
  const activities = await ctx.models.Activity.countDocuments({ teamId: id, endsAt: { $gt: now } });
  if (activities > 0) throw conflict(`${team.name} has ${activities} activity(ies) not yet ended`, { field: 'id', activities });
  await ctx.models.Team.updateOne({ _id: id }, { $set: { closedAt: now } });
  await recordAudit(ctx.models.Audit, ctx.viewer, now, { action: 'CLOSE_TEAM', entityType: 'VolunteerTeam', entityId: id, before: { closedAt: null }, after: { closedAt: now } });
  return { ...team, closedAt: now };
}

/** Admins: the audit trail of stations, rosters and teams, of one record when `entityId` is given. */
export function volunteerAuditLog(ctx: VolunteersService, args: { entityId?: string | null; limit?: number | null }): Promise<AuditEntryDoc[]> {
  const entityId = args.entityId == null ? undefined : v.code('entityId', args.entityId);
  return readAudit(ctx.models.Audit, ctx.viewer, { entityId, limit: args.limit }, ctx.clock());
}
