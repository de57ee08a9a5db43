import { CATALOG, FALLBACK_ITEM_CODE } from '../../subgraphs/requests/domain/catalog';
import { classify } from '../../subgraphs/requests/domain/classify';
import { currentDeadline, dispatchDeadlines, escalateDueAt, extendedDueAt, returnWindowEnds, submissionDeadlines, urgeDueAt } from '../../subgraphs/requests/domain/deadlines';
import { ageOn, birthDateFromIdNumber, isEligible } from '../../subgraphs/requests/domain/eligibility';
import { gradeRequest, levelColor } from '../../subgraphs/requests/domain/grading';
import { ALL_STATUSES, assertTransition, canTransition, statusAfterEvaluation, TRANSITIONS } from '../../subgraphs/requests/domain/lifecycle';
import { requestNumber } from '../../subgraphs/requests/domain/numbering';
import { buildStats } from '../../subgraphs/requests/domain/stats';

const FRIDAY_15 = new Date('2026-11-20T07:00:00Z'); // Friday 15:00 Shenzhen

describe('responsibility list', () => {
  it('has 18 categories and at least 80 items with unique codes and a fallback', () => {
    expect(CATALOG).toHaveLength(18);
    const items = CATALOG.flatMap((c) => c.items);
    expect(items.length).toBeGreaterThanOrEqual(80);
    expect(new Set(items.map((i) => i.code)).size).toBe(items.length);
    expect(items.filter((i) => i.fallback).map((i) => i.code)).toEqual([FALLBACK_ITEM_CODE]);
    for (const item of items.filter((i) => !i.fallback)) expect(item.keywords.length).toBeGreaterThan(0);
  });

  it('classifies free text by keywords, preferring title hits, and finds nothing in unrelated text', () => {
    const items = CATALOG.flatMap((c) => c.items.map((i) => ({ ...i, _id: i.code })));
    expect(classify('水贝社区路灯不亮', '夜里很黑', items)?.code).toBe('C01-01');
    expect(classify('楼下很吵', '每晚广场舞音响扰民', items)?.code).toBe('C17-01');
    expect(classify('工厂拖欠工资', '老板欠薪三个月', items)?.code).toBe('C04-01');
    expect(classify('你好', '请问一下', items)).toBeNull();
  });
});

describe('grading', () => {
  it('grades by people, money and urgency at the thresholds', () => {
    expect(gradeRequest({})).toBe(3);
    expect(gradeRequest({ peopleInvolved: 4, amountAtStake: 99_999 })).toBe(3);
    expect(gradeRequest({ peopleInvolved: 5 })).toBe(2);
    expect(gradeRequest({ amountAtStake: 100_000 })).toBe(2);
    expect(gradeRequest({ peopleInvolved: 29 })).toBe(2);
    expect(gradeRequest({ peopleInvolved: 30 })).toBe(1);
    expect(gradeRequest({ amountAtStake: 1_000_000 })).toBe(1);
    expect(gradeRequest({ urgent: true })).toBe(1);
    expect(gradeRequest({ emergencyItem: true })).toBe(1);
    expect([1, 2, 3].map(levelColor)).toEqual(['RED', 'YELLOW', 'GREEN']);
  });
});

describe('deadlines (Shenzhen working days)', () => {
  it('level 1: review in 10 min, dispatch in 30, accept in 30, update hourly; handling 5 working days across the weekend', () => {
    const s = submissionDeadlines(FRIDAY_15, 1, false);
    expect(s.reviewDueAt!.toISOString()).toBe('2026-11-20T07:10:00.000Z');
    expect(s.dispatchDueAt.toISOString()).toBe('2026-11-20T07:30:00.000Z');
    const d = dispatchDeadlines(FRIDAY_15, 1);
    expect(d.acceptDueAt.toISOString()).toBe('2026-11-20T07:30:00.000Z');
    expect(d.nextUpdateDueAt!.toISOString()).toBe('2026-11-20T08:00:00.000Z');
    expect(d.dueAt.toISOString()).toBe('2026-11-27T07:00:00.000Z'); // next Friday 15:00
  });

  it('levels 2-3: no review deadline, dispatch in 2 h, accept by the next working day (Monday)', () => {
    const s = submissionDeadlines(FRIDAY_15, 3, false);
    expect(s.reviewDueAt).toBeNull();
    expect(s.dispatchDueAt.toISOString()).toBe('2026-11-20T09:00:00.000Z');
    expect(submissionDeadlines(FRIDAY_15, 3, true).dispatchDueAt.toISOString()).toBe('2026-11-20T07:30:00.000Z');
    const d = dispatchDeadlines(FRIDAY_15, 2);
    expect(d.acceptDueAt.toISOString()).toBe('2026-11-23T07:00:00.000Z');
    expect(d.nextUpdateDueAt).toBeNull();
  });

  it('extension to 10 working days, return window of 2 working days, urge the next day, escalation 5 working days late', () => {
    expect(extendedDueAt(FRIDAY_15).toISOString()).toBe('2026-12-04T07:00:00.000Z');
    expect(returnWindowEnds(FRIDAY_15).toISOString()).toBe('2026-11-24T07:00:00.000Z'); // Tuesday
    expect(urgeDueAt(FRIDAY_15).toISOString()).toBe('2026-11-20T16:00:00.000Z'); // Saturday 00:00 local
    expect(escalateDueAt(FRIDAY_15).toISOString()).toBe('2026-11-27T07:00:00.000Z');
  });

  it('the current deadline follows the status', () => {
    const base = { level: 1, dispatchDueAt: new Date(1), acceptDueAt: new Date(2), dueAt: new Date(3) };
    expect(currentDeadline({ ...base, status: 'SUBMITTED' })).toEqual(new Date(1));
    expect(currentDeadline({ ...base, status: 'RETURNED' })).toEqual(new Date(1));
    expect(currentDeadline({ ...base, status: 'DISPATCHED' })).toEqual(new Date(2));
    expect(currentDeadline({ ...base, status: 'IN_PROGRESS' })).toEqual(new Date(3));
    expect(currentDeadline({ ...base, status: 'REOPENED' })).toEqual(new Date(3));
    expect(currentDeadline({ ...base, status: 'CLOSED' })).toBeNull();
  });
});

