import { builtInCalendarDays, WorkingCalendar, workingCalendar } from '../../shared/subgraph/calendar';
import { HOLIDAY_NOTICES } from '../../shared/subgraph/holidays-cn';
import { addWorkingDays, isWorkingDay, localParts, parseLocalDate, workingDaysBetween } from '../../shared/subgraph/time';

/** `YYYY-MM-DD HH:MM` in Shenzhen as an instant. */
const sz = (local: string) => new Date(`${local.replace(' ', 'T')}:00+08:00`);
const weekdayOf = (date: string) => localParts(parseLocalDate(date)!).weekday;
const mondayToFriday = new WorkingCalendar();

describe('the built-in notices', () => {
  const days = builtInCalendarDays();

  it('cover 2020 to 2026, one entry per date', () => {
    expect(HOLIDAY_NOTICES.map((n) => n.year)).toEqual([2020, 2021, 2022, 2023, 2024, 2025, 2026]);
    expect(new Set(days.map((d) => d.date)).size).toBe(days.length);
    for (const d of days) expect(parseLocalDate(d.date)).not.toBeNull();
  });

  it('make only weekend days working days (a notice never moves a weekday to work)', () => {
    expect(days.filter((d) => d.kind === 'WORKDAY' && weekdayOf(d.date) <= 5)).toEqual([]);
  });

  it('hold the published breaks', () => {
    const holidays = (year: number) => days.filter((d) => d.kind === 'HOLIDAY' && d.date.startsWith(`${year}-`)).length;
    const workdays = (year: number) => days.filter((d) => d.kind === 'WORKDAY' && d.date.startsWith(`${year}-`)).map((d) => d.date);
    // Total days off as the notices count them (2020 with the epidemic extension to Feb 2).
    expect(holidays(2025)).toBe(1 + 8 + 3 + 5 + 3 + 8);
    expect(holidays(2026)).toBe(3 + 9 + 3 + 5 + 3 + 3 + 7);
    expect(workdays(2024)).toEqual(['2024-02-04', '2024-02-18', '2024-04-07', '2024-04-28', '2024-05-11', '2024-09-14', '2024-09-29', '2024-10-12']);
    expect(workdays(2026)).toEqual(['2026-01-04', '2026-02-14', '2026-02-28', '2026-05-09', '2026-09-20', '2026-10-10']);
    expect(workdays(2020)).toEqual(['2020-01-19', '2020-04-26', '2020-05-09', '2020-06-28', '2020-09-27', '2020-10-10']);
    expect(workingCalendar.day('2022-12-31')).toMatchObject({ kind: 'HOLIDAY', name: '元旦' }); // 2023's New Year break
  });
});

describe('working days around the National Day break (2025: Oct 1–8 off, Sun Sep 28 and Sat Oct 11 worked)', () => {
  it('a request dispatched on Sep 30 is due 5 working days later on Oct 14, counting Sat Oct 11', () => {
    const dispatched = sz('2025-09-30 10:00');
    expect(addWorkingDays(dispatched, 5).toISOString()).toBe(sz('2025-10-14 10:00').toISOString());
    // Without the calendar it would have fallen inside the break.
    expect(addWorkingDays(dispatched, 5, mondayToFriday).toISOString()).toBe(sz('2025-10-07 10:00').toISOString());
    expect(addWorkingDays(dispatched, 1).toISOString()).toBe(sz('2025-10-09 10:00').toISOString());
    expect(addWorkingDays(dispatched, 3).toISOString()).toBe(sz('2025-10-11 10:00').toISOString());
    expect(workingDaysBetween(dispatched, sz('2025-10-14 10:00'))).toBe(5);
    expect(workingDaysBetween(dispatched, sz('2025-10-14 09:59'))).toBe(4);
  });

  it('the make-up Sunday counts: filed on Sat Sep 27, the clock starts Sunday morning', () => {
    expect(isWorkingDay(sz('2025-09-28 12:00'))).toBe(true);
    expect(isWorkingDay(sz('2025-10-08 12:00'))).toBe(false);
    expect(addWorkingDays(sz('2025-09-27 15:00'), 1).toISOString()).toBe(sz('2025-09-29 00:00').toISOString());
  });

  it('filed during the break, the clock starts on the first working day after it', () => {
    expect(addWorkingDays(sz('2025-10-03 09:00'), 0).toISOString()).toBe(sz('2025-10-09 00:00').toISOString());
    expect(addWorkingDays(sz('2025-10-03 09:00'), 2).toISOString()).toBe(sz('2025-10-11 00:00').toISOString());
  });
});

describe('working days around the Spring Festival break (2026: Feb 15–23 off, Sat Feb 14 and Sat Feb 28 worked)', () => {
  it('dispatched on Fri Feb 13, 5 working days land on Fri Feb 27: Feb 14, 24, 25, 26, 27', () => {
    const dispatched = sz('2026-02-13 16:30');
    expect(addWorkingDays(dispatched, 1).toISOString()).toBe(sz('2026-02-14 16:30').toISOString());
    expect(addWorkingDays(dispatched, 2).toISOString()).toBe(sz('2026-02-24 16:30').toISOString());
    expect(addWorkingDays(dispatched, 5).toISOString()).toBe(sz('2026-02-27 16:30').toISOString());
    expect(addWorkingDays(dispatched, 6).toISOString()).toBe(sz('2026-02-28 16:30').toISOString()); // the make-up Saturday
    expect(addWorkingDays(dispatched, 10).toISOString()).toBe(sz('2026-03-05 16:30').toISOString());
    expect(workingDaysBetween(dispatched, sz('2026-03-02 16:30'))).toBe(7);
  });
});

describe('a calendar of its own', () => {
  it('counts with its days only, and a reload replaces them whole', () => {
    const calendar = new WorkingCalendar([{ date: '2026-12-04', kind: 'HOLIDAY', name: '测试' }]);
    expect(isWorkingDay(sz('2026-12-04 10:00'), calendar)).toBe(false);
    expect(isWorkingDay(sz('2026-12-04 10:00'))).toBe(true);
    calendar.replace([{ date: '2026-12-05', kind: 'WORKDAY', name: '测试补班' }]);
    expect(isWorkingDay(sz('2026-12-04 10:00'), calendar)).toBe(true);
    expect(isWorkingDay(sz('2026-12-05 10:00'), calendar)).toBe(true);
    expect(calendar.size).toBe(1);
  });
});
