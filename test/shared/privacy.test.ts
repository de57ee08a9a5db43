import { DEFAULT_UNMASK_DAYS_AFTER_CLOSE, unmaskDaysAfterClose, unmaskGrounds, visibleActor } from '../../shared/subgraph/privacy';

/** The rule's edges that need no graph (the graph-wide behaviour is test/security/privacy.test.ts). */
const DAY_MS = 86_400_000;
const staff = { role: 'staff' as const, subject: 'staff-LH-URBAN', departmentId: 'LH-URBAN' };

it('reads PERSONAL_DATA_UNMASK_DAYS as a whole number of days, and refuses anything else', () => {
  expect(unmaskDaysAfterClose({})).toBe(DEFAULT_UNMASK_DAYS_AFTER_CLOSE);
  expect(unmaskDaysAfterClose({ PERSONAL_DATA_UNMASK_DAYS: '0' })).toBe(0);
  expect(unmaskDaysAfterClose({ PERSONAL_DATA_UNMASK_DAYS: '90' })).toBe(90);
  for (const bad of ['-1', '1.5', '30d', ' 30', '100000']) {
    expect(() => unmaskDaysAfterClose({ PERSONAL_DATA_UNMASK_DAYS: bad })).toThrow(/PERSONAL_DATA_UNMASK_DAYS must be a whole number/);
  }
});

it('counts the days from the close, inclusive, and 0 days means only while open', () => {
  const closed = new Date('2026-01-01T00:00:00Z');
  const at = (ms: number) => new Date(closed.getTime() + ms);
  expect(unmaskGrounds(staff, 'R-0004', { open: false, lastClosedAt: closed }, at(30 * DAY_MS), 30)).toBe('a case of this resident closed within 30 days');
  expect(unmaskGrounds(staff, 'R-0004', { open: false, lastClosedAt: closed }, at(30 * DAY_MS + 1), 30)).toBeNull();
  expect(unmaskGrounds(staff, 'R-0004', { open: false, lastClosedAt: closed }, at(1), 0)).toBeNull();
  expect(unmaskGrounds(staff, 'R-0004', { open: true, lastClosedAt: closed }, at(365 * DAY_MS), 0)).toBe('handling an open case of this resident');
  expect(unmaskGrounds(staff, 'R-0004', null, closed)).toBeNull();
  expect(unmaskGrounds({ role: 'community_worker', communityCode: '440311001001' }, 'R-0004', { open: true, lastClosedAt: null }, closed)).toBeNull();
  expect(unmaskGrounds({ role: 'resident', residentId: 'R-0004' }, 'R-0004', null, closed)).toBe('owner');
});

it('shows who acted to staff, admins and the owner only', () => {
  const event = { actor: 'R-0002', role: 'resident' };
  expect(visibleActor({ role: 'anonymous' }, event, 'R-0002')).toBe('resident');
  expect(visibleActor({ role: 'community_worker', communityCode: '440303003001' }, event, 'R-0002')).toBe('resident');
  expect(visibleActor({ role: 'resident', residentId: 'R-0003' }, event, 'R-0002')).toBe('resident');
  expect(visibleActor({ role: 'resident', residentId: 'R-0003' }, event, null)).toBe('resident');
  expect(visibleActor({ role: 'resident', residentId: 'R-0002' }, event, 'R-0002')).toBe('R-0002');
  expect(visibleActor(staff, event, 'R-0002')).toBe('R-0002');
  expect(visibleActor({ role: 'admin' }, event, null)).toBe('R-0002');
});
