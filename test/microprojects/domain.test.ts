import { addMicroProjectStats, assertMicroProjectTransition, consultationPasses, EMPTY_MICRO_PROJECT_STATS, microProjectStats, MIN_VOTES } from '../../subgraphs/requests/domain/microprojects';

/** The micro-project rules as plain functions: the consultation threshold, the state table, the figures. */
describe('consultation threshold', () => {
  it('needs at least MIN_VOTES cast and more than half in favour', () => {
    expect(MIN_VOTES).toBe(5);
    expect(consultationPasses(4, 0)).toBe(false); // below the quorum
    expect(consultationPasses(3, 2)).toBe(true);
    expect(consultationPasses(3, 3)).toBe(false); // a tie is not a majority
    expect(consultationPasses(2, 3)).toBe(false);
    expect(consultationPasses(100, 99)).toBe(true);
  });
});

describe('transitions', () => {
  it('allows each action from its statuses only, with CONFLICT naming the status', () => {
    expect(() => assertMicroProjectTransition('approve', 'SUPPORTED')).not.toThrow();
    expect(() => assertMicroProjectTransition('report', 'IN_PROGRESS')).not.toThrow();
    for (const status of ['PROPOSED', 'CONSULTING', 'NOT_SUPPORTED', 'REJECTED', 'APPROVED', 'ACCEPTED'] as const) {
      try {
        assertMicroProjectTransition('approve', status);
        throw new Error(`approve from ${status} was allowed`);
      } catch (err: any) {
        expect(err.extensions).toMatchObject({ code: 'CONFLICT', status });
      }
    }
    expect(() => assertMicroProjectTransition('accept', 'IN_PROGRESS')).toThrow(/cannot be accepted/);
  });
});

describe('figures', () => {
  it('counts approved budgets from APPROVED on and every spend', () => {
    const s = microProjectStats([
      { status: 'PROPOSED', approvedBudget: null, spent: 0 },
      { status: 'REJECTED', approvedBudget: null, spent: 0 },
      { status: 'APPROVED', approvedBudget: 50000, spent: 0 },
      { status: 'IN_PROGRESS', approvedBudget: 80000, spent: 30000 },
      { status: 'ACCEPTED', approvedBudget: 120000, spent: 118000 },
    ]);
    expect(s).toEqual({ count: 5, approved: 3, completed: 1, accepted: 1, approvedBudget: 250000, spent: 148000 });
    expect(addMicroProjectStats(s, EMPTY_MICRO_PROJECT_STATS)).toEqual(s);
    expect(addMicroProjectStats(s, s).approvedBudget).toBe(500000);
  });
});
