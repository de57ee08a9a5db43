import { requireRole } from '../../../shared/platform/auth';
import { badInput, conflict, notFound } from '../../../shared/platform/errors';
import { claimOnce } from '../../../shared/subgraph/claims';
import { isDuplicateKey } from '../../../shared/subgraph/unique';
import * as validate from '../../../shared/subgraph/validate';
import type { DepartmentKind } from '../domain/catalog';
import { EMERGENCY_DISPATCH_MINUTES, HANDLING_DAYS, NORMAL_DISPATCH_MINUTES } from '../domain/catalog';
import { categoryCode, checkLimits, itemCode, keywords } from '../domain/list-rules';
import type { CategoryDoc, CategoryVersionDoc, DepartmentDoc, ItemDoc, ItemVersionDoc, Models } from '../models';
import { versionId } from '../models/list-versions';
import { recordListChange } from './list-audit';
import type { RequestsService } from './deps';


/** The fields of an item that a version keeps. */
type ItemFields = Pick<ItemDoc, 'name' | 'categoryCode' | 'departmentKind' | 'emergency' | 'dispatchLimitMinutes' | 'handlingDays' | 'keywords' | 'fallback'>;
type CategoryFields = Pick<CategoryDoc, 'name' | 'order'>;

const itemFields = (i: ItemDoc): ItemFields => ({
  name: i.name,
  categoryCode: i.categoryCode,
  departmentKind: i.departmentKind,
  emergency: i.emergency,
  dispatchLimitMinutes: i.dispatchLimitMinutes,
  handlingDays: i.handlingDays,
  keywords: [...i.keywords],
  fallback: i.fallback ?? false,
});
const categoryFields = (c: CategoryDoc): CategoryFields => ({ name: c.name, order: c.order });

function stamp(ctx: RequestsService, note: string | null) {
  return { changedAt: ctx.clock(), changedBy: ctx.viewer.subject ?? ctx.viewer.role, changedByRole: ctx.viewer.role, note };
}

const note = (value: unknown) => validate.optionalText('input.note', value, { max: 200 }) ?? null;

async function requireDepartmentKind(models: Models, kind: DepartmentKind, field: string): Promise<void> {
  // Routing resolves a kind to the district's department of that kind (else the street office):
  // a kind no department has would route every request of the item to a street office.
  if (kind !== 'STREET_OFFICE' && !(await models.Department.exists({ kind }))) throw badInput(field, `no department of kind ${kind} exists`);
}

/**
 * Versions are claims: inserting `<code>@<n>` (unique `_id`) is what makes version n this
 * admin's. A save that lost the claim answers CONFLICT; before that it rolls the record forward to
 * the newest stored version, so a save interrupted between its claim and its write is finished by
 * the next one rather than blocking the item for good.
 */
async function rollForward<V extends { version: number }>(versions: V[], current: number, write: (latest: V) => Promise<unknown>): Promise<void> {
  const latest = versions.reduce<V | null>((a, v) => (a && a.version >= v.version ? a : v), null);
  if (latest && latest.version > current) await write(latest);
}

// ---- categories -------------------------------------------------------------------------------

export async function createCategory(ctx: RequestsService, input: { code: string; name: string; order?: number | null; note?: string | null }): Promise<CategoryDoc> {
  requireRole(ctx.viewer, 'admin');
  const code = categoryCode('input.code', input.code);
  const name = validate.text('input.name', input.name, { max: 30 });
  const order = input.order == null ? await ctx.models.Category.countDocuments() : validate.intInRange('input.order', input.order, 0, 999);
  const why = note(input.note);
  if (await ctx.models.Category.exists({ _id: code })) throw conflict(`Category ${code} exists already`);
  const fields: CategoryFields = { name, order };
  if (!(await claimOnce(ctx.models.CategoryVersion, { _id: versionId(code, 1), code, version: 1, ...fields, ...stamp(ctx, why) }))) {
    throw conflict(`Category ${code} was created meanwhile`);
  }
  const doc: CategoryDoc = { _id: code, ...fields, version: 1 };
  await ctx.models.Category.create(doc);
  await recordListChange(ctx, { entity: 'CATEGORY', entityId: code, action: 'CREATE', before: null, after: { ...fields } });
  return doc;
}

