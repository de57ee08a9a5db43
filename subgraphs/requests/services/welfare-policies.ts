import { requireRole } from '../../../shared/platform/auth';
import { badInput, conflict, forbidden, notFound } from '../../../shared/platform/errors';
import { requireArea } from '../../../shared/subgraph/access';
import { isDuplicateKey } from '../../../shared/subgraph/unique';
import * as validate from '../../../shared/subgraph/validate';
import { localParts } from '../../../shared/subgraph/time';
import { isEligible, residentFacts } from '../domain/eligibility';
import type { Models, ResidentDoc, WelfarePolicyDoc } from '../models';
import { recordListChange } from './list-audit';
import type { RequestsService } from './deps';

type Gender = 'MALE' | 'FEMALE';
type Target = 'RESIDENT' | 'ENTERPRISE';

export interface CriteriaInput {
  minAge?: number | null;
  maxAge?: number | null;
  gender?: Gender | null;
  districtCode?: string | null;
  communityCode?: string | null;
  livesAlone?: boolean | null;
  disability?: boolean | null;
}

type Criteria = Required<{ [K in keyof CriteriaInput]: Exclude<CriteriaInput[K], undefined> }>;

const NO_CRITERIA: Criteria = { minAge: null, maxAge: null, gender: null, districtCode: null, communityCode: null, livesAlone: null, disability: null };
const POLICY_ID = /^WP-[A-Z0-9-]{2,40}$/;
/** A policy's age range is looked up one birth year at a time; wider ranges are filtered in memory. */
const MAX_QUERIES = 64;
/** The oldest age a criterion may name: an open-ended range (60 and over) is then 62 birth years. */
const MAX_AGE = 120;

/** Checks the criteria and the places they name; `true`-only flags are stored as true or null. */
async function checkCriteria(models: Models, raw: CriteriaInput | null | undefined, target: Target): Promise<Criteria> {
  if (!raw) return { ...NO_CRITERIA };
  const f = (name: string) => `input.criteria.${name}`;
  const c: Criteria = {
    minAge: raw.minAge == null ? null : validate.intInRange(f('minAge'), raw.minAge, 0, MAX_AGE),
    maxAge: raw.maxAge == null ? null : validate.intInRange(f('maxAge'), raw.maxAge, 0, MAX_AGE),
    gender: raw.gender ?? null,
    districtCode: raw.districtCode == null ? null : validate.code(f('districtCode'), raw.districtCode),
    communityCode: raw.communityCode == null ? null : validate.code(f('communityCode'), raw.communityCode),
    livesAlone: raw.livesAlone === true ? true : null,
    disability: raw.disability === true ? true : null,
  };
  if (c.minAge !== null && c.maxAge !== null && c.maxAge < c.minAge) throw badInput(f('maxAge'), `is below minAge (${c.minAge})`);
  if (target === 'ENTERPRISE') {
    for (const k of ['minAge', 'maxAge', 'gender', 'livesAlone', 'disability'] as const) {
      if (c[k] !== null) throw badInput(f(k), 'applies to residents, not enterprises');
    }
  }
  if (c.districtCode && !(await models.District.exists({ _id: c.districtCode }))) throw badInput(f('districtCode'), 'is not a known district');
  if (c.communityCode) {
    const community = await models.Community.findById(c.communityCode, { districtCode: 1 }).lean();
    if (!community) throw badInput(f('communityCode'), 'is not a known community');
    if (c.districtCode && community.districtCode !== c.districtCode) throw badInput(f('communityCode'), `is not in district ${c.districtCode}`);
  }
  return c;
}

const criteriaOf = (p: WelfarePolicyDoc): Criteria => ({
  minAge: p.minAge ?? null,
  maxAge: p.maxAge ?? null,
  gender: p.gender ?? null,
  districtCode: p.districtCode ?? null,
  communityCode: p.communityCode ?? null,
  livesAlone: p.livesAlone ?? null,
  disability: p.disability ?? null,
});

