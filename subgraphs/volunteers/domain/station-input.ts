import { badInput } from '../../../shared/platform/errors';
import * as v from '../../../shared/subgraph/validate';
import { STATION_AMENITIES, type OpeningPeriod, type StationAmenity, type StationDoc, type StationKind, type StationProgramme } from '../models';

/** Shenzhen's extent with a margin (as for parking lots and hostels): a point outside it is a typo. */
const SHENZHEN = { minLat: 22.3, maxLat: 22.95, minLng: 113.7, maxLng: 114.7 };

const present = (x: unknown) => x !== undefined && x !== null;

/** `US-…` for U-stations, `RH-…` for 歇脚屋, as the seed names them. */
export function parseStationId(field: string, value: unknown, kind: StationKind): string {
  const prefix = kind === 'REST_HOUSE' ? 'RH' : 'US';
  if (typeof value !== 'string' || !new RegExp(`^${prefix}-[A-Z0-9]{1,12}-\\d{2,4}$`).test(value)) throw badInput(field, `must look like ${prefix}-LHUA-06`);
  return value;
}

export function parseKind(field: string, value: unknown): StationKind {
  if (value !== 'U_STATION' && value !== 'REST_HOUSE') throw badInput(field, 'must be U_STATION or REST_HOUSE');
  return value;
}

function parseAmenities(field: string, value: unknown): StationAmenity[] {
  if (!Array.isArray(value)) throw badInput(field, 'must be a list');
  const out = [...new Set(value)];
  for (const [i, a] of out.entries()) if (!STATION_AMENITIES.includes(a as StationAmenity)) throw badInput(`${field}.${i}`, 'is not an amenity');
  return out as StationAmenity[];
}

function parseProgrammes(field: string, value: unknown): StationProgramme[] {
  if (!Array.isArray(value) || value.length > 20) throw badInput(field, 'must be a list of at most 20');
  return value.map((p: Record<string, unknown>, i) => {
    if (p?.kind !== 'ACTIVITY' && p?.kind !== 'TRAINING') throw badInput(`${field}.${i}.kind`, 'must be ACTIVITY or TRAINING');
    return {
      kind: p.kind,
      title: v.text(`${field}.${i}.title`, p.title, { max: 60 }),
      schedule: present(p.schedule) ? v.text(`${field}.${i}.schedule`, p.schedule, { max: 60 }) : null,
    };
  });
}

function parseBoolean(field: string, value: unknown): boolean {
  if (typeof value !== 'boolean') throw badInput(field, 'must be true or false');
  return value;
}

export type StationFields = Partial<Pick<StationDoc, 'name' | 'address' | 'lat' | 'lng' | 'amenities' | 'open24h' | 'unattended' | 'programmes'>>;

/** The editable fields of a station that are present in `input`, checked. */
export function parseStationFields(field: string, input: Record<string, unknown>): StationFields {
  const out: StationFields = {};
  if (present(input.name)) out.name = v.text(`${field}.name`, input.name, { max: 60 });
  if (present(input.address)) out.address = v.text(`${field}.address`, input.address, { max: 200 });
  if (present(input.lat)) out.lat = v.numberInRange(`${field}.lat`, input.lat, SHENZHEN.minLat, SHENZHEN.maxLat);
  if (present(input.lng)) out.lng = v.numberInRange(`${field}.lng`, input.lng, SHENZHEN.minLng, SHENZHEN.maxLng);
  if (present(input.amenities)) out.amenities = parseAmenities(`${field}.amenities`, input.amenities);
  if (present(input.open24h)) out.open24h = parseBoolean(`${field}.open24h`, input.open24h);
  if (present(input.unattended)) out.unattended = parseBoolean(`${field}.unattended`, input.unattended);
  if (present(input.programmes)) out.programmes = parseProgrammes(`${field}.programmes`, input.programmes);
  return out;
}

const HHMM = /^([01]\d|2[0-3]):[0-5]\d$/;

/**
 * Opening periods with their rosters. Weekdays 1–7 without repeats, HH:MM times; a period closing
 * at or before it opens runs past midnight (00:00–00:00 is the whole day). Periods starting on the
 * same weekday at the same time are one period given twice: refused. At most 20 periods, 20
 * volunteers each.
 */
export function parseOpeningHours(field: string, value: unknown): OpeningPeriod[] {
  if (!Array.isArray(value) || value.length > 20) throw badInput(field, 'must be a list of at most 20 periods');
  const starts = new Set<string>();
  return value.map((p: Record<string, unknown>, i) => {
    const f = `${field}.${i}`;
    const weekdays = Array.isArray(p?.weekdays) ? [...p.weekdays] : [];
    if (!weekdays.length || weekdays.some((d) => !Number.isInteger(d) || d < 1 || d > 7) || new Set(weekdays).size !== weekdays.length) {
      throw badInput(`${f}.weekdays`, 'must be distinct days 1 (Monday) … 7 (Sunday)');
    }
    if (typeof p.opensAt !== 'string' || !HHMM.test(p.opensAt)) throw badInput(`${f}.opensAt`, 'must be HH:MM');
    if (typeof p.closesAt !== 'string' || !HHMM.test(p.closesAt)) throw badInput(`${f}.closesAt`, 'must be HH:MM');
    for (const d of weekdays) {
      const key = `${d}@${p.opensAt}`;
      if (starts.has(key)) throw badInput(`${f}.opensAt`, `another period already opens on day ${d} at ${p.opensAt}`);
      starts.add(key);
    }
    const ids = Array.isArray(p.volunteerIds) ? p.volunteerIds : [];
    if (ids.length > 20) throw badInput(`${f}.volunteerIds`, 'at most 20 volunteers per period');
    const volunteerIds = [...new Set(ids.map((id, j) => v.code(`${f}.volunteerIds.${j}`, id)))];
    return { weekdays: (weekdays as number[]).sort((a, b) => a - b), opensAt: p.opensAt, closesAt: p.closesAt, volunteerIds };
  });
}

/** Every day, all day: the opening hours of a round-the-clock 歇脚屋. */
export const ROUND_THE_CLOCK: OpeningPeriod[] = [{ weekdays: [1, 2, 3, 4, 5, 6, 7], opensAt: '00:00', closesAt: '00:00', volunteerIds: [] }];