export async function updateCategory(ctx: RequestsService, args: { code: string; input: { name?: string | null; order?: number | null; note?: string | null } }): Promise<CategoryDoc> {
  const { code: rawCode, input } = args;
  requireRole(ctx.viewer, 'admin');
  const code = categoryCode('code', rawCode);
  const next: Partial<CategoryFields> = {};
  if (input.name != null) next.name = validate.text('input.name', input.name, { max: 30 });
  if (input.order != null) next.order = validate.intInRange('input.order', input.order, 0, 999);
  const why = note(input.note);
  const current = await ctx.models.Category.findById(code).lean<CategoryDoc>();
  if (!current) throw notFound('Category', code);
  const version = current.version ?? 1;
  const before = categoryFields(current);
  const after = { ...before, ...next };
  if (before.name === after.name && before.order === after.order) return current;
  // Categories seeded before versioning get their version 1 written now, so history starts there.
  await claimOnce(ctx.models.CategoryVersion, { _id: versionId(code, version), code, version, ...before, changedAt: ctx.clock(), changedBy: 'seed', changedByRole: 'system', note: null });
  if (!(await claimOnce(ctx.models.CategoryVersion, { _id: versionId(code, version + 1), code, version: version + 1, ...after, ...stamp(ctx, why) }))) {
    await rollForward(await ctx.models.CategoryVersion.find({ code }).lean<CategoryVersionDoc[]>(), version, (v) =>
      ctx.models.Category.updateOne({ _id: code }, { $set: { name: v.name, order: v.order, version: v.version } }),
    );
    throw conflict(`Category ${code} changed meanwhile; reload it`, { version: version + 1 });
  }
  await ctx.models.Category.updateOne({ _id: code }, { $set: { ...after, version: version + 1 } });
  await recordListChange(ctx, { entity: 'CATEGORY', entityId: code, action: 'UPDATE', before: { ...before, version }, after: { ...after, version: version + 1 } });
  return { _id: code, ...after, version: version + 1 };
}

// ---- items ------------------------------------------------------------------------------------

export interface CreateItemInput {
  code: string;
  categoryCode: string;
  name: string;
  departmentKind: DepartmentKind;
  emergency?: boolean | null;
  dispatchLimitMinutes?: number | null;
  handlingDays?: number | null;
  keywords?: readonly string[] | null;
  note?: string | null;
}

export async function createItem(ctx: RequestsService, input: CreateItemInput): Promise<ItemDoc> {
  requireRole(ctx.viewer, 'admin');
  const category = categoryCode('input.categoryCode', input.categoryCode);
  const code = itemCode('input.code', input.code, category);
  const name = validate.text('input.name', input.name, { max: 50 });
  const emergency = input.emergency === true;
  const limits = checkLimits(
    {
      emergency,
      dispatchLimitMinutes: input.dispatchLimitMinutes ?? (emergency ? EMERGENCY_DISPATCH_MINUTES : NORMAL_DISPATCH_MINUTES),
      handlingDays: input.handlingDays ?? HANDLING_DAYS,
    },
    { dispatch: 'input.dispatchLimitMinutes', handling: 'input.handlingDays' },
  );
  const words = keywords('input.keywords', input.keywords);
  const why = note(input.note);
  if (!(await ctx.models.Category.exists({ _id: category }))) throw badInput('input.categoryCode', 'is not a category of the responsibility list');
  await requireDepartmentKind(ctx.models, input.departmentKind, 'input.departmentKind');
  if (await ctx.models.Item.exists({ _id: code })) throw conflict(`Item ${code} exists already`);
  const fields: ItemFields = { name, categoryCode: category, departmentKind: input.departmentKind, ...limits, keywords: words, fallback: false };
  if (!(await claimOnce(ctx.models.ItemVersion, { _id: versionId(code, 1), code, version: 1, ...fields, ...stamp(ctx, why) }))) {
    throw conflict(`Item ${code} was created meanwhile`);
  }
  const doc: ItemDoc = { _id: code, ...fields, version: 1 };
  await ctx.models.Item.create(doc);
  await recordListChange(ctx, { entity: 'RESPONSIBILITY_ITEM', entityId: code, action: 'CREATE', before: null, after: { ...fields } });
  return doc;
}

export interface UpdateItemInput {
  name?: string | null;
  departmentKind?: DepartmentKind | null;
  emergency?: boolean | null;
  dispatchLimitMinutes?: number | null;
  handlingDays?: number | null;
  keywords?: readonly string[] | null;
  expectedVersion?: number | null;
  note?: string | null;
}

/**
 * A new version of an item. Requests filed before keep the version they were classified under
 * (`Request.itemVersion`); the next submission reads the item as now stored.
 */
