import { badInput } from '../../../shared/platform/errors';
import * as validate from '../../../shared/subgraph/validate';
import { parseLocalDate } from '../../../shared/subgraph/time';
import type { BedGender } from '../models/types';
import { checkInDateProblem, graduationProblem } from './eligibility';
import { HOSTEL_RULES } from './rules';

export interface ApplyInput {
  hostelId: string;
  checkInDate: string;
  nights: number;
  graduationDate: string;
  school: string;
  hongKongMacaoYouth: boolean;
  gender?: BedGender;
  idempotencyKey?: string;
}

function localDate(field: string, value: unknown): string {
  if (typeof value !== 'string' || !parseLocalDate(value)) throw badInput(field, 'must be a date as YYYY-MM-DD');
  return value;
}

/**
 * Checks an application's input against `today` (YYYY-MM-DD, Shenzhen) and returns plain values;
 * BAD_USER_INPUT naming the first wrong field otherwise. Rules that depend on stored data (the
 * lifetime allowance, one active stay, free beds) are checked by the service, as CONFLICT.
 */
export function parseApplyInput(raw: Record<string, unknown>, today: string): ApplyInput {
  const hostelId = validate.code('input.hostelId', raw.hostelId);
  const checkInDate = localDate('input.checkInDate', raw.checkInDate);
  const window = checkInDateProblem(checkInDate, today);
  if (window) throw badInput('input.checkInDate', window);
  const nights = validate.intInRange('input.nights', raw.nights, HOSTEL_RULES.minNightsPerStay, HOSTEL_RULES.maxNightsPerStay);
  const graduationDate = localDate('input.graduationDate', raw.graduationDate);
  const graduation = graduationProblem(graduationDate, today);
  if (graduation) throw badInput('input.graduationDate', graduation);
  const school = validate.text('input.school', raw.school, { min: 2, max: 100 });
  if (raw.hongKongMacaoYouth !== undefined && raw.hongKongMacaoYouth !== null && typeof raw.hongKongMacaoYouth !== 'boolean') {
    throw badInput('input.hongKongMacaoYouth', 'must be true or false');
  }
  if (raw.gender !== undefined && raw.gender !== null && raw.gender !== 'MALE' && raw.gender !== 'FEMALE') {
    throw badInput('input.gender', 'must be MALE or FEMALE');
  }
  return {
    hostelId,
    checkInDate,
    nights,
    graduationDate,
    school,
    hongKongMacaoYouth: raw.hongKongMacaoYouth === true,
    gender: (raw.gender ?? undefined) as BedGender | undefined,
    idempotencyKey: validate.idempotencyKey('input.idempotencyKey', raw.idempotencyKey),
  };
}
