import { Schema, type Connection, type Model } from 'mongoose';
import type { DepartmentKind } from '../domain/catalog';

export interface CategoryDoc {
  _id: string;
  name: string;
  order: number;
  /** The current version (absent on lists stored before versioning: 1). */
  version?: number;
}

/** One responsibility-list item. The real list has thousands; nothing here assumes a small list. */
export interface ItemDoc {
  _id: string;
  name: string;
  categoryCode: string;
  departmentKind: DepartmentKind;
  emergency: boolean;
  dispatchLimitMinutes: number;
  handlingDays: number;
  keywords: string[];
  /** The fallback item for text no keyword matches. */
  fallback?: boolean;
  /** The current version (absent on lists stored before versioning: 1); requests keep the one they were filed under. */
  version?: number;
}

const categorySchema = new Schema<CategoryDoc>(
  { _id: String, name: { type: String, required: true }, order: { type: Number, required: true }, version: Number },
  { versionKey: false },
);

const itemSchema = new Schema<ItemDoc>(
  {
    _id: String,
    name: { type: String, required: true },
    categoryCode: { type: String, required: true, index: true },
    departmentKind: { type: String, required: true },
    emergency: { type: Boolean, default: false },
    dispatchLimitMinutes: { type: Number, required: true },
    handlingDays: { type: Number, required: true },
    keywords: { type: [String], default: [] },
    fallback: { type: Boolean, default: false },
    version: Number,
  },
  { versionKey: false },
);

export function categoryModel(conn: Connection): Model<CategoryDoc> {
  return (conn.models.Category as Model<CategoryDoc>) ?? conn.model<CategoryDoc>('Category', categorySchema, 'categories');
}

export function itemModel(conn: Connection): Model<ItemDoc> {
  return (conn.models.ResponsibilityItem as Model<ItemDoc>) ?? conn.model<ItemDoc>('ResponsibilityItem', itemSchema, 'responsibility_items');
}
