import { Types } from 'mongoose';
import type { Viewer } from '../../shared/platform/auth';
import { createModels, type Models } from '../../subgraphs/volunteers/models';
import { createSubgraph } from '../../subgraphs/volunteers/server';
import { startSubgraph, staffViewer, type RunningSubgraph } from '../support/subgraph';

/** Tuesday 10 June 2025, 10:00 in Shenzhen. */
export const NOW = new Date('2025-06-10T02:00:00Z');
export const SHUIBEI = '440303003001';
export const WATER = staffViewer('LH-WATER');
export const HOUR = 3_600_000;

export async function startVolunteers(label: string): Promise<{ sg: RunningSubgraph; models: Models }> {
  const sg = await startSubgraph(label, createSubgraph, { now: NOW });
  return { sg, models: createModels(sg.db.conn) };
}

/** The first GraphQL error's code and field, or null when the operation succeeded. */
export function errorOf(res: { errors?: Array<{ extensions?: Record<string, any> }> }) {
  const e = res.errors?.[0]?.extensions;
  return e ? { code: e.code as string, field: e.field as string | undefined } : null;
}

export async function registerResidents(models: Models, ids: string[], importedHours = 0): Promise<void> {
  await models.Profile.insertMany(ids.map((id) => ({ _id: id, joinedAt: NOW, importedHours })));
}

export const CREATE = `mutation($input: CreateVolunteerActivityInput!) {
  createVolunteerActivity(input: $input) { id shifts { id capacity taken waitlistCount } capacity signedUp fillRate waitlisted }
}`;

/** Creates an activity through the API as `viewer` (LH-WATER staff by default); returns it. */
export async function createActivity(
  sg: RunningSubgraph,
  shifts: Array<{ startsInHours: number; hours?: number; capacity: number }>,
  extra: Record<string, unknown> = {},
  viewer: Viewer = WATER,
) {
  const input = {
    title: '布吉河巡河',
    description: '沿布吉河水贝段巡查',
    communityCode: SHUIBEI,
    shifts: shifts.map((s) => ({
      startsAt: new Date(NOW.getTime() + s.startsInHours * HOUR).toISOString(),
      endsAt: new Date(NOW.getTime() + (s.startsInHours + (s.hours ?? 3)) * HOUR).toISOString(),
      capacity: s.capacity,
    })),
    ...extra,
  };
  const res = await sg.query(CREATE, { input }, viewer);
  if (res.errors) throw new Error(JSON.stringify(res.errors));
  return res.data.createVolunteerActivity as { id: string; shifts: Array<{ id: string }> };
}

export const SIGN_UP = `mutation($shiftId: ID!, $key: String) {
  signUpForShift(shiftId: $shiftId, idempotencyKey: $key) { id status waitlistPosition }
}`;

export const objectId = () => new Types.ObjectId().toHexString();
