import { localParts } from '../../../shared/subgraph/time';

/**
 * Birth date from an 18-digit resident ID number (digits 7-14 are YYYYMMDD); null when the
 * number is malformed or the date does not exist.
 */
export function birthDateFromIdNumber(idNumber: string | null | undefined): { year: number; month: number; day: number } | null {
  if (!idNumber || !/^\d{17}[\dX]$/i.test(idNumber)) return null;
  const year = Number(idNumber.slice(6, 10));
  const month = Number(idNumber.slice(10, 12));
  const day = Number(idNumber.slice(12, 14));
  const probe = new Date(Date.UTC(year, month - 1, day));
  if (probe.getUTCFullYear() !== year || probe.getUTCMonth() !== month - 1 || probe.getUTCDate() !== day) return null;
  return { year, month, day };
}

/** Age in whole years on the Shenzhen calendar day of `on`; null when the ID number is unusable. */
export function ageOn(idNumber: string | null | undefined, on: Date): number | null {
  const birth = birthDateFromIdNumber(idNumber);
  if (!birth) return null;
  const today = localParts(on);
  let age = today.year - birth.year;
  if (today.month < birth.month || (today.month === birth.month && today.day < birth.day)) age -= 1;
  return age;
}

/** Gender from an 18-digit ID number: the 17th digit is odd for men, even for women (GB 11643). */
export function genderFromIdNumber(idNumber: string | null | undefined): 'MALE' | 'FEMALE' | null {
  if (!birthDateFromIdNumber(idNumber)) return null;
  return Number(idNumber!.charAt(16)) % 2 === 1 ? 'MALE' : 'FEMALE';
}

export interface PolicyRule {
  minAge?: number | null;
  maxAge?: number | null;
  districtCode?: string | null;
  gender?: 'MALE' | 'FEMALE' | null;
  communityCode?: string | null;
  /** When true, only residents recorded so; false or absent: no condition. */
  livesAlone?: boolean | null;
  disability?: boolean | null;
}

export interface ResidentFacts {
  idNumber?: string | null;
  districtCode?: string | null;
  communityCode?: string | null;
  livesAlone?: boolean | null;
  disability?: boolean | null;
}

/** A resident is eligible when every criterion the policy sets holds. */
export function isEligible(policy: PolicyRule, resident: ResidentFacts, on: Date): boolean {
  if (policy.districtCode && resident.districtCode !== policy.districtCode) return false;
  if (policy.communityCode && resident.communityCode !== policy.communityCode) return false;
  if (policy.livesAlone && resident.livesAlone !== true) return false;
  if (policy.disability && resident.disability !== true) return false;
  if (policy.gender && genderFromIdNumber(resident.idNumber) !== policy.gender) return false;
  if (policy.minAge == null && policy.maxAge == null) return true;
  const age = ageOn(resident.idNumber, on);
  if (age === null) return false;
  if (policy.minAge != null && age < policy.minAge) return false;
  if (policy.maxAge != null && age > policy.maxAge) return false;
  return true;
}

/** What a resident's record stores of the ID number so policies find it by equality: birth year and gender. */
export function residentFacts(idNumber: string | null | undefined): { birthYear: number | null; gender: 'MALE' | 'FEMALE' | null } {
  return { birthYear: birthDateFromIdNumber(idNumber)?.year ?? null, gender: genderFromIdNumber(idNumber) };
}
