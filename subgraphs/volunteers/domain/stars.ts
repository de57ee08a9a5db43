/**
 * Star levels by verified hours, the national volunteer service rule (志愿服务记录与证明出具办法):
 * 1★ from 100 h, 2★ 300 h, 3★ 600 h, 4★ 1000 h, 5★ 1500 h.
 */
export const STAR_THRESHOLDS: readonly number[] = [100, 300, 600, 1000, 1500];

export interface StarStanding {
  starLevel: number;
  /** Null at 5 stars. */
  nextStarLevel: number | null;
  /** Hours still needed for the next star; null at 5 stars. */
  hoursToNextStar: number | null;
}

export function starStanding(verifiedHours: number): StarStanding {
  const starLevel = STAR_THRESHOLDS.filter((t) => verifiedHours >= t).length;
  if (starLevel >= STAR_THRESHOLDS.length) return { starLevel, nextStarLevel: null, hoursToNextStar: null };
  return {
    starLevel,
    nextStarLevel: starLevel + 1,
    hoursToNextStar: roundHours(STAR_THRESHOLDS[starLevel] - verifiedHours),
  };
}

/** Hours are kept to the hundredth; rounding here keeps float noise (0.1 + 0.2) out of answers. */
export function roundHours(hours: number): number {
  return Math.round(hours * 100) / 100;
}

/** Sums hours in the application: FerretDB's `$group`/`$sum` returns 0 for integer-typed values. */
export function sumHours(values: Iterable<number | null | undefined>): number {
  let total = 0;
  for (const v of values) total += v ?? 0;
  return roundHours(total);
}