describe('lifecycle table', () => {
  it('allows exactly the listed transitions and names the status otherwise', () => {
    for (const [action, from] of Object.entries(TRANSITIONS)) {
      for (const status of ALL_STATUSES) {
        expect(canTransition(action as keyof typeof TRANSITIONS, status)).toBe(from.includes(status));
      }
    }
    expect(() => assertTransition('accept', 'CLOSED')).toThrow(/CLOSED/);
    expect(TRANSITIONS.evaluate).toEqual(['RESOLVED']);
    expect(statusAfterEvaluation('UNSATISFIED')).toBe('REOPENED');
    expect(statusAfterEvaluation('BASICALLY_SATISFIED')).toBe('CLOSED');
  });

  it('numbers requests by Shenzhen day', () => {
    expect(requestNumber(new Date('2026-11-21T17:00:00Z'), 123)).toBe('SZ20261122-000123');
  });
});

describe('eligibility from the ID number', () => {
  it('reads the birth date and the age on a Shenzhen day', () => {
    expect(birthDateFromIdNumber('440303195503158812')).toEqual({ year: 1955, month: 3, day: 15 });
    expect(birthDateFromIdNumber('440303195502308812')).toBeNull();
    expect(birthDateFromIdNumber('123')).toBeNull();
    expect(ageOn('440303196611201234', new Date('2026-11-19T16:00:00Z'))).toBe(60); // 20 Nov local
    expect(ageOn('440303196611201234', new Date('2026-11-19T15:59:00Z'))).toBe(59);
  });

  it('applies age bounds and the district', () => {
    const on = new Date('2026-11-20T02:00:00Z');
    expect(isEligible({ minAge: 60 }, { idNumber: '440303195503158812' }, on)).toBe(true);
    expect(isEligible({ minAge: 60 }, { idNumber: '440303199805121234' }, on)).toBe(false);
    expect(isEligible({ minAge: 18, maxAge: 35, districtCode: '440311' }, { idNumber: '440303199805121234', districtCode: '440303' }, on)).toBe(false);
    expect(isEligible({ minAge: 18, maxAge: 35, districtCode: '440311' }, { idNumber: '440303199805121234', districtCode: '440311' }, on)).toBe(true);
    expect(isEligible({ minAge: 60 }, { idNumber: null }, on)).toBe(false);
  });
});

describe('stats folding', () => {
  it('computes rates as fractions and 0 for empty bases', () => {
    const empty = buildStats([], 0);
    expect(empty).toMatchObject({ received: 0, resolved: 0, resolutionRate: 0, onTimeRate: 0, satisfactionRate: 0 });
    const s = buildStats(
      [
        { status: 'CLOSED', level: 3, resolvedOnTime: true, rating: 'SATISFIED', count: 6 },
        { status: 'CLOSED', level: 2, resolvedOnTime: false, rating: 'UNSATISFIED', count: 2 },
        { status: 'RESOLVED', level: 3, resolvedOnTime: true, count: 2 },
        { status: 'IN_PROGRESS', level: 1, count: 3 },
        { status: 'DISPATCHED', level: 2, count: 1 },
        { status: 'DUPLICATE', level: 3, count: 1 },
      ],
      2,
    );
    expect(s).toMatchObject({ received: 15, resolved: 10, open: 4, red: 3, yellow: 1, green: 0, overdueLevel1: 2, evaluated: 8 });
    expect(s.resolutionRate).toBeCloseTo(10 / 15);
    expect(s.onTimeRate).toBeCloseTo(8 / 10);
    expect(s.satisfactionRate).toBeCloseTo(6 / 8);
    expect(s.byStatus.find((b) => b.status === 'CLOSED')!.count).toBe(8);
  });
});
