/** A bound on what one subscriber may leave unread. */
export interface ChannelBound<T> {
  /** Results queued for a consumer that is not reading; one more ends the stream. */
  maxQueue: number;
  /** The last result a consumer gets when it fell that far behind. */
  overflow: () => T;
}

/**
 * A push-to-pull queue for one subscriber: the hub pushes results, the transport pulls them (and
 * pulls only as fast as the client reads). `onReturn` runs once, when the consumer stops (client
 * closed) or the producer ends it. A consumer that leaves `maxQueue` results unread is dropped:
 * its queue is emptied, it gets the overflow result and the stream ends, so a paused client
 * cannot grow the gateway's memory.
 */
export class Channel<T> implements AsyncIterableIterator<T> {
  private readonly queue: T[] = [];
  private readonly waiting: Array<(r: IteratorResult<T>) => void> = [];
  private ended = false;

  constructor(
    private readonly onReturn: () => void,
    private readonly bound?: ChannelBound<T>,
  ) {}

  push(value: T): void {
    if (this.ended) return;
    const resolve = this.waiting.shift();
    if (resolve) return resolve({ value, done: false });
    if (this.bound && this.queue.length >= this.bound.maxQueue) {
      this.queue.length = 0;
      this.queue.push(this.bound.overflow());
      this.end();
      return;
    }
    this.queue.push(value);
  }

  /** Results waiting for the consumer. */
  get pending(): number {
    return this.queue.length;
  }

  /** Ends the stream after what is already queued. */
  end(): void {
    if (this.ended) return;
    this.ended = true;
    this.onReturn();
    for (const resolve of this.waiting.splice(0)) resolve({ value: undefined as never, done: true });
  }

  next(): Promise<IteratorResult<T>> {
    if (this.queue.length) return Promise.resolve({ value: this.queue.shift() as T, done: false });
    if (this.ended) return Promise.resolve({ value: undefined as never, done: true });
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  return(): Promise<IteratorResult<T>> {
    this.queue.length = 0;
    this.end();
    return Promise.resolve({ value: undefined as never, done: true });
  }

  throw(err: unknown): Promise<IteratorResult<T>> {
    this.end();
    return Promise.reject(err);
  }

  [Symbol.asyncIterator](): this {
    return this;
  }
}
