import { Schema, Types, type Connection, type Model } from 'mongoose';

export interface CommunityOrderDoc {
  _id: Types.ObjectId;
  communityCode: string;
  streetCode: string;
  districtCode: string;
  departmentId: string;
  subject: string;
  issuedBy: string;
  issuedAt: Date;
  reportBy: Date;
  status: 'ISSUED' | 'REPORTED';
  reportedAt?: Date | null;
  reportNote?: string | null;
  onTime?: boolean | null;
}

const orderSchema = new Schema<CommunityOrderDoc>(
  {
    communityCode: { type: String, required: true, index: true },
    streetCode: { type: String, required: true },
    districtCode: { type: String, required: true },
    departmentId: { type: String, required: true, index: true },
    subject: { type: String, required: true },
    issuedBy: { type: String, required: true },
    issuedAt: { type: Date, required: true },
    reportBy: { type: Date, required: true },
    status: { type: String, required: true },
    reportedAt: Date,
    reportNote: String,
    onTime: Boolean,
  },
  { versionKey: false },
);
// Community-order statistics by street or district (services/period-stats.ts).
orderSchema.index({ streetCode: 1 });
orderSchema.index({ districtCode: 1 });
// The report supervision: orders still ISSUED whose reportBy has passed (services/order-alerts.ts).
orderSchema.index({ status: 1, reportBy: 1 });

export function communityOrderModel(conn: Connection): Model<CommunityOrderDoc> {
  return (conn.models.CommunityOrder as Model<CommunityOrderDoc>) ?? conn.model<CommunityOrderDoc>('CommunityOrder', orderSchema, 'community_orders');
}
