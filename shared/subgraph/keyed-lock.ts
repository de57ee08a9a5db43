/**
 * Runs async work one at a time per key within this process. FerretDB 1.24 does not make updates
 * atomic under concurrency, so a read-then-update sequence on one shared record (a shift's places
 * and waitlist) is serialized here; unique indexes still bound capacity across processes.
 */
export class KeyedLock {
  private readonly tails = new Map<string, Promise<unknown>>();

  run<T>(key: string, work: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    const result = previous.then(work, work);
    const tail = result.catch(() => {});
    this.tails.set(key, tail);
    void tail.then(() => {
      if (this.tails.get(key) === tail) this.tails.delete(key);
    });
    return result;
  }
}
