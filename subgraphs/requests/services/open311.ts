import { createHash, randomBytes } from 'node:crypto';
import { ANONYMOUS, requireRole } from '../../../shared/platform/auth';
import { badInput, forbidden, notFound } from '../../../shared/platform/errors';
import { haversineMeters } from '../../../shared/subgraph/geo';
import { addDays, localMonthString, startOfLocalMonth } from '../../../shared/subgraph/time';
import * as validate from '../../../shared/subgraph/validate';
import type { Context } from '../context';
import { publishRequestChange } from '../events';
import { OPEN311_APP_ROLE, open311Title, OPEN311_KEY_PREFIX, OPEN311_MAX_DAYS, OPEN311_MAX_RESULTS, submitterOfApp } from '../domain/open311';
import type { Open311AppDoc, RequestDoc } from '../models';
import type { Open311SubmitInput } from '../generated/graphql';
import { createRequest, validateSubmitInput } from './submit';

const hashKey = (key: string) => createHash('sha256').update(key).digest('hex');

/** Admins issue a key to an app; the answer is the only place the key ever appears. */
export async function issueApiKey(ctx: Context, input: { appName: string }): Promise<{ app: Open311AppDoc; apiKey: string }> {
  const { appName: appNameRaw } = input;
  requireRole(ctx.viewer, 'admin');
  const name = validate.text('appName', appNameRaw, { max: 60 });
  const apiKey = `${OPEN311_KEY_PREFIX}${randomBytes(24).toString('base64url')}`;
  const app: Open311AppDoc = {
    _id: `app-${randomBytes(6).toString('hex')}`,
    name,
    keyHash: hashKey(apiKey),
    keyPrefix: apiKey.slice(0, OPEN311_KEY_PREFIX.length + 4),
    issuedAt: ctx.clock(),
    issuedBy: ctx.viewer.subject ?? 'admin',
    revokedAt: null,
  };
  await ctx.models.Open311App.create(app);
  return { app, apiKey };
}

/** Admins revoke a key; revoking twice keeps the first time. */
export async function revokeApiKey(ctx: Context, input: { id: string }): Promise<Open311AppDoc> {
  const { id: idRaw } = input;
  requireRole(ctx.viewer, 'admin');
  const id = validate.code('id', idRaw);
  const app = await ctx.models.Open311App.findById(id).lean<Open311AppDoc>();
  if (!app) throw notFound('Open311App', id);
  if (app.revokedAt) return app;
  const revokedAt = ctx.clock();
  await ctx.models.Open311App.updateOne({ _id: id }, { $set: { revokedAt } });
  return { ...app, revokedAt };
}

export async function listApps(ctx: Context): Promise<Open311AppDoc[]> {
  requireRole(ctx.viewer, 'admin');
  return ctx.models.Open311App.find().sort({ issuedAt: -1 }).limit(500).lean<Open311AppDoc[]>();
}

/** The app a key belongs to, or FORBIDDEN (unknown, malformed or revoked keys alike). */
async function appForKey(ctx: Context, key: unknown): Promise<Open311AppDoc> {
  const refuse = () => {
    const err = forbidden('The api_key is not valid: ask the city for a key, or for a new one if it was revoked');
    (err.extensions as Record<string, unknown>).field = 'input.apiKey';
    return err;
  };
  if (typeof key !== 'string' || key.length < 8 || key.length > 200) throw refuse();
  const app = await ctx.models.Open311App.findOne({ keyHash: hashKey(key) }).lean<Open311AppDoc>();
  if (!app || app.revokedAt) throw refuse();
  return app;
}

/** The community nearest to a point (communities are reference data: a few hundred documents). */
async function nearestCommunity(ctx: Context, lat: number, lng: number): Promise<string> {
  const communities = await ctx.models.Community.find().select({ _id: 1, lat: 1, lng: 1 }).lean();
  let best: { code: string; meters: number } | null = null;
  for (const c of communities) {
    if (c.lat == null || c.lng == null) continue;
    const meters = haversineMeters(lat, lng, c.lat, c.lng);
    if (!best || meters < best.meters) best = { code: c._id, meters };
  }
  if (!best) throw badInput('input.lat', 'no community of the city lies near this point');
  return best.code;
}

const contactText = (field: string, value: string | null | undefined) => validate.optionalText(field, value, { max: 100 }) ?? null;

/**
 * A GeoReport POST: the key names the app, which is the submitter (`open311:<appId>`, channel
 * OPEN311, the app's name on the request). Everything is checked before anything is written;
 * the person's contact fields go to their own collection and are never returned.
 */
