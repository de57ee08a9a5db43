import { addWorkingDays, atLocalTime, localDateString, localParts, parseLocalDate, startOfLocalMonth, workingDaysBetween } from '../../shared/subgraph/time';

// 2026-11-20 is a Friday.
const fridayAfternoon = new Date('2026-11-20T07:00:00Z'); // 15:00 in Shenzhen

describe('Shenzhen time', () => {
  it('reads local parts at UTC+8', () => {
    expect(localParts(new Date('2026-11-20T17:30:00Z'))).toMatchObject({ year: 2026, month: 11, day: 21, weekday: 6, minutes: 90 });
    expect(localDateString(new Date('2026-11-20T16:00:00Z'))).toBe('2026-11-21');
  });

  it('places local clock times on the right instant', () => {
    expect(atLocalTime(fridayAfternoon, '18:30').toISOString()).toBe('2026-11-20T10:30:00.000Z');
    expect(startOfLocalMonth(fridayAfternoon).toISOString()).toBe('2026-10-31T16:00:00.000Z');
  });

  it('counts working days across a weekend', () => {
    expect(addWorkingDays(fridayAfternoon, 1).toISOString()).toBe('2026-11-23T07:00:00.000Z');
    expect(addWorkingDays(fridayAfternoon, 5).toISOString()).toBe('2026-11-27T07:00:00.000Z');
    const saturday = new Date('2026-11-21T03:00:00Z');
    expect(addWorkingDays(saturday, 1).toISOString()).toBe('2026-11-23T16:00:00.000Z');
    expect(workingDaysBetween(fridayAfternoon, new Date('2026-11-24T08:00:00Z'))).toBe(2);
  });

  it('parses only real dates', () => {
    expect(parseLocalDate('2026-02-29')).toBeNull();
    expect(parseLocalDate('2026-13-01')).toBeNull();
    expect(parseLocalDate('2026-11-21')?.toISOString()).toBe('2026-11-20T16:00:00.000Z');
  });
});
