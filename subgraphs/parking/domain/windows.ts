import { badInput } from '../../../shared/platform/errors';
import { addDays, localParts, startOfLocalDay } from '../../../shared/subgraph/time';
import type { SharingWindow } from '../models/lot';

/**
 * Sharing windows: weekly rules ("weekdays 18:30→07:30, leave by 07:30") turned into concrete
 * occurrences in Shenzhen time. An occurrence belongs to the day it starts on, so a Friday
 * 18:30→07:30 window opens on Friday and closes on Saturday morning.
 */

const DAY_MINUTES = 1440;
const WEEK_MINUTES = 7 * DAY_MINUTES;

export interface Occurrence {
  windowId: string;
  startsAt: Date;
  endsAt: Date;
  mustLeaveBy: Date;
  spaces: number;
}

/** `"18:30"` → 1110; `"24:00"` only when `allowEndOfDay`. Null when malformed. */
export function clockMinutes(hhmm: string, allowEndOfDay: boolean): number | null {
  if (allowEndOfDay && hhmm === '24:00') return DAY_MINUTES;
  const m = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(hhmm);
  return m ? Number(m[1]) * 60 + Number(m[2]) : null;
}

/** Minutes a window stays open: an end not after the start crosses midnight; equal means 24 h. */
export function windowDurationMinutes(window: Pick<SharingWindow, 'start' | 'end'>): number {
  const start = clockMinutes(window.start, false)!;
  const end = clockMinutes(window.end, true)!;
  return end > start ? end - start : end - start + DAY_MINUTES;
}

/** Minutes from the window's start to its must-leave-by time (the next such clock time). */
function leaveOffsetMinutes(window: SharingWindow): number {
  if (!window.mustLeaveBy) return windowDurationMinutes(window);
  const start = clockMinutes(window.start, false)!;
  const leave = clockMinutes(window.mustLeaveBy, true)!;
  const offset = (((leave - start) % DAY_MINUTES) + DAY_MINUTES) % DAY_MINUTES;
  return offset === 0 ? DAY_MINUTES : offset;
}

/** The occurrence of `window` starting on the Shenzhen day containing `day`, if it opens that day. */
export function occurrenceOn(window: SharingWindow, day: Date): Occurrence | null {
  const midnight = startOfLocalDay(day);
  if (!window.days.includes(localParts(midnight).weekday)) return null;
  const startsAt = new Date(midnight.getTime() + clockMinutes(window.start, false)! * 60000);
  return {
    windowId: window.id,
    startsAt,
    endsAt: new Date(startsAt.getTime() + windowDurationMinutes(window) * 60000),
    mustLeaveBy: new Date(startsAt.getTime() + leaveOffsetMinutes(window) * 60000),
    spaces: window.spaces,
  };
}

/** The occurrence open at `at` (start inclusive, end exclusive), or null. */
export function occurrenceAt(windows: readonly SharingWindow[], at: Date): Occurrence | null {
  // A window lasts at most 24 h, so only occurrences starting today or yesterday can be open.
  for (const offset of [0, -1]) {
    for (const window of windows) {
      const occ = occurrenceOn(window, addDays(at, offset));
      if (occ && occ.startsAt.getTime() <= at.getTime() && at.getTime() < occ.endsAt.getTime()) return occ;
    }
  }
  return null;
}

/** The first occurrence starting strictly after `after`, looking a week ahead. */
export function nextOccurrence(windows: readonly SharingWindow[], after: Date): Occurrence | null {
  let best: Occurrence | null = null;
  for (let offset = 0; offset <= 7; offset += 1) {
    for (const window of windows) {
      const occ = occurrenceOn(window, addDays(after, offset));
      if (occ && occ.startsAt.getTime() > after.getTime() && (!best || occ.startsAt < best.startsAt)) best = occ;
    }
  }
  return best;
}

/** Stable id from the window's shape, so unchanged windows keep their taken spaces when re-published. */
export function windowId(window: Pick<SharingWindow, 'days' | 'start' | 'end'>): string {
  return `W${window.days.join('')}-${window.start.replace(':', '')}-${window.end.replace(':', '')}`;
}

export interface WindowInput {
  days: unknown;
  start: unknown;
  end: unknown;
  spaces: unknown;
  mustLeaveBy?: unknown;
}

/**
 * Checks windows an admin publishes and returns them normalised (days sorted, ids assigned).
 * Refuses overlapping windows: each instant belongs to at most one occurrence, so a car's space is
 * counted in exactly one occurrence. Errors name `<field>.<index>.<property>`.
 */
export function parseWindows(field: string, inputs: readonly WindowInput[], totalSpaces: number): SharingWindow[] {
  if (!Array.isArray(inputs) || inputs.length > 14) throw badInput(field, 'must be a list of at most 14 windows');
  const windows = inputs.map((input, i): SharingWindow => {
    const at = `${field}.${i}`;
    const days = input.days;
    if (
      !Array.isArray(days) ||
      days.length === 0 ||
      days.some((d) => !Number.isInteger(d) || d < 1 || d > 7) ||
      new Set(days).size !== days.length
    ) {
      throw badInput(`${at}.days`, 'must be distinct days 1 (Monday) to 7 (Sunday)');
    }
    if (typeof input.start !== 'string' || clockMinutes(input.start, false) === null) throw badInput(`${at}.start`, 'must be HH:MM from 00:00 to 23:59');
    if (typeof input.end !== 'string' || clockMinutes(input.end, true) === null) throw badInput(`${at}.end`, 'must be HH:MM from 00:00 to 24:00');
    const leave = input.mustLeaveBy;
    if (leave !== undefined && leave !== null && (typeof leave !== 'string' || clockMinutes(leave, true) === null)) {
      throw badInput(`${at}.mustLeaveBy`, 'must be HH:MM from 00:00 to 24:00');
    }
    const spaces = input.spaces;
    if (typeof spaces !== 'number' || !Number.isInteger(spaces) || spaces < 1 || spaces > totalSpaces) {
      throw badInput(`${at}.spaces`, `must be a whole number from 1 to the lot's ${totalSpaces} spaces`);
    }
    const sortedDays = [...(days as number[])].sort((a, b) => a - b);
    const shape = { days: sortedDays, start: input.start, end: input.end };
    return { id: windowId(shape), ...shape, spaces, mustLeaveBy: (leave as string | null | undefined) ?? null };
  });
  const clash = firstOverlap(windows);
  if (clash) throw badInput(`${field}.${clash[1]}`, `overlaps window ${clash[0]}`);
  return windows;
}

/** Indexes of two windows whose weekly occurrences overlap, or null. */
export function firstOverlap(windows: readonly SharingWindow[]): [number, number] | null {
  const spans = windows.flatMap((w, index) => {
    const start = clockMinutes(w.start, false)!;
    const length = windowDurationMinutes(w);
    return w.days.map((d) => ({ index, from: (d - 1) * DAY_MINUTES + start, to: (d - 1) * DAY_MINUTES + start + length }));
  });
  for (let i = 0; i < spans.length; i += 1) {
    for (let j = i + 1; j < spans.length; j += 1) {
      const a = spans[i];
      const b = spans[j];
      if (a.index === b.index) continue; // one window's daily occurrences never exceed 24 h
      // The week wraps: Sunday night's occurrence may run into Monday.
      for (const shift of [-WEEK_MINUTES, 0, WEEK_MINUTES]) {
        if (a.from < b.to + shift && b.from + shift < a.to) return [a.index, b.index];
      }
    }
  }
  return null;
}
