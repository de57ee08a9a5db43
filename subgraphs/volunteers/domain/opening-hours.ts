import { localParts, parseHhmm } from '../../../shared/subgraph/time';
import type { OpeningPeriod } from '../models';

/**
 * The opening period covering `now` (Shenzhen time), or null when the station is closed. A period
 * closing at or before it opens (say 20:00-02:00) runs past midnight into the next day.
 */
export function openPeriodAt(periods: readonly OpeningPeriod[], now: Date): OpeningPeriod | null {
  const { weekday, minutes } = localParts(now);
  const yesterday = weekday === 1 ? 7 : weekday - 1;
  for (const p of periods) {
    const opens = parseHhmm(p.opensAt);
    const closes = parseHhmm(p.closesAt);
    if (opens < closes) {
      if (p.weekdays.includes(weekday) && minutes >= opens && minutes < closes) return p;
    } else {
      if (p.weekdays.includes(weekday) && minutes >= opens) return p;
      if (p.weekdays.includes(yesterday) && minutes < closes) return p;
    }
  }
  return null;
}
