import { addDays, startOfLocalDay } from '../../shared/subgraph/time';

const MINUTE = 60_000;
/** Time a test may take between asking for an arrival and reading the figures it moves. */
const TEST_MARGIN = 20_000;

/**
 * An arrival `preferredMinutes` from now that falls on the current Shenzhen day, for tests that
 * book a space and then read a figure of "today" (free spaces of the open occurrence, bookings left
 * today). All-day lots open one occurrence per Shenzhen day, so an arrival after midnight (from
 * 23:30 on, for a 30-minute lead) counts against tomorrow's occurrence and the figure read now does
 * not move. Close to midnight the arrival is pulled in; in the last 40 seconds before it the helper
 * waits for the new day. Call it before reading the "before" figure.
 */
export async function arrivalToday(preferredMinutes: number): Promise<string> {
  const now = Date.now();
  const left = startOfLocalDay(addDays(new Date(now), 1)).getTime() - now;
  if (left > preferredMinutes * MINUTE + TEST_MARGIN) return new Date(now + preferredMinutes * MINUTE).toISOString();
  if (left > 2 * TEST_MARGIN) return new Date(now + left - TEST_MARGIN).toISOString();
  // At most 40 s: inside the default test timeout.
  await new Promise((resolve) => setTimeout(resolve, left + 1_000));
  return new Date(Date.now() + preferredMinutes * MINUTE).toISOString();
}
