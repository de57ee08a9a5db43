/**
 * Guangming's three-level grading, by people involved, urgency and money at stake. The thresholds
 * are this subgraph's choice (domain.md names the criteria, not the figures); see README.
 */
export const LEVEL1_PEOPLE = 30;
export const LEVEL1_AMOUNT = 1_000_000;
export const LEVEL2_PEOPLE = 5;
export const LEVEL2_AMOUNT = 100_000;

export type Level = 1 | 2 | 3;

export interface GradingInput {
  peopleInvolved?: number | null;
  amountAtStake?: number | null;
  /** The submitter says safety is threatened right now. */
  urgent?: boolean | null;
  /** The responsibility item is an emergency (gas, flooding, fire…). */
  emergencyItem?: boolean | null;
}

export function gradeRequest(input: GradingInput): Level {
  const people = input.peopleInvolved ?? 1;
  const amount = input.amountAtStake ?? 0;
  if (input.urgent || input.emergencyItem || people >= LEVEL1_PEOPLE || amount >= LEVEL1_AMOUNT) return 1;
  if (people >= LEVEL2_PEOPLE || amount >= LEVEL2_AMOUNT) return 2;
  return 3;
}

export function levelColor(level: number): 'RED' | 'YELLOW' | 'GREEN' {
  return level === 1 ? 'RED' : level === 2 ? 'YELLOW' : 'GREEN';
}
