/**
 * Runs `n` attempts at once and waits for all of them, whatever each one does. Every attempt starts
 * after one shared start signal, so none gets a head start from the time it takes to build the
 * others. Results are in attempt order; a rejected attempt is a `rejected` entry, never a throw.
 * Every capacity and per-resident limit test at 50 or more attempts goes through this.
 */
export async function concurrently<T>(n: number, attempt: (i: number) => Promise<T>): Promise<PromiseSettledResult<T>[]> {
  if (!Number.isInteger(n) || n < 1) throw new Error(`concurrently: n must be a positive integer, not ${n}`);
  let go!: () => void;
  const start = new Promise<void>((resolve) => {
    go = resolve;
  });
  const running = Array.from({ length: n }, (_, i) => start.then(() => attempt(i)));
  go();
  return Promise.allSettled(running);
}
