import { addMinutes, addWorkingDays } from '../../shared/subgraph/time';
import { genderFromIdNumber, isEligible, residentFacts } from '../../subgraphs/requests/domain/eligibility';
import { categoryCode, checkLimits, itemCode, keywords, withItemDispatchLimits, withItemSubmissionLimits } from '../../subgraphs/requests/domain/list-rules';
import { changeSummary } from '../../shared/subgraph/audit';
import { FRIDAY_10 } from './helpers';

/** The rules of the admins' lists as plain functions: codes, limits, keywords, criteria, summaries. */
const fields = { dispatch: 'd', handling: 'h' };
const fieldOf = (fn: () => unknown) => {
  try {
    fn();
  } catch (err) {
    return (err as { extensions?: { field?: string } }).extensions?.field;
  }
  return undefined;
};

describe('responsibility-list rules', () => {
  it('codes: categories C + 2 digits, items within their category', () => {
    expect(categoryCode('f', 'C19')).toBe('C19');
    expect(fieldOf(() => categoryCode('f', 'C1'))).toBe('f');
    expect(itemCode('f', 'C01-07', 'C01')).toBe('C01-07');
    expect(itemCode('f', 'C01-107')).toBe('C01-107');
    expect(fieldOf(() => itemCode('f', 'C02-07', 'C01'))).toBe('f');
    expect(fieldOf(() => itemCode('f', 'C01-7'))).toBe('f');
  });

  it('limits: dispatch 10–120 minutes (30 for emergencies), handling 1–5 working days', () => {
    expect(checkLimits({ emergency: false, dispatchLimitMinutes: 120, handlingDays: 5 }, fields)).toBeTruthy();
    expect(checkLimits({ emergency: true, dispatchLimitMinutes: 30, handlingDays: 1 }, fields)).toBeTruthy();
    expect(fieldOf(() => checkLimits({ emergency: true, dispatchLimitMinutes: 31, handlingDays: 5 }, fields))).toBe('d');
    expect(fieldOf(() => checkLimits({ emergency: false, dispatchLimitMinutes: 9, handlingDays: 5 }, fields))).toBe('d');
    expect(fieldOf(() => checkLimits({ emergency: false, dispatchLimitMinutes: 60, handlingDays: 6 }, fields))).toBe('h');
    expect(fieldOf(() => checkLimits({ emergency: false, dispatchLimitMinutes: 60, handlingDays: 2.5 }, fields))).toBe('h');
  });

  it('keywords: single words, deduplicated, each named by index when refused', () => {
    expect(keywords('k', ['路灯', ' 照明 ', '路灯'])).toEqual(['路灯', '照明']);
    expect(fieldOf(() => keywords('k', ['好', '两 个']))).toBe('k.1');
    expect(fieldOf(() => keywords('k', Array.from({ length: 41 }, (_, i) => `词${i}`)))).toBe('k');
  });

  it('a submission takes the item\'s limits, never more than the level\'s rule', () => {
    const base = { dispatchDueAt: addMinutes(FRIDAY_10, 120), dueAt: addWorkingDays(FRIDAY_10, 5), reviewDueAt: null };
    const item = { dispatchLimitMinutes: 60, handlingDays: 3 };
    expect(withItemSubmissionLimits(base, FRIDAY_10, false, item)).toEqual({ ...base, dispatchDueAt: addMinutes(FRIDAY_10, 60), dueAt: addWorkingDays(FRIDAY_10, 3), handlingDays: 3 });
    // Level 1 keeps its 30 minutes even when the item allows 60.
    expect(withItemSubmissionLimits(base, FRIDAY_10, true, item).dispatchDueAt).toEqual(addMinutes(FRIDAY_10, 30));
    // Items stored before limits were editable: the hotline's defaults.
    expect(withItemSubmissionLimits(base, FRIDAY_10, false, {}).handlingDays).toBe(5);
    expect(withItemDispatchLimits({ dueAt: base.dueAt, handlingDays: 5 }, FRIDAY_10, item)).toEqual({ dueAt: addWorkingDays(FRIDAY_10, 3), handlingDays: 3 });
  });

  it('the audit summary names each changed field', () => {
    expect(changeSummary({ handlingDays: 5, keywords: ['a'] }, { handlingDays: 3, keywords: ['a', 'b'] })).toBe('handlingDays: 5 → 3; keywords: a → a、b');
    expect(changeSummary({ x: 1 }, { x: 1 })).toBe('无变化');
    expect(changeSummary(null, { name: '两癌', gender: null })).toBe('新建 name: 两癌; gender: —');
  });
});

describe('welfare criteria', () => {
  const on = FRIDAY_10; // 2026-11-20, Shenzhen
  const woman50 = '440303197606010028';
  const man50 = '440303197606010010';

  it('gender and birth year come from the ID number', () => {
    expect(genderFromIdNumber(woman50)).toBe('FEMALE');
    expect(genderFromIdNumber(man50)).toBe('MALE');
    expect(genderFromIdNumber('44030319760230001X')).toBeNull();
    expect(residentFacts(woman50)).toEqual({ birthYear: 1976, gender: 'FEMALE' });
    expect(residentFacts(null)).toEqual({ birthYear: null, gender: null });
  });

  it('every criterion given must hold', () => {
    const policy = { minAge: 35, maxAge: 64, gender: 'FEMALE' as const };
    expect(isEligible(policy, { idNumber: woman50 }, on)).toBe(true);
    expect(isEligible(policy, { idNumber: man50 }, on)).toBe(false);
    expect(isEligible({ ...policy, livesAlone: true }, { idNumber: woman50 }, on)).toBe(false);
    expect(isEligible({ ...policy, livesAlone: true }, { idNumber: woman50, livesAlone: true }, on)).toBe(true);
    expect(isEligible({ disability: true }, { idNumber: man50, disability: false }, on)).toBe(false);
    expect(isEligible({ communityCode: '440303003001' }, { idNumber: man50, communityCode: '440303003002' }, on)).toBe(false);
    expect(isEligible({ communityCode: '440303003001' }, { idNumber: man50, communityCode: '440303003001' }, on)).toBe(true);
  });
});