const summaryOf = (p: WelfarePolicyDoc) => ({ name: p.name, description: p.description, target: p.target ?? 'RESIDENT', ...criteriaOf(p) });

export async function createWelfarePolicy(
  ctx: RequestsService,
  input: { id: string; name: string; description: string; target?: Target | null; criteria?: CriteriaInput | null },
): Promise<WelfarePolicyDoc> {
  requireRole(ctx.viewer, 'admin');
  const id = validate.code('input.id', input.id);
  if (!POLICY_ID.test(id)) throw badInput('input.id', 'is not a policy id: WP- and capitals, digits or dashes, e.g. WP-FREE-TWO-CANCER');
  const name = validate.text('input.name', input.name, { max: 50 });
  const description = validate.text('input.description', input.description, { max: 500, multiline: true });
  const target: Target = input.target ?? 'RESIDENT';
  const criteria = await checkCriteria(ctx.models, input.criteria, target);
  const doc: WelfarePolicyDoc = { _id: id, name, description, target, ...criteria, updatedAt: ctx.clock() };
  try {
    await ctx.models.WelfarePolicy.create(doc);
  } catch (err) {
    if (!isDuplicateKey(err)) throw err;
    throw conflict(`Welfare policy ${id} exists already`);
  }
  await recordListChange(ctx, { entity: 'WELFARE_POLICY', entityId: id, action: 'CREATE', before: null, after: summaryOf(doc) });
  return doc;
}

export async function updateWelfarePolicy(ctx: RequestsService, args: { id: string; input: { name?: string | null; description?: string | null; criteria?: CriteriaInput | null } }): Promise<WelfarePolicyDoc> {
  const { id: rawId, input } = args;
  requireRole(ctx.viewer, 'admin');
  const id = validate.code('id', rawId);
  const name = validate.optionalText('input.name', input.name, { max: 50 });
  const description = validate.optionalText('input.description', input.description, { max: 500, multiline: true });
  const current = await ctx.models.WelfarePolicy.findById(id).lean<WelfarePolicyDoc>();
  if (!current) throw notFound('WelfarePolicy', id);
  const criteria = input.criteria === undefined || input.criteria === null ? criteriaOf(current) : await checkCriteria(ctx.models, input.criteria, current.target ?? 'RESIDENT');
  const next: WelfarePolicyDoc = { ...current, name: name ?? current.name, description: description ?? current.description, ...criteria, updatedAt: ctx.clock() };
  const { _id, ...set } = next;
  await ctx.models.WelfarePolicy.updateOne({ _id: id }, { $set: set });
  await recordListChange(ctx, { entity: 'WELFARE_POLICY', entityId: id, action: 'UPDATE', before: summaryOf(current), after: summaryOf(next) });
  return next;
}

/**
 * The residents a policy reaches on `now`'s Shenzhen day. Only equalities reach the database
 * (FerretDB pushes nothing else down): one query per birth year of the age range, per community
 * of the district, with gender and the care flags — as many as the product, up to 64, else the
 * cheaper of the two alone — and the exact rule (`isEligible`) then decides in memory.
 */
