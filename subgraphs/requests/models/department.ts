import { Schema, type Connection, type Model } from 'mongoose';
import type { DepartmentKind } from '../domain/catalog';

export interface DepartmentDoc {
  /** e.g. LH-URBAN, ST-440303003. */
  _id: string;
  name: string;
  kind: DepartmentKind;
  districtCode?: string | null;
  streetCode?: string | null;
}

const departmentSchema = new Schema<DepartmentDoc>(
  {
    _id: String,
    name: { type: String, required: true },
    kind: { type: String, required: true },
    districtCode: String,
    streetCode: String,
  },
  { versionKey: false },
);
// Routing looks a department up by kind within a district (or a street for street offices).
departmentSchema.index({ kind: 1, districtCode: 1 });
departmentSchema.index({ kind: 1, streetCode: 1 });

export function departmentModel(conn: Connection): Model<DepartmentDoc> {
  return (conn.models.Department as Model<DepartmentDoc>) ?? conn.model<DepartmentDoc>('Department', departmentSchema, 'departments');
}