export async function submitOpen311(ctx: Context, input: Open311SubmitInput): Promise<RequestDoc> {
  const app = await appForKey(ctx, input.apiKey);
  const serviceCode = validate.code('input.serviceCode', input.serviceCode);
  const description = validate.text('input.description', input.description, { max: 2000, multiline: true });
  const email = contactText('input.email', input.email);
  if (email && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) throw badInput('input.email', 'is not an email address');
  const contact = {
    firstName: contactText('input.firstName', input.firstName),
    lastName: contactText('input.lastName', input.lastName),
    email,
    phone: contactText('input.phone', input.phone),
    deviceId: contactText('input.deviceId', input.deviceId),
    accountId: contactText('input.accountId', input.accountId),
  };
  if (input.mediaUrl != null) {
    const url = validate.text('input.mediaUrl', input.mediaUrl, { max: 500 });
    if (!/^https?:\/\/\S+$/.test(url)) throw badInput('input.mediaUrl', 'is not an http(s) URL');
  }
  if (input.addressId == null && (input.lat == null || input.long == null)) {
    throw badInput('input.addressId', 'a location is required: address_id (a community code) or lat and long');
  }
  const base = validateSubmitInput({
    title: open311Title(description),
    description,
    channel: 'OPEN311',
    communityCode: input.addressId ?? '000000000000',
    itemCode: serviceCode,
    lat: input.lat,
    lng: input.long,
    address: input.addressString,
  });
  const item = await ctx.models.Item.findById(serviceCode).lean();
  if (!item) throw badInput('input.serviceCode', 'is not a service of services.json (a responsibility-list item code)');
  const communityCode = input.addressId != null ? base.communityCode : await nearestCommunity(ctx, base.lat!, base.lng!);
  if (input.addressId != null && !(await ctx.models.Community.exists({ _id: communityCode }))) {
    throw badInput('input.addressId', 'is not a community code of the city');
  }
  const now = ctx.clock();
  const submitterId = submitterOfApp(app._id);
  const { request } = await createRequest(ctx.models, ANONYMOUS, { ...base, communityCode }, submitterId, now, null, ctx.references, {
    actor: submitterId,
    role: OPEN311_APP_ROLE,
    extra: { open311AppId: app._id, open311AppName: app.name },
  });
  if (Object.values(contact).some((v) => v !== null)) {
    await ctx.models.Open311Contact.create({ _id: String(request._id), appId: app._id, ...contact, at: now });
  }
  await publishRequestChange(ctx.models, ctx.pubsub, request, now);
  return request;
}

/** The Shenzhen months (`YYYY-MM`) from `end`'s back to `start`'s (at most four for 90 days). */
function monthsBetween(start: Date, end: Date): string[] {
  const first = localMonthString(start);
  const months: string[] = [];
  for (let month = startOfLocalMonth(end); months.length < 6; month = startOfLocalMonth(addDays(month, -1))) {
    const key = localMonthString(month);
    if (key < first) break;
    months.push(key);
  }
  return months;
}

const newestFirst = (a: RequestDoc, b: RequestDoc) => b.submittedAt.getTime() - a.submittedAt.getTime() || (String(b._id) < String(a._id) ? -1 : 1);

/**
 * The public list of requests.json, newest first. FerretDB pushes down equalities only (never a
 * range or `$in`), so it is read with one equality query per Shenzhen month of the span (at most
 * four for 90 days), per service code when codes are given, and per number for `ids`; the time
 * range narrows each month's rows. Request numbers (`ids`) override the other conditions, as
 * GeoReport's service_request_id does.
 */
export async function listPublic(
  ctx: Context,
  args: { serviceCodes?: string[] | null; ids?: string[] | null; status?: string | null; start: Date | string; end: Date | string; limit?: number | null },
): Promise<RequestDoc[]> {
  const limit = validate.intInRange('limit', args.limit ?? OPEN311_MAX_RESULTS, 1, OPEN311_MAX_RESULTS);
  if (args.ids?.length) {
    if (args.ids.length > 50) throw badInput('ids', 'at most 50 request numbers at once');
    const numbers = [...new Set(args.ids.map((id, i) => validate.code(`ids.${i}`, id)))];
    const found = await Promise.all(numbers.map((number) => ctx.models.Request.findOne({ number }).lean<RequestDoc>()));
    return found.filter((r): r is RequestDoc => r !== null).sort(newestFirst).slice(0, limit);
  }
  const start = validate.dateTime('start', args.start);
  const end = validate.dateTime('end', args.end);
  if (end.getTime() < start.getTime()) throw badInput('end', 'is before start');
  if (end.getTime() - start.getTime() > OPEN311_MAX_DAYS * 86_400_000) throw badInput('end', `the span may not exceed ${OPEN311_MAX_DAYS} days`);
  if (args.serviceCodes && args.serviceCodes.length > 20) throw badInput('serviceCodes', 'at most 20 service codes at once');
  const codes = args.serviceCodes?.length ? [...new Set(args.serviceCodes.map((c, i) => validate.code(`serviceCodes.${i}`, c)))] : [null];
  if (args.status != null && args.status !== 'open' && args.status !== 'closed') throw badInput('status', 'is open or closed');
  const equalities = (month: string, code: string | null) => ({
    submittedMonth: month,
    ...(code ? { itemCode: code } : {}),
    ...(args.status != null ? { open: args.status === 'open' } : {}),
  });
  const out: RequestDoc[] = [];
  // Newest month first: once a month fills the page, older months cannot be newer.
  for (const month of monthsBetween(start, end)) {
    const rows = await Promise.all(
      codes.map((code) => ctx.models.Request.find({ ...equalities(month, code), submittedAt: { $gte: start, $lte: end } }).sort({ submittedAt: -1 }).lean<RequestDoc[]>()),
    );
    out.push(...rows.flat());
    if (out.length >= limit) break;
  }
  return out.sort(newestFirst).slice(0, limit);
}

export async function findPublic(ctx: Context, input: { id: string }): Promise<RequestDoc | null> {
  const { id: idRaw } = input;
  const id = validate.code('id', idRaw);
  return ctx.models.Request.findOne({ number: id }).lean<RequestDoc>();
}