export async function updateItem(ctx: RequestsService, args: { code: string; input: UpdateItemInput }): Promise<ItemDoc> {
  const { code: rawCode, input } = args;
  requireRole(ctx.viewer, 'admin');
  const code = itemCode('code', rawCode);
  const next: Partial<ItemFields> = {};
  if (input.name != null) next.name = validate.text('input.name', input.name, { max: 50 });
  if (input.departmentKind != null) next.departmentKind = input.departmentKind;
  if (input.emergency != null) next.emergency = input.emergency;
  if (input.dispatchLimitMinutes != null) next.dispatchLimitMinutes = validate.intInRange('input.dispatchLimitMinutes', input.dispatchLimitMinutes, 0, 10_000);
  if (input.handlingDays != null) next.handlingDays = validate.intInRange('input.handlingDays', input.handlingDays, 0, 1_000);
  if (input.keywords != null) next.keywords = keywords('input.keywords', input.keywords);
  const expected = input.expectedVersion == null ? null : validate.intInRange('input.expectedVersion', input.expectedVersion, 1, 1_000_000);
  const why = note(input.note);
  const current = await ctx.models.Item.findById(code).lean<ItemDoc>();
  if (!current) throw notFound('ResponsibilityItem', code);
  const version = current.version ?? 1;
  if (expected !== null && expected !== version) throw conflict(`Item ${code} is at version ${version}, not ${expected}; reload it`, { version });
  const before = itemFields(current);
  const after: ItemFields = { ...before, ...next };
  checkLimits(after, { dispatch: 'input.dispatchLimitMinutes', handling: 'input.handlingDays' });
  if (next.departmentKind) await requireDepartmentKind(ctx.models, next.departmentKind, 'input.departmentKind');
  if (JSON.stringify(before) === JSON.stringify(after)) return current;

  // Items seeded before versioning get their version 1 written now, so history starts there.
  await claimOnce(ctx.models.ItemVersion, { _id: versionId(code, version), code, version, ...before, changedAt: ctx.clock(), changedBy: 'seed', changedByRole: 'system', note: null });
  if (!(await claimOnce(ctx.models.ItemVersion, { _id: versionId(code, version + 1), code, version: version + 1, ...after, ...stamp(ctx, why) }))) {
    await rollForward(await ctx.models.ItemVersion.find({ code }).lean<ItemVersionDoc[]>(), version, (v) =>
      ctx.models.Item.updateOne({ _id: code }, { $set: { ...pickItem(v), version: v.version } }),
    );
    throw conflict(`Item ${code} changed meanwhile; reload it`, { version: version + 1 });
  }
  await ctx.models.Item.updateOne({ _id: code }, { $set: { ...after, version: version + 1 } });
  await recordListChange(ctx, { entity: 'RESPONSIBILITY_ITEM', entityId: code, action: 'UPDATE', before: { ...before, version }, after: { ...after, version: version + 1 } });
  return { _id: code, ...after, version: version + 1 };
}

function pickItem(v: ItemVersionDoc): ItemFields {
  return { name: v.name, categoryCode: v.categoryCode, departmentKind: v.departmentKind, emergency: v.emergency, dispatchLimitMinutes: v.dispatchLimitMinutes, handlingDays: v.handlingDays, keywords: v.keywords, fallback: v.fallback ?? false };
}

// ---- departments ------------------------------------------------------------------------------

/** Admins rename a department; its id, kind and place stay, since routing and other subgraphs' references use them. */
export async function renameDepartment(ctx: RequestsService, input: { id: string; name: string }): Promise<DepartmentDoc> {
  const { id: rawId, name: rawName } = input;
  requireRole(ctx.viewer, 'admin');
  const id = validate.code('id', rawId);
  const name = validate.text('name', rawName, { max: 50 });
  const current = await ctx.models.Department.findById(id).lean<DepartmentDoc>();
  if (!current) throw notFound('Department', id);
  if (current.name === name) return current;
  await ctx.models.Department.updateOne({ _id: id }, { $set: { name } });
  await recordListChange(ctx, { entity: 'DEPARTMENT', entityId: id, action: 'UPDATE', before: { name: current.name }, after: { name } });
  return { ...current, name };
}

// ---- history ----------------------------------------------------------------------------------

/** Admins read an item's or a category's versions, newest first (one equality on `code`). */
export async function itemHistory(ctx: RequestsService, input: { code: string }): Promise<ItemVersionDoc[]> {
  const { code } = input;
  requireRole(ctx.viewer, 'admin');
  const versions = await ctx.models.ItemVersion.find({ code }).lean<ItemVersionDoc[]>();
  return versions.sort((a, b) => b.version - a.version);
}

export async function categoryHistory(ctx: RequestsService, input: { code: string }): Promise<CategoryVersionDoc[]> {
  const { code } = input;
  requireRole(ctx.viewer, 'admin');
  const versions = await ctx.models.CategoryVersion.find({ code }).lean<CategoryVersionDoc[]>();
  return versions.sort((a, b) => b.version - a.version);
}

/** The seed's version 1 of every item and category, inserted once (an edited list is never reset). */
export async function seedListVersions(ctx: Pick<RequestsService, 'models'>, input: { items: ItemDoc[]; categories: CategoryDoc[]; at: Date }): Promise<void> {
  const { items, categories, at } = input;
  const { models } = ctx;
  const by = { changedAt: at, changedBy: 'seed', changedByRole: 'system', note: null };
  const insert = async (model: Models['ItemVersion'] | Models['CategoryVersion'], docs: Record<string, unknown>[]) => {
    const found = (await (model as Models['ItemVersion']).find({ version: 1 }, { _id: 1 }).lean()) as Array<{ _id: string }>;
    const existing = new Set(found.map((d) => String(d._id)));
    const missing = docs.filter((d) => !existing.has(String(d._id)));
    for (let i = 0; i < missing.length; i += 50) await (model as Models['ItemVersion']).insertMany(missing.slice(i, i + 50), { ordered: false }).catch((err) => {
        // A concurrent seed inserted some first: theirs are the same version 1.
        if (!isDuplicateKey(err)) throw err;
      });
  };
  await insert(models.ItemVersion, items.map((i) => ({ _id: versionId(i._id, 1), code: i._id, version: 1, ...itemFields(i), ...by })));
  await insert(models.CategoryVersion, categories.map((c) => ({ _id: versionId(c._id, 1), code: c._id, version: 1, ...categoryFields(c), ...by })));
}
