import { badInput } from '../../../shared/platform/errors';
import * as validate from '../../../shared/subgraph/validate';
import type { BedGender, HostelDoc } from '../models/types';

/** Shenzhen's extent with a margin, as for parking lots: a hostel outside it is a typo. */
const SHENZHEN = { minLat: 22.3, maxLat: 22.95, minLng: 113.7, maxLng: 114.7 };

/** The editable fields of a hostel, checked; only those present in the input. */
export type HostelFields = Partial<Pick<HostelDoc, 'name' | 'address' | 'lat' | 'lng' | 'phone' | 'services' | 'hongKongMacaoDesk' | 'operatorId'>>;

const present = (v: unknown) => v !== undefined && v !== null;

/** Checks the editable fields an admin sends (`field` is the input's path, e.g. `input`). */
export function parseHostelFields(field: string, input: Record<string, unknown>): HostelFields {
  const out: HostelFields = {};
  if (present(input.name)) out.name = validate.text(`${field}.name`, input.name, { max: 60 });
  if (present(input.address)) out.address = validate.text(`${field}.address`, input.address, { max: 200 });
  if (present(input.lat)) out.lat = validate.numberInRange(`${field}.lat`, input.lat, SHENZHEN.minLat, SHENZHEN.maxLat);
  if (present(input.lng)) out.lng = validate.numberInRange(`${field}.lng`, input.lng, SHENZHEN.minLng, SHENZHEN.maxLng);
  if (present(input.phone)) {
    const phone = validate.text(`${field}.phone`, input.phone, { max: 20 });
    if (!/^[0-9+\-() ]{5,20}$/.test(phone)) throw badInput(`${field}.phone`, 'must be a telephone number (digits, +, -, spaces)');
    out.phone = phone;
  }
  if (present(input.services)) {
    if (!Array.isArray(input.services) || input.services.length > 20) throw badInput(`${field}.services`, 'must be a list of at most 20 services');
    out.services = input.services.map((s, i) => validate.text(`${field}.services.${i}`, s, { max: 40 }));
  }
  if (present(input.hongKongMacaoDesk)) {
    if (typeof input.hongKongMacaoDesk !== 'boolean') throw badInput(`${field}.hongKongMacaoDesk`, 'must be true or false');
    out.hongKongMacaoDesk = input.hongKongMacaoDesk;
  }
  if (present(input.operatorId)) out.operatorId = validate.code(`${field}.operatorId`, input.operatorId);
  return out;
}

/** Hostel ids follow the seed's HS-NN. */
export function parseHostelId(field: string, value: unknown): string {
  if (typeof value !== 'string' || !/^HS-\d{2,4}$/.test(value)) throw badInput(field, 'must look like HS-16');
  return value;
}

/** A bed's label on the door, `<room>-<n>` like the seed's 101-2. */
export function parseBedCode(field: string, value: unknown): { code: string; room: string } {
  const code = validate.text(field, value, { max: 20 });
  const m = /^([0-9A-Za-z]{1,8})-([0-9]{1,2})$/.exec(code);
  if (!m) throw badInput(field, 'must be <room>-<bed>, e.g. 101-2');
  return { code, room: m[1] };
}

export function parseBedGender(field: string, value: unknown): BedGender | null {
  if (value === undefined || value === null) return null;
  if (value !== 'MALE' && value !== 'FEMALE') throw badInput(field, 'must be MALE or FEMALE');
  return value;
}
