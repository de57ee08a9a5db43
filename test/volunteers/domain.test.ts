import { planActivity } from '../../subgraphs/volunteers/domain/activity-plan';
import { canReadVolunteer, isOrganiser } from '../../subgraphs/volunteers/domain/access';
import { openPeriodAt } from '../../subgraphs/volunteers/domain/opening-hours';
import { isCheckInOpen, recordedHours } from '../../subgraphs/volunteers/domain/shift-windows';
import { canTransition, TRANSITIONS } from '../../subgraphs/volunteers/domain/sign-up-status';
import { starStanding, sumHours } from '../../subgraphs/volunteers/domain/stars';
import type { VolunteerSignUpStatus } from '../../subgraphs/volunteers/generated/graphql';
import { adminViewer, communityWorkerViewer, residentViewer, staffViewer } from '../support/subgraph';

describe('star levels', () => {
  it.each([
    [0, 0, 1, 100],
    [99.9, 0, 1, 0.1],
    [100, 1, 2, 200],
    [236.5, 1, 2, 63.5],
    [300, 2, 3, 300],
    [999.99, 3, 4, 0.01],
    [1000, 4, 5, 500],
    [1499, 4, 5, 1],
    [1500, 5, null, null],
    [2000, 5, null, null],
  ])('%p hours → %p stars, next %p in %p h', (hours, star, next, toNext) => {
    expect(starStanding(hours)).toEqual({ starLevel: star, nextStarLevel: next, hoursToNextStar: toNext });
  });

  it('sums hours without float noise', () => {
    expect(sumHours([0.1, 0.2, null, 4])).toBe(4.3);
  });
});

describe('sign-up state machine', () => {
  const all = Object.keys(TRANSITIONS) as VolunteerSignUpStatus[];
  const allowed: Array<[VolunteerSignUpStatus, VolunteerSignUpStatus]> = [
    ['CONFIRMED', 'CANCELLED'], ['CONFIRMED', 'CHECKED_IN'], ['CONFIRMED', 'NO_SHOW'],
    ['WAITLISTED', 'CONFIRMED'], ['WAITLISTED', 'CANCELLED'],
    ['CANCELLED', 'CONFIRMED'], ['CANCELLED', 'WAITLISTED'],
    ['CHECKED_IN', 'CHECKED_OUT'], ['CHECKED_OUT', 'VERIFIED'],
  ];
  it('allows exactly the listed transitions', () => {
    for (const from of all) {
      for (const to of all) {
        const expected = allowed.some(([f, t]) => f === from && t === to);
        expect([from, to, canTransition(from, to)]).toEqual([from, to, expected]);
      }
    }
  });
});

describe('shift windows and hours', () => {
  const shift = { startsAt: new Date('2025-06-10T01:00:00Z'), endsAt: new Date('2025-06-10T04:00:00Z') };
  it('opens check-in 30 minutes early and closes it at the end', () => {
    expect(isCheckInOpen(shift, new Date('2025-06-10T00:29:00Z'))).toBe(false);
    expect(isCheckInOpen(shift, new Date('2025-06-10T00:30:00Z'))).toBe(true);
    expect(isCheckInOpen(shift, new Date('2025-06-10T03:59:00Z'))).toBe(true);
    expect(isCheckInOpen(shift, new Date('2025-06-10T04:00:00Z'))).toBe(false);
  });
  it('counts hours only inside the shift', () => {
    expect(recordedHours(shift, new Date('2025-06-10T00:40:00Z'), new Date('2025-06-10T05:00:00Z'))).toBe(3);
    expect(recordedHours(shift, new Date('2025-06-10T01:30:00Z'), new Date('2025-06-10T03:00:00Z'))).toBe(1.5);
    expect(recordedHours(shift, new Date('2025-06-10T01:00:00Z'), new Date('2025-06-10T01:20:00Z'))).toBe(0.33);
  });
});

describe('opening hours', () => {
  const periods = [
    { weekdays: [1, 2, 3, 4, 5], opensAt: '09:00', closesAt: '12:00', volunteerIds: ['A'] },
    { weekdays: [5], opensAt: '20:00', closesAt: '02:00', volunteerIds: ['N'] },
  ];
  it('finds the period covering Shenzhen time, including one past midnight', () => {
    expect(openPeriodAt(periods, new Date('2025-06-10T01:00:00Z'))?.volunteerIds).toEqual(['A']); // Tue 09:00
    expect(openPeriodAt(periods, new Date('2025-06-10T04:00:00Z'))).toBeNull(); // Tue 12:00
    expect(openPeriodAt(periods, new Date('2025-06-13T13:00:00Z'))?.volunteerIds).toEqual(['N']); // Fri 21:00
    expect(openPeriodAt(periods, new Date('2025-06-13T17:30:00Z'))?.volunteerIds).toEqual(['N']); // Sat 01:30
    expect(openPeriodAt(periods, new Date('2025-06-14T01:00:00Z'))).toBeNull(); // Sat 09:00
  });
});