export async function eligibleResidents(models: Models, policy: WelfarePolicyDoc, now: Date): Promise<Pick<ResidentDoc, '_id'>[]> {
  if ((policy.target ?? 'RESIDENT') !== 'RESIDENT') return [];
  const c = criteriaOf(policy);
  const base: Record<string, unknown> = {};
  if (c.gender) base.gender = c.gender;
  if (c.livesAlone) base.livesAlone = true;
  if (c.disability) base.disability = true;

  let communities: string[] | null = null;
  if (c.communityCode) communities = [c.communityCode];
  else if (c.districtCode) communities = (await models.Community.find({ districtCode: c.districtCode }, { _id: 1 }).lean()).map((x) => x._id);
  if (communities && communities.length === 0) return [];

  let years: number[] | null = null;
  if (c.minAge !== null || c.maxAge !== null) {
    // Someone aged a on the day was born in (year - a - 1) or (year - a).
    const year = localParts(now).year;
    const from = year - (c.maxAge ?? MAX_AGE) - 1;
    const to = year - (c.minAge ?? 0);
    years = Array.from({ length: to - from + 1 }, (_, i) => from + i);
  }

  let filters: Record<string, unknown>[];
  if (years && communities && years.length * communities.length <= MAX_QUERIES) {
    filters = years.flatMap((birthYear) => communities!.map((homeCommunityCode) => ({ ...base, birthYear, homeCommunityCode })));
  } else if (years && years.length <= MAX_QUERIES && (!communities || years.length <= communities.length)) {
    filters = years.map((birthYear) => ({ ...base, birthYear }));
  } else if (communities && communities.length <= MAX_QUERIES) {
    filters = communities.map((homeCommunityCode) => ({ ...base, homeCommunityCode }));
  } else {
    filters = [base];
  }
  const projection = { idNumber: 1, homeCommunityCode: 1, livesAlone: 1, disability: 1 };
  const found = (await Promise.all(filters.map((f) => models.Resident.find(f, projection).lean<ResidentDoc[]>()))).flat();
  const inDistrict = communities && c.districtCode ? new Set(communities) : null;
  const seen = new Set<string>();
  return found.filter((r) => {
    if (seen.has(r._id)) return false;
    seen.add(r._id);
    const facts = {
      idNumber: r.idNumber,
      communityCode: r.homeCommunityCode,
      districtCode: inDistrict?.has(r.homeCommunityCode ?? '') ? c.districtCode : null,
      livesAlone: r.livesAlone,
      disability: r.disability,
    };
    return isEligible(c, facts, now);
  });
}

export async function eligibleCount(ctx: RequestsService, input: { id: string }): Promise<number> {
  const { id: rawId } = input;
  requireRole(ctx.viewer, 'admin');
  const id = validate.code('id', rawId);
  const policy = await ctx.models.WelfarePolicy.findById(id).lean<WelfarePolicyDoc>();
  if (!policy) throw notFound('WelfarePolicy', id);
  return (await eligibleResidents(ctx.models, policy, ctx.clock())).length;
}

/** Admins, or a worker of the resident's home community, record the care facts policies test. */
export async function setResidentCareFacts(ctx: RequestsService, input: { id: string; livesAlone: boolean; disability: boolean }): Promise<ResidentDoc> {
  const { id: rawId, livesAlone, disability } = input;
  const id = validate.code('id', rawId);
  requireRole(ctx.viewer, 'admin', 'community_worker');
  const resident = await ctx.models.Resident.findById(id).lean<ResidentDoc>();
  if (!resident) throw notFound('Resident', id);
  if (ctx.viewer.role === 'community_worker') {
    if (!resident.homeCommunityCode) throw forbidden('The resident has no home community');
    requireArea(ctx.viewer, { communityCode: resident.homeCommunityCode }, 'id');
  }
  const before = { livesAlone: resident.livesAlone === true, disability: resident.disability === true };
  const after = { livesAlone, disability };
  await ctx.models.Resident.updateOne({ _id: id }, { $set: after });
  // The audit keeps the facts only: no name, phone or ID number of the resident.
  await recordListChange(ctx, { entity: 'RESIDENT_CARE', entityId: id, action: 'UPDATE', before, after });
  return { ...resident, ...after };
}

/**
 * Stores `birthYear` and `gender` on residents registered before they were derived (a one-off
 * migration the seed runs): until then, policies with an age or gender criterion cannot find them.
 */
export async function backfillResidentFacts(ctx: Pick<RequestsService, 'models'>): Promise<number> {
  const { models } = ctx;
  const missing = await models.Resident.find({ birthYear: null }, { idNumber: 1 }).lean<ResidentDoc[]>();
  let done = 0;
  for (const r of missing) {
    const facts = residentFacts(r.idNumber);
    if (facts.birthYear === null) continue;
    await models.Resident.updateOne({ _id: r._id }, { $set: facts });
    done += 1;
  }
  return done;
}
