/**
 * The figures the hostels enforce (seed: 7 days free; Zhengzhou/Hangzhou published rules for the
 * rest). Changing a figure here changes it everywhere, README included by reference.
 */
export const HOSTEL_RULES = {
  /** Nights in one stay. */
  minNightsPerStay: 1,
  maxNightsPerStay: 7,
  /** Nights over a person's lifetime (RESERVED, CHECKED_IN, CHECKED_OUT and NO_SHOW count). */
  lifetimeNights: 7,
  /** The check-in date may be today or up to this many days ahead. */
  bookAheadDays: 14,
  /** Graduates of the last N years… */
  graduatedWithinYears: 2,
  /** …or final-year students graduating within the next N months. */
  finalYearMonths: 12,
  /** Nights a no-show counts against the lifetime allowance (the first night was held and lost). */
  noShowCountedNights: 1,
} as const;
