/**
 * Gap — progressive `@override` labels were never applied.
 *
 * Root cause (gateway, not planner): `@override(from: "legacy", label: "percent(100)")` composes
 * to `@join__field(override: "legacy", overrideLabel: "percent(100)")`. The JS `QueryPlanner`
 * starts every request from `overrideConditions` with each label of the supergraph set to
 * `false`, and only `buildQueryPlan(operation, { overrideConditions })` switches one on. Stock
 * ApolloGateway never passes that option, so every labelled override is planned as if it were
 * off: `percent(100)` routes to the old subgraph exactly like `percent(0)`.
 *
 * Correction (Apollo Router's semantics): the labels a request plans with are decided per
 * request. A `percent(x)` label is on for that request with probability x/100, drawn once per
 * operation (so `percent(100)` is always on, `percent(0)` never); any other label is on when the
 * gateway's configuration lists it (`OVERRIDE_LABELS=a,b`; Router does this from a coprocessor or
 * script, through its `apollo::progressive_override::labels_to_override` context key). The enabled set is part of the
 * plan cache key, so a plan made with one set is never served to a request drawn with another.
 */

/** The label syntax composition accepts for a percentage (`OVERRIDE_LABEL_INVALID`). */
const PERCENT = /^percent\((\d{1,2}(?:\.\d{1,8})?|100)\)$/;

/** The percentage of a `percent(x)` label, or `undefined` for any other label. */
export function percentOf(label: string): number | undefined {
  const match = PERCENT.exec(label);
  return match ? Number(match[1]) : undefined;
}

/** The labels one request plans with, as the planner takes them. */
export interface OverrideDraw {
  /** Every label of the supergraph, on or off. */
  conditions: Map<string, boolean>;
  /** The labels that are on, sorted: part of the plan cache key. */
  key: string;
}

/**
 * Decides which of the supergraph's `labels` are on for one request: a percent label by a draw of
 * `random()` (uniform in [0, 1)), any other by whether `enabled` lists it. A listed percent label
 * is on too (an operator may switch one on fully before raising its percentage).
 */
export function drawOverrideLabels(labels: Iterable<string>, enabled: ReadonlySet<string>, random: () => number = Math.random): OverrideDraw {
  const conditions = new Map<string, boolean>();
  const on: string[] = [];
  for (const label of labels) {
    const percent = percentOf(label);
    const value = enabled.has(label) || (percent !== undefined && random() * 100 < percent);
    conditions.set(label, value);
    if (value) on.push(label);
  }
  return { conditions, key: on.sort().join(',') };
}
