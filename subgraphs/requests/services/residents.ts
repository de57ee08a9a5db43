import { requireRole } from '../../../shared/platform/auth';
import { badInput, conflict, notFound, unauthenticated, forbidden } from '../../../shared/platform/errors';
import { requireArea } from '../../../shared/subgraph/access';
import { isDuplicateKey } from '../../../shared/subgraph/unique';
import * as validate from '../../../shared/subgraph/validate';
import type { ResidentDoc } from '../models';
import type { RequestsService } from './deps';
import { residentFacts } from '../domain/eligibility';

export interface RegisterInput {
  name: string;
  phone: string;
  idNumber: string;
  homeCommunityCode: string;
}

const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const ID_CHECK = '10X98765432';

/** GB 11643: 17 digits (region, birth date yyyymmdd, sequence) and an ISO 7064 MOD 11-2 check character. */
export function residentIdNumber(field: string, value: unknown): string {
  const id = validate.code(field, value).toUpperCase();
  if (!/^\d{17}[\dX]$/.test(id)) throw badInput(field, 'is not an 18-character resident ID number (17 digits and a digit or X)');
  const birth = new Date(`${id.slice(6, 10)}-${id.slice(10, 12)}-${id.slice(12, 14)}T00:00:00Z`);
  if (Number.isNaN(birth.getTime()) || birth.toISOString().slice(0, 10).replace(/-/g, '') !== id.slice(6, 14)) {
    throw badInput(field, 'carries no valid birth date (characters 7 to 14)');
  }
  const sum = ID_WEIGHTS.reduce((acc, w, i) => acc + w * Number(id[i]), 0);
  if (ID_CHECK[sum % 11] !== id[17]) throw badInput(field, 'has a wrong check character (the last one)');
  return id;
}

/** The signed-in resident joins the registry; once, unverified until a desk clerk checks the ID card. */
export async function registerResident(ctx: RequestsService, input: RegisterInput): Promise<ResidentDoc> {
  const { models, viewer } = ctx;
  const now = ctx.clock();
  if (viewer.role === 'anonymous') throw unauthenticated();
  if (viewer.role !== 'resident' || !viewer.residentId) throw forbidden('Only a signed-in resident registers, for themselves');
  const name = validate.text('input.name', input.name, { max: 50 });
  const phone = validate.code('input.phone', input.phone);
  if (!/^1[3-9]\d{9}$/.test(phone)) throw badInput('input.phone', 'is not a mainland mobile number (11 digits starting 13–19)');
  const idNumber = residentIdNumber('input.idNumber', input.idNumber);
  const homeCommunityCode = validate.code('input.homeCommunityCode', input.homeCommunityCode);
  if (!(await models.Community.exists({ _id: homeCommunityCode }))) throw badInput('input.homeCommunityCode', 'is not a known community');
  try {
    const doc = await models.Resident.create({ _id: viewer.residentId, name, phone, idNumber, homeCommunityCode, realNameVerified: false, registeredAt: now, ...residentFacts(idNumber) });
    return doc.toObject();
  } catch (err) {
    // The unique _id is the registration's guard: two concurrent registrations store one.
    if (isDuplicateKey(err)) {
      throw conflict('You are registered already; a service desk corrects a registration');
    }
    throw err;
  }
}

/** A desk clerk (staff, within their street) or an admin confirms the registration against the ID card. */
export async function verifyResidentRealName(ctx: RequestsService, input: { id: string }): Promise<ResidentDoc> {
  const { id } = input;
  const { models, viewer } = ctx;
  const now = ctx.clock();
  requireRole(viewer, 'staff', 'admin');
  const residentId = validate.code('id', id);
  const resident = await models.Resident.findById(residentId).lean<ResidentDoc>();
  if (!resident) throw notFound('Resident', residentId);
  requireArea(viewer, { communityCode: resident.homeCommunityCode }, 'id');
  if (resident.realNameVerified) return resident;
  const verifiedBy = viewer.subject ?? viewer.role;
  await models.Resident.updateOne({ _id: residentId }, { $set: { realNameVerified: true, verifiedAt: now, verifiedBy } });
  return { ...resident, realNameVerified: true, verifiedAt: now, verifiedBy };
}
