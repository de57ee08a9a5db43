import { maskIdNumber, maskPhone } from '../../../shared/subgraph/mask';
import { logUnmaskedReadOnce, seesPeople, unmaskGrounds } from '../../../shared/subgraph/privacy';
import type { Context } from '../context';
import type { ResidentDoc } from '../models';

type PersonalField = 'phone' | 'idNumber';

const MASKS: Record<PersonalField, (value: string | null | undefined) => string | null> = {
  phone: maskPhone,
  idNumber: maskIdNumber,
};

/**
 * A resident's phone or ID number under shared/subgraph/privacy.ts: nothing for anonymous callers;
 * whole for the resident, admins, and staff of a department handling an open case of the resident
 * (or one closed within PERSONAL_DATA_UNMASK_DAYS); masked (138****5678) for everyone else. A
 * whole read by someone other than the resident is written to the access log before it is
 * returned, once per operation and field, so there is no unlogged read.
 */
export async function personalField(ctx: Context, input: { resident: ResidentDoc; field: PersonalField }): Promise<string | null> {
  const { resident, field } = input;
  const value = resident[field];
  if (!value || !seesPeople(ctx.viewer)) return null;
  const { viewer } = ctx;
  const handling = viewer.role === 'staff' && viewer.departmentId
    ? await ctx.loaders.departmentCasesOfResident.load(`${viewer.departmentId}|${resident._id}`)
    : null;
  const grounds = unmaskGrounds(viewer, resident._id, handling, ctx.clock());
  if (!grounds) return MASKS[field](value);
  if (grounds !== 'owner') {
    await logUnmaskedReadOnce(ctx, `${resident._id}|${field}`, () => ctx.models.AccessLog.create({
      at: ctx.clock(),
      viewerSubject: viewer.subject ?? viewer.role,
      viewerRole: viewer.role,
      departmentId: viewer.departmentId ?? null,
      residentId: resident._id,
      field,
      reason: grounds,
    }));
  }
  return value;
}
