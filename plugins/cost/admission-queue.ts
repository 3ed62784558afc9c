import { isPromise, type MaybePromise } from '../../core/store/maybe-promise.js';

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
  /** Reserves for `item` if it fits (then `admitted`), else `wait`, or an error when it can never fit. A promise with a remote store. */
  readonly tryAdmit: (item: T) => MaybePromise<Admission>;
  /** Longest a call waits before `timedOut`. */
  readonly maxWaitMs: number;
  /** With a store shared by other instances (whose releases do not call `drain`), look again this often. @default never */
  readonly pollMs?: number;
  readonly timedOut: (item: T, waitedMs: number) => MaybePromise<Error>;
  readonly aborted: (item: T, signal: AbortSignal) => Error;
}

/**
 * Calls waiting for room in a budget, admitted first in, first out: a call behind the head waits
 * even when it would fit, so a large call is not starved by small ones. Each waiter leaves by
 * admission, by its signal, or after `maxWaitMs`; `done` is called exactly once. One `drain` runs
 * at a time (a remote store answers later): a drain asked for meanwhile runs after it.
 */
export class AdmissionQueue<T> {
  private readonly waiting: Waiter<T>[] = [];
  private draining = false;
  private drainAgain = false;
  private poll: ReturnType<typeof setInterval> | undefined;

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
    waiter.timer = setTimeout(() => this.timeOut(waiter), this.options.maxWaitMs);
    if (signal) {
      waiter.onAbort = () => this.leave(waiter, this.options.aborted(item, signal));
      signal.addEventListener('abort', waiter.onAbort, { once: true });
    }
    this.waiting.push(waiter);
    if (this.options.pollMs !== undefined && this.poll === undefined) {
      this.poll = setInterval(() => this.drain(), this.options.pollMs);
      this.poll.unref();
    }
  }

  /** Admits from the head while calls fit; one that can never fit is refused and the next one tried. */
  drain(): void {
    if (this.draining) {
      this.drainAgain = true;
      return;
    }
    while (this.waiting.length > 0) {
      const head = this.waiting[0];
      let admission: MaybePromise<Admission>;
      try {
        admission = this.options.tryAdmit(head.item);
      } catch (error) {
        admission = error as Error;
      }
      if (isPromise(admission)) {
        this.draining = true;
        admission
          .catch((error: Error) => error)
          .then((settled) => {
            this.draining = false;
            if (this.settle(head, settled) || this.drainAgain) {
              this.drainAgain = false;
              this.drain();
            }
          });
        return;
      }
      if (!this.settle(head, admission)) break;
    }
    this.stopPolling();
  }

  /** The head's admission: true when it left the queue (so the next may be tried). */
  private settle(head: Waiter<T>, admission: Admission): boolean {
    if (admission === 'wait') return false;
    const index = this.waiting.indexOf(head);
    // Left meanwhile (aborted, timed out) while its admission was on its way: give back what it took.
    if (index === -1) return true;
    this.waiting.splice(index, 1);
    this.finish(head, admission === 'admitted' ? null : admission);
    return true;
  }

  private timeOut(waiter: Waiter<T>): void {
    const error = this.options.timedOut(waiter.item, performance.now() - waiter.enqueuedAt);
    if (isPromise(error)) error.catch((failure: Error) => failure).then((settled) => this.leave(waiter, settled));
    else this.leave(waiter, error);
  }

  private leave(waiter: Waiter<T>, error: Error): void {
    const index = this.waiting.indexOf(waiter);
    if (index === -1) return;
    this.waiting.splice(index, 1);
    this.finish(waiter, error);
    // The head leaving can let the calls behind it in.
    if (index === 0) this.drain();
    if (this.waiting.length === 0) this.stopPolling();
  }

  private stopPolling(): void {
    if (this.waiting.length > 0 || this.poll === undefined) return;
    clearInterval(this.poll);
    this.poll = undefined;
  }

  private finish(waiter: Waiter<T>, error: Error | null): void {
    clearTimeout(waiter.timer);
    if (waiter.onAbort) waiter.signal?.removeEventListener('abort', waiter.onAbort);
    waiter.done(error);
  }
}
