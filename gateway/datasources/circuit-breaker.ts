/** Options of the per-subgraph circuit breaker. */
export interface CircuitBreakerOptions {
  /** Consecutive failures that open the circuit (`CIRCUIT_FAILURE_THRESHOLD`, default 5). */
  failureThreshold: number;
  /** How long an open circuit refuses calls before letting one probe through (ms, default 5000). */
  cooldownMs: number;
}

type State = 'closed' | 'open' | 'half-open';

/**
 * Stops the gateway from hammering a subgraph that is down: after `failureThreshold` failures in a
 * row calls fail at once for `cooldownMs`; then one probe is let through, and its outcome closes
 * or re-opens the circuit.
 */
export class CircuitBreaker {
  private state: State = 'closed';
  private failures = 0;
  private openedAt = 0;
  private probing = false;

  constructor(private readonly options: CircuitBreakerOptions, private readonly now: () => number = Date.now) {}

  /** Whether a call may go out now. */
  allow(): boolean {
    if (this.state === 'closed') return true;
    if (this.state === 'open' && this.now() - this.openedAt >= this.options.cooldownMs) {
      this.state = 'half-open';
      this.probing = false;
    }
    if (this.state === 'half-open' && !this.probing) {
      this.probing = true;
      return true;
    }
    return false;
  }

  success(): void {
    this.state = 'closed';
    this.failures = 0;
    this.probing = false;
  }

  failure(): void {
    this.failures += 1;
    if (this.state === 'half-open' || this.failures >= this.options.failureThreshold) {
      this.state = 'open';
      this.openedAt = this.now();
      this.probing = false;
    }
  }

  /**
   * A call that proved nothing either way (a mutation that ran past its deadline: the subgraph
   * may be busy writing, not down). Counts as neither; a probe that ends so lets the next one go.
   */
  release(): void {
    if (this.state === 'half-open') this.probing = false;
  }

  /** Milliseconds until the next probe when open, else 0. */
  retryInMs(): number {
    return this.state === 'open' ? Math.max(0, this.options.cooldownMs - (this.now() - this.openedAt)) : 0;
  }

  get current(): State {
    return this.state;
  }
}
