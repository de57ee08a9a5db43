/**
 * The residents a scaled seed adds (`npm run seed -- --scale N`): ten per unit, units 1 … N-1,
 * with the same ids in every subgraph (the requests subgraph owns them; the others seed their
 * bookings, stays and sign-ups), so a scaled graph joins up across services.
 */
export const UNIT_RESIDENTS = 10;

export function scaleResidentId(unit: number, j: number): string {
  return `R-S${String(unit).padStart(4, '0')}-${j}`;
}

/** How many extra units `scale` asks for (scale 1: none). */
export function extraUnits(scale: number | undefined): number {
  return Math.max(0, Math.floor(scale ?? 1) - 1);
}

/** A small deterministic generator, so unit k is the same data on every run and machine. */
export function unitRandom(unit: number, salt: number): () => number {
  let a = unit * 7_000_003 + salt;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
