import { Schema, type Connection, type Model } from 'mongoose';
import type { DepartmentKind } from '../domain/catalog';

/** Who made a version and why; version 1 of the seeded list is by `seed`. */
interface VersionStamp {
  changedAt: Date;
  changedBy: string;
  changedByRole: string;
  note?: string | null;
}

/**
 * One version of a responsibility-list item, `_id` `<code>@<version>`. Inserting it is the claim
 * on that version: of two admins saving the same item at once, the unique `_id` lets one through.
 */
export interface ItemVersionDoc extends VersionStamp {
  _id: string;
  code: string;
  version: number;
  name: string;
  categoryCode: string;
  departmentKind: DepartmentKind;
  emergency: boolean;
  dispatchLimitMinutes: number;
  handlingDays: number;
  keywords: string[];
  fallback?: boolean;
}

/** One version of a category, `_id` `<code>@<version>`, claimed the same way. */
export interface CategoryVersionDoc extends VersionStamp {
  _id: string;
  code: string;
  version: number;
  name: string;
  order: number;
}

const stamp = {
  changedAt: { type: Date, required: true },
  changedBy: { type: String, required: true },
  changedByRole: { type: String, required: true },
  note: String,
};

const itemVersionSchema = new Schema<ItemVersionDoc>(
  {
    _id: String,
    code: { type: String, required: true },
    version: { type: Number, required: true },
    name: { type: String, required: true },
    categoryCode: { type: String, required: true },
    departmentKind: { type: String, required: true },
    emergency: { type: Boolean, required: true },
    dispatchLimitMinutes: { type: Number, required: true },
    handlingDays: { type: Number, required: true },
    keywords: { type: [String], default: [] },
    fallback: Boolean,
    ...stamp,
  },
  { versionKey: false },
);
// An item's history is read by its code (an equality FerretDB pushes down), sorted in memory.
itemVersionSchema.index({ code: 1 });

const categoryVersionSchema = new Schema<CategoryVersionDoc>(
  {
    _id: String,
    code: { type: String, required: true },
    version: { type: Number, required: true },
    name: { type: String, required: true },
    order: { type: Number, required: true },
    ...stamp,
  },
  { versionKey: false },
);
categoryVersionSchema.index({ code: 1 });

export const versionId = (code: string, version: number) => `${code}@${version}`;

export function itemVersionModel(conn: Connection): Model<ItemVersionDoc> {
  return (conn.models.ItemVersion as Model<ItemVersionDoc>) ?? conn.model<ItemVersionDoc>('ItemVersion', itemVersionSchema, 'responsibility_item_versions');
}

export function categoryVersionModel(conn: Connection): Model<CategoryVersionDoc> {
  return (conn.models.CategoryVersion as Model<CategoryVersionDoc>) ?? conn.model<CategoryVersionDoc>('CategoryVersion', categoryVersionSchema, 'category_versions');
}
