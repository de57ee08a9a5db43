import { addCalendarDays, addCalendarMonths, daysBetween, nightsOf } from '../../subgraphs/hostels/domain/dates';
import { assessEligibility, checkInDateProblem, graduationProblem } from '../../subgraphs/hostels/domain/eligibility';
import { parseApplyInput } from '../../subgraphs/hostels/domain/apply-input';
import { canTransition, countedNights, nightsLeft, nightsStayed, transition, type StayAction } from '../../subgraphs/hostels/domain/stay';
import type { StayStatus } from '../../subgraphs/hostels/models/types';
import { localDateString } from '../../shared/subgraph/time';

const TODAY = '2025-03-10';

describe('calendar dates', () => {
  it('adds days and months across month and leap-year ends', () => {
    expect(addCalendarDays('2024-02-28', 1)).toBe('2024-02-29');
    expect(addCalendarDays('2025-12-31', 1)).toBe('2026-01-01');
    expect(addCalendarMonths('2024-02-29', 12)).toBe('2025-02-28');
    expect(addCalendarMonths('2025-03-10', -24)).toBe('2023-03-10');
    expect(daysBetween('2025-03-10', '2025-03-15')).toBe(5);
    expect(nightsOf('2025-03-30', 3)).toEqual(['2025-03-30', '2025-03-31', '2025-04-01']);
  });
});

describe('eligibility rules', () => {
  it('accepts graduates of the last 2 years and final-year students, refuses the rest', () => {
    expect(graduationProblem('2023-03-10', TODAY)).toBeNull();
    expect(graduationProblem('2023-03-09', TODAY)).toMatch(/more than 2 years ago/);
    expect(graduationProblem('2025-06-30', TODAY)).toBeNull();
    expect(graduationProblem('2026-03-10', TODAY)).toBeNull();
    expect(graduationProblem('2026-03-11', TODAY)).toMatch(/final-year/);
  });

  it('lets the check-in date be today up to 14 days ahead', () => {
    expect(checkInDateProblem('2025-03-09', TODAY)).toMatch(/today or later/);
    expect(checkInDateProblem(TODAY, TODAY)).toBeNull();
    expect(checkInDateProblem('2025-03-24', TODAY)).toBeNull();
    expect(checkInDateProblem('2025-03-25', TODAY)).toMatch(/14 days/);
  });

  it('lists every reason and the nights left', () => {
    expect(assessEligibility({ graduationDate: '2024-06-30', nightsCounted: 0, hasActiveStay: false, today: TODAY })).toEqual({
      eligible: true, reasons: [], nightsUsed: 0, nightsRemaining: 7, graduationDate: '2024-06-30',
    });
    const refused = assessEligibility({ graduationDate: '2020-06-30', nightsCounted: 7, hasActiveStay: true, today: TODAY });
    expect(refused.eligible).toBe(false);
    expect(refused.reasons).toHaveLength(3);
    expect(refused.nightsRemaining).toBe(0);
    expect(assessEligibility({ graduationDate: null, nightsCounted: 2, hasActiveStay: false, today: TODAY })).toMatchObject({
      eligible: false, nightsRemaining: 5,
    });
  });
});

describe('apply input', () => {
  const good = { hostelId: 'HS-01', checkInDate: TODAY, nights: 3, graduationDate: '2024-06-30', school: '深圳大学' };
  it.each([
    ['input.hostelId', { hostelId: 'HS 01!' }],
    ['input.checkInDate', { checkInDate: '2025-02-30' }],
    ['input.checkInDate', { checkInDate: '2025-03-09' }],
    ['input.nights', { nights: 0 }],
    ['input.nights', { nights: 8 }],
    ['input.nights', { nights: 2.5 }],
    ['input.graduationDate', { graduationDate: '2022-06-30' }],
    ['input.school', { school: ' ' }],
    ['input.gender', { gender: 'OTHER' }],
    ['input.idempotencyKey', { idempotencyKey: 'short' }],
  ])('refuses a bad %s', (field, patch) => {
    expect(() => parseApplyInput({ ...good, ...patch }, TODAY)).toThrow(
      expect.objectContaining({ extensions: expect.objectContaining({ code: 'BAD_USER_INPUT', field }) }),
    );
  });
  it('returns plain values for good input', () => {
    expect(parseApplyInput({ ...good, school: ' 深圳大学 ' }, TODAY)).toEqual({ ...good, hongKongMacaoYouth: false, gender: undefined, idempotencyKey: undefined });
  });
});

describe('stay state machine', () => {
  const statuses: StayStatus[] = ['RESERVED', 'CHECKED_IN', 'CHECKED_OUT', 'CANCELLED', 'NO_SHOW'];
  const allowed: Record<StayAction, StayStatus[]> = {
    checkIn: ['RESERVED'], cancel: ['RESERVED'], noShow: ['RESERVED'], checkOut: ['CHECKED_IN'],
  };
  for (const action of Object.keys(allowed) as StayAction[]) {
    for (const status of statuses) {
      const ok = allowed[action].includes(status);
      it(`${ok ? 'allows' : 'refuses'} ${action} from ${status}`, () => {
        expect(canTransition(status, action)).toBe(ok);
        if (ok) expect(() => transition(status, action)).not.toThrow();
        else expect(() => transition(status, action)).toThrow(expect.objectContaining({ extensions: expect.objectContaining({ code: 'CONFLICT' }) }));
      });
    }
  }

  it('counts nights left from today and 0 once over', () => {
    const stay = { status: 'CHECKED_IN' as StayStatus, checkInDate: '2025-03-09', nights: 5 };
    expect(nightsLeft(stay, TODAY)).toBe(4);
    expect(nightsLeft({ ...stay, status: 'RESERVED', checkInDate: '2025-03-12' }, TODAY)).toBe(5);
    expect(nightsLeft(stay, '2025-03-14')).toBe(0);
    expect(nightsLeft({ ...stay, status: 'CHECKED_OUT' }, TODAY)).toBe(0);
  });

  it('counts nights against the allowance by outcome', () => {
    const base = { checkInDate: '2025-03-01', nights: 5 };
    expect(countedNights({ ...base, status: 'RESERVED' }, localDateString)).toBe(5);
    expect(countedNights({ ...base, status: 'CANCELLED' }, localDateString)).toBe(0);
    expect(countedNights({ ...base, status: 'NO_SHOW' }, localDateString)).toBe(1);
    expect(countedNights({ ...base, status: 'CHECKED_OUT', checkedOutAt: new Date('2025-03-03T01:00:00Z') }, localDateString)).toBe(2);
    expect(nightsStayed('2025-03-01', 5, '2025-03-01')).toBe(1);
    expect(nightsStayed('2025-03-01', 5, '2025-03-20')).toBe(5);
  });
});
