import { requireArea } from '../../../shared/subgraph/access';
import { streetOfCommunity } from '../../../shared/subgraph/places';
import type { Viewer } from '../../../shared/platform/auth';
import { badInput, forbidden } from '../../../shared/platform/errors';
import * as v from '../../../shared/subgraph/validate';
import type { CreateVolunteerActivityInput } from '../generated/graphql';
import { MAX_SHIFT_HOURS } from './shift-windows';

export const MAX_SHIFTS = 20;
export const MAX_SHIFT_CAPACITY = 500;

export interface ShiftPlan {
  startsAt: Date;
  endsAt: Date;
  capacity: number;
}

/** A new activity's input, checked and reduced to plain values. */
export interface ActivityPlan {
  title: string;
  description: string;
  communityCode: string;
  teamId: string | null;
  stationId: string | null;
  organiserId: string;
  shifts: ShiftPlan[];
  idempotencyKey?: string;
}

/** The street office (a Department) of a community: what community workers organise as. */
export function streetOfficeOf(communityCode: string): string {
  return `ST-${streetOfCommunity(communityCode)}`;
}

/**
 * Checks who may organise what and every field of the input, before anything is written. Staff
 * organise for their own department, community workers for their community (as its street
 * office), admins for any department they name. Existence is checked by the caller: the team and
 * station in this subgraph's database, the community and a named department at their owner (the
 * requests subgraph, `requireCommunity` / `requireDepartment`).
 */
export function planActivity(input: CreateVolunteerActivityInput, viewer: Viewer, now: Date): ActivityPlan {
  const title = v.text('input.title', input.title, { min: 2, max: 100 });
  const description = v.text('input.description', input.description, { max: 2000, multiline: true });
  const communityCode = v.code('input.communityCode', input.communityCode);
  if (!/^\d{12}$/.test(communityCode)) throw badInput('input.communityCode', 'is not a community code (12 digits)');
  requireArea(viewer, { communityCode, streetCode: streetOfCommunity(communityCode) }, 'input.communityCode');
  const teamId = input.teamId == null ? null : v.code('input.teamId', input.teamId);
  const stationId = input.stationId == null ? null : v.code('input.stationId', input.stationId);
  const named = input.organiserId == null ? undefined : v.code('input.organiserId', input.organiserId);

  let organiserId: string;
  if (viewer.role === 'staff') {
    if (named !== undefined && named !== viewer.departmentId) throw forbidden('Staff organise activities for their own department only');
    organiserId = viewer.departmentId!;
  } else if (viewer.role === 'community_worker') {
    const office = streetOfficeOf(communityCode);
    if (named !== undefined && named !== office) throw forbidden(`Community workers organise as their street office (${office})`);
    organiserId = office;
  } else {
    if (named === undefined) throw badInput('input.organiserId', 'is required for admins');
    organiserId = named;
  }

  if (!Array.isArray(input.shifts) || input.shifts.length < 1 || input.shifts.length > MAX_SHIFTS) {
    throw badInput('input.shifts', `must list 1 to ${MAX_SHIFTS} shifts`);
  }
  const shifts = input.shifts.map((s, i) => {
    const startsAt = v.dateTime(`input.shifts.${i}.startsAt`, s.startsAt);
    const endsAt = v.dateTime(`input.shifts.${i}.endsAt`, s.endsAt);
    if (startsAt <= now) throw badInput(`input.shifts.${i}.startsAt`, 'must be in the future');
    if (endsAt <= startsAt) throw badInput(`input.shifts.${i}.endsAt`, 'must be after startsAt');
    if (endsAt.getTime() - startsAt.getTime() > MAX_SHIFT_HOURS * 3_600_000) {
      throw badInput(`input.shifts.${i}.endsAt`, `a shift lasts at most ${MAX_SHIFT_HOURS} hours`);
    }
    const capacity = v.intInRange(`input.shifts.${i}.capacity`, s.capacity, 1, MAX_SHIFT_CAPACITY);
    return { startsAt, endsAt, capacity };
  });
  const idempotencyKey = v.idempotencyKey('input.idempotencyKey', input.idempotencyKey);
  return { title, description, communityCode, teamId, stationId, organiserId, shifts, idempotencyKey };
}
