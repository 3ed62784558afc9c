/** What `tryAdmit` says of the call at the head of the queue. */
export type Admission = 'admitted' | 'wait' | Error;

interface Waiter<T> {
  readonly item: T;
  readonly done: (error: Error | null) => void;
  readonly enqueuedAt: number;
  readonly signal: AbortSignal | undefined;
  timer: ReturnType<typeof setTimeout> | undefined;
  onAbort: (() => void) | undefined;
}

export interface AdmissionQueueOptions<T> {
  /** Reserves for `item` if it fits (then `admitted`), else `wait`, or an error when it can never fit. */
  readonly tryAdmit: (item: T) => Admission;
  /** Longest a call waits before `timedOut`. */
  readonly maxWaitMs: number;
  readonly timedOut: (item: T, waitedMs: number) => Error;
  readonly aborted: (item: T, signal: AbortSignal) => Error;
}

/**
 * Calls waiting for room in a budget, admitted first in, first out: a call behind the head waits
 * even when it would fit, so a large call is not starved by small ones. Each waiter leaves by
 * admission, by its signal, or after `maxWaitMs`; `done` is called exactly once.
 */
export class AdmissionQueue<T> {
  private readonly waiting: Waiter<T>[] = [];

  constructor(private readonly options: AdmissionQueueOptions<T>) {}

  get length(): number {
    return this.waiting.length;
  }

  /** Queues `item` behind the others; `drain()` admits it when it fits. */
  enqueue(item: T, signal: AbortSignal | undefined, done: (error: Error | null) => void): void {
    if (signal?.aborted) {
      done(this.options.aborted(item, signal));
      return;
    }
    const waiter: Waiter<T> = { item, done, enqueuedAt: performance.now(), signal, timer: undefined, onAbort: undefined };
    waiter.timer = setTimeout(() => this.leave(waiter, this.options.timedOut(item, performance.now() - waiter.enqueuedAt)), this.options.maxWaitMs);
    if (signal) {
      waiter.onAbort = () => this.leave(waiter, this.options.aborted(item, signal));
      signal.addEventListener('abort', waiter.onAbort, { once: true });
    }
    this.waiting.push(waiter);
  }

  /** Admits from the head while calls fit; one that can never fit is refused and the next one tried. */
  drain(): void {
    while (this.waiting.length > 0) {
      const head = this.waiting[0];
      const admission = this.options.tryAdmit(head.item);
      if (admission === 'wait') return;
      this.waiting.shift();
      this.finish(head, admission === 'admitted' ? null : admission);
    }
  }

  private leave(waiter: Waiter<T>, error: Error): void {
    const index = this.waiting.indexOf(waiter);
    if (index === -1) return;
    this.waiting.splice(index, 1);
    this.finish(waiter, error);
    // The head leaving can let the calls behind it in.
    if (index === 0) this.drain();
  }

  private finish(waiter: Waiter<T>, error: Error | null): void {
    clearTimeout(waiter.timer);
    if (waiter.onAbort) waiter.signal?.removeEventListener('abort', waiter.onAbort);
    waiter.done(error);
  }
}
