import type { Viewer } from '../../../shared/platform/auth';
import { maskIdNumber, maskPhone } from '../../../shared/subgraph/mask';
import type { Context } from '../context';
import type { ResidentDoc } from '../models';

type PersonalField = 'phone' | 'idNumber';

const MASKS: Record<PersonalField, (value: string | null | undefined) => string | null> = {
  phone: maskPhone,
  idNumber: maskIdNumber,
};

/** Why this viewer may see the field unmasked, or null when it must stay masked. */
async function groundsFor(viewer: Viewer, resident: ResidentDoc, ctx: Context): Promise<string | null> {
  if (viewer.role === 'resident' && viewer.residentId === resident._id) return 'owner';
  if (viewer.role === 'admin') return 'admin';
  if (viewer.role === 'staff' && viewer.departmentId) {
    const handles = await ctx.loaders.departmentHandlesResident.load(`${viewer.departmentId}|${resident._id}`);
    return handles ? 'handling a request of this resident' : null;
  }
  return null;
}

/**
 * A resident's phone or ID number: whole for the resident, admins and staff of a department that
 * handles one of the resident's requests, masked (138****5678) for everyone else. Every unmasked
 * read by someone other than the resident is written to the access log before it is returned,
 * so there is no unlogged read.
 */
export async function personalField(resident: ResidentDoc, field: PersonalField, ctx: Context): Promise<string | null> {
  const value = resident[field];
  if (!value) return null;
  const grounds = await groundsFor(ctx.viewer, resident, ctx);
  if (!grounds) return MASKS[field](value);
  if (grounds !== 'owner') {
    await ctx.models.AccessLog.create({
      at: ctx.clock(),
      viewerSubject: ctx.viewer.subject ?? ctx.viewer.role,
      viewerRole: ctx.viewer.role,
      departmentId: ctx.viewer.departmentId ?? null,
      residentId: resident._id,
      field,
      reason: grounds,
    });
  }
  return value;
}
