import { isPullSource, SourceIterator, type PullSource } from './pull-source.js';

/**
 * A synchronous, stateful step from wire events to stream events: what every provider's
 * `*-stream.ts` implements. It appends its output to `out` and sets `finished` once it produced the
 * terminal event (`done` or `error`); nothing it is given after that matters.
 */
export interface StreamTransform<I, O> {
  readonly finished: boolean;
  /** One wire event. Must not throw: a bad event becomes an `error` output. */
  push(input: I, out: O[]): void;
  /** The wire ended. */
  end(out: O[]): void;
  /** Reading the wire failed with `error`. */
  fail(error: unknown, out: O[]): void;
}

/** A transform applied to a pull source, item by item, without a promise per item. */
export class TransformedSource<I, O> implements PullSource<O> {
  private readonly out: O[] = [];
  private head = 0;

  constructor(
    private readonly upstream: PullSource<I>,
    private readonly transform: StreamTransform<I, O>,
  ) {}

  take(): O | undefined {
    return this.pump() ? this.out[this.head++] : undefined;
  }

  async fill(): Promise<boolean> {
    for (;;) {
      if (this.pump()) return true;
      if (this.transform.finished) return false;
      // Everything handed out: start over at the front instead of growing `out` for the whole stream.
      this.out.length = 0;
      this.head = 0;
      let more: boolean;
      try {
        more = await this.upstream.fill();
      } catch (error) {
        this.transform.fail(error, this.out);
        continue;
      }
      if (!more) this.transform.end(this.out);
    }
  }

  /** After the terminal event the rest of the wire is not needed, but need not be cut off either. */
  async close(): Promise<void> {
    const upstream = this.upstream;
    if (this.transform.finished && upstream.release) await upstream.release();
    else await upstream.close();
  }

  /** True when `out` holds an item, moving items from upstream through the transform as needed. */
  private pump(): boolean {
    while (this.head >= this.out.length) {
      if (this.transform.finished) return false;
      const input = this.upstream.take();
      if (input === undefined) return false;
      this.transform.push(input, this.out);
    }
    return true;
  }
}

/** A transform over any async iterable, as an async generator (for callers that are not pull sources). */
export async function* transformIterable<I, O>(events: AsyncIterable<I> | PullSource<I>, transform: StreamTransform<I, O>): AsyncGenerator<O> {
  const iterable: AsyncIterable<I> = isPullSource<I>(events) && !(Symbol.asyncIterator in events) ? new SourceIterator(events) : (events as AsyncIterable<I>);
  const out: O[] = [];
  try {
    for await (const event of iterable) {
      transform.push(event, out);
      yield* drain(out);
      if (transform.finished) return;
    }
    transform.end(out);
  } catch (error) {
    if (transform.finished) throw error;
    out.length = 0;
    transform.fail(error, out);
  }
  yield* drain(out);
}

function* drain<O>(out: O[]): Generator<O> {
  for (let i = 0; i < out.length; i += 1) yield out[i];
  out.length = 0;
}
