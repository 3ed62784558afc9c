/**
 * A source of items that hands out what it already holds synchronously and waits only when it must.
 * Streams are built as a chain of these (SSE parser → wire transform → managed stream → kernel), so
 * an event costs plain function calls through every layer and one promise at the end, where the
 * consumer's `for await` reads it, instead of one promise per layer.
 */
export interface PullSource<T> {
  /** The next item if one is ready now, else `undefined`: then call `fill()`. */
  take(): T | undefined;
  /** Resolves `true` once `take()` has an item, `false` when the source is used up. May reject. */
  fill(): Promise<boolean>;
  /** The reader stops here. Before the end this cancels the work behind the source (the HTTP request). */
  close(): Promise<void>;
  /**
   * Optional: the reader has every item it needs (a terminal event), though the source may not have
   * ended yet. Lets the rest wind down gracefully, e.g. an HTTP body drained so its connection is reused.
   */
  release?(): Promise<void>;
}

export function isPullSource<T>(value: unknown): value is PullSource<T> {
  const candidate = value as Partial<PullSource<T>> | null;
  return typeof candidate === 'object' && candidate !== null && typeof candidate.take === 'function' && typeof candidate.fill === 'function' && typeof candidate.close === 'function';
}

const ended = Object.freeze({ value: undefined, done: true }) as IteratorReturnResult<undefined>;
const noop = (): void => {};

/**
 * A `PullSource` as a standard async iterator: one promise per item, and calls made without waiting
 * for the previous one are served in order, as an async generator would.
 */
export class SourceIterator<T> implements AsyncIterableIterator<T> {
  private finished = false;
  /** Calls in progress; while there are any, a new call queues behind the last one. */
  private pending = 0;
  private last: Promise<unknown> | undefined;

  constructor(readonly source: PullSource<T>) {}

  [Symbol.asyncIterator](): this {
    return this;
  }

  next(): Promise<IteratorResult<T>> {
    if (this.pending === 0) {
      if (this.finished) return Promise.resolve(ended);
      const item = this.source.take();
      if (item !== undefined) return Promise.resolve({ value: item, done: false });
    }
    return this.queue(() => this.step());
  }

  return(value?: unknown): Promise<IteratorResult<T>> {
    return this.queue(async () => {
      if (!this.finished) {
        this.finished = true;
        await this.source.close();
      }
      return { value: value as T, done: true };
    });
  }

  private async step(): Promise<IteratorResult<T>> {
    for (;;) {
      if (this.finished) return ended;
      const item = this.source.take();
      if (item !== undefined) return { value: item, done: false };
      let more: boolean;
      try {
        more = await this.source.fill();
      } catch (error) {
        this.finished = true;
        await this.source.close().catch(noop);
        throw error;
      }
      if (!more) {
        this.finished = true;
        await this.source.close();
        return ended;
      }
    }
  }

  /**
   * Runs `run` after every call still in progress, as async generators queue `next()` calls. The
   * count drops before the result settles, so the caller's next call takes the fast path again.
   */
  private queue(run: () => Promise<IteratorResult<T>>): Promise<IteratorResult<T>> {
    this.pending += 1;
    const counted = async (): Promise<IteratorResult<T>> => {
      try {
        return await run();
      } finally {
        this.pending -= 1;
      }
    };
    const result = this.pending === 1 || this.last === undefined ? counted() : this.last.then(counted, counted);
    this.last = result;
    return result;
  }
}

/** Any async iterable as a `PullSource`: one item at a time, each behind a promise. */
export class IterableSource<T> implements PullSource<T> {
  private iterator: AsyncIterator<T> | undefined;
  private item: T | undefined;

  constructor(private readonly iterable: AsyncIterable<T>) {}

  take(): T | undefined {
    const item = this.item;
    this.item = undefined;
    return item;
  }

  async fill(): Promise<boolean> {
    if (this.item !== undefined) return true;
    this.iterator ??= this.iterable[Symbol.asyncIterator]();
    const result = await this.iterator.next();
    if (result.done) return false;
    this.item = result.value;
    return true;
  }

  async close(): Promise<void> {
    this.item = undefined;
    await this.iterator?.return?.();
  }
}

/** A source opened on its first `fill()`, e.g. once the HTTP request behind it was answered. */
export class LazySource<T> implements PullSource<T> {
  private source: PullSource<T> | undefined;
  private closed = false;

  constructor(private readonly open: () => Promise<PullSource<T>>) {}

  take(): T | undefined {
    return this.source?.take();
  }

  async fill(): Promise<boolean> {
    if (this.source === undefined) {
      if (this.closed) return false;
      const source = await this.open();
      this.source = source;
      if (this.closed) {
        await source.close();
        return false;
      }
    }
    return this.source.fill();
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.source?.close();
  }
}
