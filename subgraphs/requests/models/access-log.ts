import { Schema, type Connection, type Model } from 'mongoose';

/**
 * One document per read of a resident's unmasked personal data by someone other than the resident
 * (staff handling their case, admins): who, when, whose, which field, and on what grounds.
 */
export interface AccessLogDoc {
  at: Date;
  viewerSubject: string;
  viewerRole: string;
  departmentId?: string | null;
  residentId: string;
  field: string;
  reason: string;
}

const accessLogSchema = new Schema<AccessLogDoc>(
  {
    at: { type: Date, required: true },
    viewerSubject: { type: String, required: true },
    viewerRole: { type: String, required: true },
    departmentId: String,
    residentId: { type: String, required: true },
    field: { type: String, required: true },
    reason: { type: String, required: true },
  },
  { versionKey: false },
);
accessLogSchema.index({ residentId: 1, at: -1 });
accessLogSchema.index({ at: -1 });

export function accessLogModel(conn: Connection): Model<AccessLogDoc> {
  return (conn.models.AccessLog as Model<AccessLogDoc>) ?? conn.model<AccessLogDoc>('AccessLog', accessLogSchema, 'personal_data_access_log');
}
