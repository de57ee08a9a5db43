import { addCalendarDays, addCalendarMonths, daysBetween } from './dates';
import { HOSTEL_RULES } from './rules';

/** Why a graduation date does not qualify on `today`, or null when it does. */
export function graduationProblem(graduationDate: string, today: string): string | null {
  const earliest = addCalendarMonths(today, -12 * HOSTEL_RULES.graduatedWithinYears);
  const latest = addCalendarMonths(today, HOSTEL_RULES.finalYearMonths);
  if (graduationDate < earliest) {
    return `graduated more than ${HOSTEL_RULES.graduatedWithinYears} years ago (on or after ${earliest} qualifies)`;
  }
  if (graduationDate > latest) {
    return `graduates more than ${HOSTEL_RULES.finalYearMonths} months from now: only final-year students qualify (by ${latest})`;
  }
  return null;
}

/** Why a check-in date cannot be booked on `today`, or null when it can. */
export function checkInDateProblem(checkInDate: string, today: string): string | null {
  const ahead = daysBetween(today, checkInDate);
  if (ahead < 0) return 'must be today or later';
  if (ahead > HOSTEL_RULES.bookAheadDays) {
    return `must be at most ${HOSTEL_RULES.bookAheadDays} days ahead (by ${addCalendarDays(today, HOSTEL_RULES.bookAheadDays)})`;
  }
  return null;
}

/** Why `nights` more nights exceed the lifetime allowance, or null when they fit. */
export function allowanceProblem(nightsCounted: number, nights: number): string | null {
  const left = Math.max(0, HOSTEL_RULES.lifetimeNights - nightsCounted);
  if (nights <= left) return null;
  return left === 0
    ? `the lifetime allowance of ${HOSTEL_RULES.lifetimeNights} nights is used up`
    : `only ${left} of the lifetime allowance of ${HOSTEL_RULES.lifetimeNights} nights are left`;
}

export interface EligibilityFacts {
  /** Null when the resident never applied and gave no date. */
  graduationDate: string | null;
  nightsCounted: number;
  hasActiveStay: boolean;
  today: string;
}

export interface Eligibility {
  eligible: boolean;
  reasons: string[];
  nightsUsed: number;
  nightsRemaining: number;
  graduationDate: string | null;
}

/**
 * Whether a resident may apply for at least one night now. Being a real-name registered resident
 * is the caller's token; every other rule is checked here, and every failing one is listed.
 */
export function assessEligibility(facts: EligibilityFacts): Eligibility {
  const reasons: string[] = [];
  if (!facts.graduationDate) reasons.push('no graduation date given yet');
  else {
    const problem = graduationProblem(facts.graduationDate, facts.today);
    if (problem) reasons.push(problem);
  }
  if (facts.hasActiveStay) reasons.push('a stay is already reserved or in progress (one at a time)');
  const allowance = allowanceProblem(facts.nightsCounted, HOSTEL_RULES.minNightsPerStay);
  if (allowance) reasons.push(allowance);
  return {
    eligible: reasons.length === 0,
    reasons,
    nightsUsed: facts.nightsCounted,
    nightsRemaining: Math.max(0, HOSTEL_RULES.lifetimeNights - facts.nightsCounted),
    graduationDate: facts.graduationDate,
  };
}
