import { GraphQLError } from 'graphql';
import { firstOverlap, nextOccurrence, occurrenceAt, parseWindows, windowDurationMinutes } from '../../subgraphs/parking/domain/windows';
import { ALL_DAY, NIGHTS, sharingWindow } from './helpers';

// Shenzhen is UTC+8: local 20:00 on Wednesday 12 March 2025 is 12:00Z.
const local = (iso: string) => new Date(`${iso}+08:00`);

describe('window occurrences', () => {
  it('a weekday night window crosses midnight and belongs to the day it opens', () => {
    const occ = occurrenceAt(NIGHTS(10), local('2025-03-13T02:00:00'))!; // Thursday 02:00
    expect(occ.startsAt).toEqual(local('2025-03-12T18:30:00'));
    expect(occ.endsAt).toEqual(local('2025-03-13T07:30:00'));
    expect(occ.mustLeaveBy).toEqual(local('2025-03-13T07:30:00'));
    expect(occ.spaces).toBe(10);
  });

  it('is closed on a weekday daytime and opens again at 18:30', () => {
    const at = local('2025-03-12T12:00:00');
    expect(occurrenceAt(NIGHTS(10), at)).toBeNull();
    expect(nextOccurrence(NIGHTS(10), at)!.startsAt).toEqual(local('2025-03-12T18:30:00'));
  });

  it('start is inclusive and end exclusive', () => {
    expect(occurrenceAt(NIGHTS(10), local('2025-03-12T18:30:00'))).not.toBeNull();
    expect(occurrenceAt(NIGHTS(10), local('2025-03-13T07:30:00'))).toBeNull();
  });

  it("Friday night runs into Saturday and the weekend's 24-hour windows follow without a gap", () => {
    const fridayNight = occurrenceAt(NIGHTS(10), local('2025-03-15T03:00:00'))!; // Saturday 03:00
    expect(fridayNight.startsAt).toEqual(local('2025-03-14T18:30:00'));
    const saturdayNoon = occurrenceAt(NIGHTS(10), local('2025-03-15T12:00:00'))!;
    expect(saturdayNoon.startsAt).toEqual(local('2025-03-15T07:30:00'));
    expect(saturdayNoon.endsAt).toEqual(local('2025-03-16T07:30:00'));
    const sundayNight = occurrenceAt(NIGHTS(10), local('2025-03-17T06:00:00'))!; // Monday 06:00
    expect(sundayNight.startsAt).toEqual(local('2025-03-16T07:30:00'));
    expect(occurrenceAt(NIGHTS(10), local('2025-03-17T08:00:00'))).toBeNull(); // Monday daytime
  });

  it('Sunday night wraps into Monday for a window on day 7', () => {
    const w = [sharingWindow([7], '22:00', '06:00', 5)];
    const occ = occurrenceAt(w, local('2025-03-17T01:00:00'))!; // Monday 01:00
    expect(occ.startsAt).toEqual(local('2025-03-16T22:00:00'));
    expect(occurrenceAt(w, local('2025-03-18T01:00:00'))).toBeNull(); // Tuesday 01:00
  });

  it('"00:00"-"24:00" is the whole day and the next day follows at midnight', () => {
    const before = occurrenceAt(ALL_DAY(3), local('2025-03-12T23:59:00'))!;
    const after = occurrenceAt(ALL_DAY(3), local('2025-03-13T00:00:00'))!;
    expect(before.endsAt).toEqual(local('2025-03-13T00:00:00'));
    expect(after.startsAt).toEqual(local('2025-03-13T00:00:00'));
    expect(windowDurationMinutes({ start: '00:00', end: '24:00' })).toBe(1440);
    expect(windowDurationMinutes({ start: '07:30', end: '07:30' })).toBe(1440);
  });

  it('a must-leave-by earlier than the end is the next such clock time after the start', () => {
    const w = [sharingWindow([3], '18:00', '23:00', 5, '22:00')];
    const occ = occurrenceAt(w, local('2025-03-12T19:00:00'))!;
    expect(occ.mustLeaveBy).toEqual(local('2025-03-12T22:00:00'));
  });
});

describe('publishing windows', () => {
  const fieldOf = (fn: () => unknown) => {
    try {
      fn();
    } catch (err) {
      return (err as GraphQLError).extensions.field;
    }
    return undefined;
  };

  it('normalises days and gives a stable id', () => {
    const [w] = parseWindows('windows', [{ days: [5, 1, 3], start: '18:30', end: '07:30', spaces: 4, mustLeaveBy: '07:30' }], 10);
    expect(w).toEqual({ id: 'W135-1830-0730', days: [1, 3, 5], start: '18:30', end: '07:30', spaces: 4, mustLeaveBy: '07:30' });
  });

  it('refuses malformed days, times and spaces naming the field', () => {
    expect(fieldOf(() => parseWindows('w', [{ days: [0], start: '18:30', end: '07:30', spaces: 1 }], 10))).toBe('w.0.days');
    expect(fieldOf(() => parseWindows('w', [{ days: [1, 1], start: '18:30', end: '07:30', spaces: 1 }], 10))).toBe('w.0.days');
    expect(fieldOf(() => parseWindows('w', [{ days: [1], start: '24:00', end: '07:30', spaces: 1 }], 10))).toBe('w.0.start');
    expect(fieldOf(() => parseWindows('w', [{ days: [1], start: '18:30', end: '7:30', spaces: 1 }], 10))).toBe('w.0.end');
    expect(fieldOf(() => parseWindows('w', [{ days: [1], start: '18:30', end: '07:30', spaces: 11 }], 10))).toBe('w.0.spaces');
    expect(fieldOf(() => parseWindows('w', [{ days: [1], start: '18:30', end: '07:30', spaces: 1, mustLeaveBy: 'x' }], 10))).toBe('w.0.mustLeaveBy');
  });

  it('refuses overlapping windows, including across midnight and the week end', () => {
    expect(firstOverlap(NIGHTS(5))).toBeNull();
    expect(firstOverlap([...NIGHTS(5), ...ALL_DAY(5)])).not.toBeNull();
    // Friday night into Saturday morning against a Saturday all-day window.
    expect(firstOverlap([sharingWindow([5], '18:30', '07:30', 1), sharingWindow([6], '00:00', '24:00', 1)])).toEqual([0, 1]);
    // Sunday night into Monday morning against a Monday early window.
    expect(firstOverlap([sharingWindow([7], '22:00', '06:00', 1), sharingWindow([1], '05:00', '08:00', 1)])).toEqual([0, 1]);
    expect(firstOverlap([sharingWindow([7], '22:00', '06:00', 1), sharingWindow([1], '06:00', '08:00', 1)])).toBeNull();
    expect(
      fieldOf(() =>
        parseWindows('w', [
          { days: [1], start: '08:00', end: '12:00', spaces: 1 },
          { days: [1], start: '11:00', end: '13:00', spaces: 1 },
        ], 10),
      ),
    ).toBe('w.1');
  });
});
