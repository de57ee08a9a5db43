import { Schema, type Connection, type Model } from 'mongoose';

/** A third-party app allowed to file requests through Open311; its key is kept only as a hash. */
export interface Open311AppDoc {
  /** `app-<hex>`. */
  _id: string;
  name: string;
  /** SHA-256 (hex) of the key; the key itself is shown once, when issued. */
  keyHash: string;
  /** The key's first characters, to tell keys apart in the admin list. */
  keyPrefix: string;
  issuedAt: Date;
  issuedBy: string;
  revokedAt?: Date | null;
}

const appSchema = new Schema<Open311AppDoc>(
  {
    _id: String,
    name: { type: String, required: true },
    keyHash: { type: String, required: true, unique: true },
    keyPrefix: { type: String, required: true },
    issuedAt: { type: Date, required: true },
    issuedBy: { type: String, required: true },
    revokedAt: Date,
  },
  { versionKey: false },
);
appSchema.index({ issuedAt: -1 });

/**
 * The contact fields a GeoReport POST may carry about the person behind an app's request. Kept
 * apart from the request (one document per request, `_id` = the request id), so that no
 * resolver of a request can return them; only the department's follow-up would read them.
 */
export interface Open311ContactDoc {
  _id: string;
  appId: string;
  firstName?: string | null;
  lastName?: string | null;
  email?: string | null;
  phone?: string | null;
  deviceId?: string | null;
  accountId?: string | null;
  at: Date;
}

const contactSchema = new Schema<Open311ContactDoc>(
  {
    _id: String,
    appId: { type: String, required: true },
    firstName: String,
    lastName: String,
    email: String,
    phone: String,
    deviceId: String,
    accountId: String,
    at: { type: Date, required: true },
  },
  { versionKey: false },
);

export function open311AppModel(conn: Connection): Model<Open311AppDoc> {
  return (conn.models.Open311App as Model<Open311AppDoc>) ?? conn.model<Open311AppDoc>('Open311App', appSchema, 'open311_apps');
}

export function open311ContactModel(conn: Connection): Model<Open311ContactDoc> {
  return (conn.models.Open311Contact as Model<Open311ContactDoc>) ?? conn.model<Open311ContactDoc>('Open311Contact', contactSchema, 'open311_contacts');
}