describe('access', () => {
  const activity = { organiserId: 'LH-WATER', communityCode: '440303003001' };
  it('names organisers', () => {
    expect(isOrganiser(staffViewer('LH-WATER'), activity)).toBe(true);
    expect(isOrganiser(staffViewer('LH-URBAN'), activity)).toBe(false);
    expect(isOrganiser(communityWorkerViewer('440303003001'), activity)).toBe(true);
    expect(isOrganiser(communityWorkerViewer('440303003002'), activity)).toBe(false);
    expect(isOrganiser(adminViewer, activity)).toBe(true);
    expect(isOrganiser(residentViewer('R-1'), activity)).toBe(false);
  });
  it('lets only the resident, admins and their organisers read volunteer records', () => {
    expect(canReadVolunteer(residentViewer('R-1'), 'R-1', [])).toBe(true);
    expect(canReadVolunteer(residentViewer('R-2'), 'R-1', [activity])).toBe(false);
    expect(canReadVolunteer(staffViewer('LH-WATER'), 'R-1', [activity])).toBe(true);
    expect(canReadVolunteer(staffViewer('LH-WATER'), 'R-1', [])).toBe(false);
    expect(canReadVolunteer(adminViewer, 'R-1', [])).toBe(true);
  });
});

describe('activity plans', () => {
  const now = new Date('2025-06-10T02:00:00Z');
  const input = {
    title: '巡河', description: '布吉河巡河', communityCode: '440303003001',
    shifts: [{ startsAt: '2025-06-12T00:00:00Z', endsAt: '2025-06-12T03:00:00Z', capacity: 5 }],
  };
  const fieldOf = (fn: () => unknown) => {
    try {
      fn();
    } catch (e) {
      return (e as { extensions: { code: string; field?: string } }).extensions;
    }
    return null;
  };
  it('organises staff activities for their department and community workers as their street office', () => {
    expect(planActivity(input, staffViewer('LH-WATER'), now).organiserId).toBe('LH-WATER');
    expect(planActivity(input, communityWorkerViewer('440303003001'), now).organiserId).toBe('ST-440303003');
    expect(planActivity({ ...input, organiserId: 'LH-CIVIL' }, adminViewer, now).organiserId).toBe('LH-CIVIL');
  });
  it('refuses bad inputs naming the field, and other departments or communities', () => {
    expect(fieldOf(() => planActivity({ ...input, title: ' ' }, adminViewer, now))).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.title' });
    expect(fieldOf(() => planActivity(input, adminViewer, now))).toMatchObject({ field: 'input.organiserId' });
    expect(fieldOf(() => planActivity({ ...input, communityCode: 'NOWHERE' }, staffViewer('LH-WATER'), now))).toMatchObject({ field: 'input.communityCode' });
    expect(fieldOf(() => planActivity({ ...input, shifts: [] }, staffViewer('LH-WATER'), now))).toMatchObject({ field: 'input.shifts' });
    const past = { ...input, shifts: [{ ...input.shifts[0], startsAt: '2025-06-09T00:00:00Z' }] };
    expect(fieldOf(() => planActivity(past, staffViewer('LH-WATER'), now))).toMatchObject({ field: 'input.shifts.0.startsAt' });
    const long = { ...input, shifts: [{ ...input.shifts[0], endsAt: '2025-06-12T13:00:00Z' }] };
    expect(fieldOf(() => planActivity(long, staffViewer('LH-WATER'), now))).toMatchObject({ field: 'input.shifts.0.endsAt' });
    const full = { ...input, shifts: [{ ...input.shifts[0], capacity: 0 }] };
    expect(fieldOf(() => planActivity(full, staffViewer('LH-WATER'), now))).toMatchObject({ field: 'input.shifts.0.capacity' });
    expect(fieldOf(() => planActivity({ ...input, organiserId: 'LH-CIVIL' }, staffViewer('LH-WATER'), now))).toMatchObject({ code: 'FORBIDDEN' });
    expect(fieldOf(() => planActivity(input, communityWorkerViewer('440303003002'), now))).toMatchObject({ code: 'FORBIDDEN' });
  });
});
