import PQueue from 'p-queue';
import { AbortError, RateLimitError, type RateLimitInfo } from '../../core/errors.js';
import type { RateLimits } from '../../core/types.js';
import { systemClock, type Clock } from './clock.js';
import { ProviderBudget } from './provider-budget.js';
import { RateLimitPermit } from './rate-limit-permit.js';
import { NOT_RECORDED, SlidingWindow, type Blocked, type WindowEntry } from './sliding-window.js';

export interface RateLimiterOptions extends RateLimits {
  /** Named in error messages, e.g. the backend's name. @default 'backend' */
  readonly name?: string;
  /** Put on the errors this limiter throws. */
  readonly provider?: string;
  /** Longest wait for capacity; a call that would wait longer fails with a RateLimitError. @default Infinity */
  readonly maxWaitMs?: number;
  /** @default the system clock (`performance.now()` and `setTimeout`) */
  readonly clock?: Clock;
}

/**
 * Keeps one backend under its requests per minute, tokens per minute and requests in flight, and
 * under what the provider's own headers say is left. Callers `acquire` a permit before each request,
 * `settle` it to the real token use afterwards and `release` it when the request is over.
 * Waiters are served first come, first served.
 */
export class RateLimiter {
  readonly limits: Readonly<RateLimits>;
  readonly name: string;
  private readonly provider: string | undefined;
  private readonly maxWaitMs: number;
  private readonly clock: Clock;
  private readonly window = new SlidingWindow();
  private readonly budget = new ProviderBudget();
  /** Holds a slot from admission until the permit is released: p-queue does the concurrency and the FIFO. */
  private readonly slots: PQueue;
  /** One waiter at a time checks the windows, so a small request cannot overtake a large one. */
  private readonly admission = new PQueue({ concurrency: 1 });
  private readonly wakers = new Set<() => void>();
  private pausedUntil = 0;
  private pauseReason = 'retry-after';
  /** Sleeps so far, and what the last one waited for. */
  private sleeps = 0;
  private lastSleepReason: string | undefined;
  private permits = 0;
  /** Permits of the fast path, which hold no slot in `slots`. */
  private unqueuedPermits = 0;

  constructor(options: RateLimiterOptions = {}) {
    this.limits = Object.freeze({
      ...(options.rpm === undefined ? {} : { rpm: positiveInteger('rpm', options.rpm) }),
      ...(options.tpm === undefined ? {} : { tpm: positiveInteger('tpm', options.tpm) }),
      ...(options.maxConcurrent === undefined ? {} : { maxConcurrent: positiveInteger('maxConcurrent', options.maxConcurrent) }),
    });
    if (options.maxWaitMs !== undefined && !(typeof options.maxWaitMs === 'number' && options.maxWaitMs >= 0)) {
      throw new TypeError(`RateLimiter: option \`maxWaitMs\` must be a number >= 0, received ${String(options.maxWaitMs)}.`);
    }
    this.name = options.name ?? 'backend';
    this.provider = options.provider;
    this.maxWaitMs = options.maxWaitMs ?? Number.POSITIVE_INFINITY;
    this.clock = options.clock ?? systemClock;
    this.slots = new PQueue({ concurrency: this.limits.maxConcurrent ?? Number.POSITIVE_INFINITY });
  }

  /** Requests holding a permit now. */
  get inFlight(): number {
    return this.permits;
  }

  /** Requests waiting for a permit now. */
  get waiting(): number {
    return Math.max(0, this.slots.size + this.slots.pending - (this.permits - this.unqueuedPermits));
  }

  /** Requests started and tokens counted in the last 60 seconds. */
  usage(): { readonly requests: number; readonly tokens: number } {
    this.window.prune(this.clock.now());
    return { requests: this.window.requests, tokens: this.window.tokens };
  }

  /**
   * Wait until one more request of about `tokens` fits, then reserve it. Rejects at once with a
   * RateLimitError (not retryable) when `tokens` alone exceed the tokens-per-minute limit, and with an
   * AbortError, leaving the queue, when `signal` aborts.
   */
  acquire(estimatedTokens: number, signal?: AbortSignal): Promise<RateLimitPermit> {
    if (!(Number.isFinite(estimatedTokens) && estimatedTokens >= 0)) {
      return Promise.reject(new TypeError(`RateLimiter.acquire: \`tokens\` must be a number >= 0, received ${String(estimatedTokens)}.`));
    }
    const tokens = Math.ceil(estimatedTokens);
    const { tpm } = this.limits;
    if (tpm !== undefined && tokens > tpm) {
      return Promise.reject(
        new RateLimitError(
          `The request to backend "${this.name}" needs about ${tokens} tokens but the limit is ${tpm} tokens per minute, so it can never fit. ` +
            'Lower maxTokens, shorten the prompt, or raise the "tpm" rate limit.',
          { provider: this.provider, retryable: false },
        ),
      );
    }
    if (signal?.aborted) return Promise.reject(this.aborted(signal));
    const admitted = this.admitNow(tokens);
    if (admitted !== undefined) return Promise.resolve(admitted);
    const startedAt = this.clock.now();
    // Why a call waited that never slept itself: others ahead slept for a limit, or the slots were full.
    const sleepsBefore = this.sleeps;
    const slotsFull = this.slots.pending >= this.slots.concurrency;
    return new Promise<RateLimitPermit>((resolve, reject) => {
      const hold = async (): Promise<void> => {
        const admitted = await this.admission.add(() => this.admit(tokens, startedAt, signal), { signal });
        await new Promise<void>((release) => {
          const waitedMs = this.clock.now() - startedAt;
          const behind = this.sleeps > sleepsBefore ? this.lastSleepReason : slotsFull ? 'maxConcurrent' : undefined;
          const reason = admitted.reason ?? (waitedMs > 0 ? behind : undefined);
          this.permits += 1;
          const onRelease = (): void => {
            this.permits -= 1;
            release();
          };
          resolve(new RateLimitPermit(tokens, reason === undefined ? 0 : waitedMs, reason, (used) => this.settle(admitted.entry, used), onRelease));
        });
      };
      this.slots.add(hold, { signal }).catch((error: unknown) => reject(signal?.aborted ? this.aborted(signal) : error));
    });
  }

  /**
   * `acquire` when it would admit at once, without a promise: the permit, or `undefined` when the
   * request must wait or be refused (then `acquire` does that).
   */
  tryAcquire(estimatedTokens: number, signal?: AbortSignal): RateLimitPermit | undefined {
    if (!(Number.isFinite(estimatedTokens) && estimatedTokens >= 0) || signal?.aborted) return undefined;
    const tokens = Math.ceil(estimatedTokens);
    const { tpm } = this.limits;
    if (tpm !== undefined && tokens > tpm) return undefined;
    return this.admitNow(tokens);
  }

  /**
   * The fast path: with no limit on requests in flight, nobody waiting ahead and room in every
   * window, a request is admitted at once, without the two queues (each costs more than the
   * window check). Anything else takes the queues, in order.
   */
  private admitNow(tokens: number): RateLimitPermit | undefined {
    if (this.limits.maxConcurrent !== undefined || this.admission.size > 0 || this.admission.pending > 0 || this.slots.size > 0) return undefined;
    const now = this.clock.now();
    if (this.blockedFor(tokens, now) !== undefined) return undefined;
    this.budget.consume(tokens, now);
    const entry = this.record(now, tokens);
    this.permits += 1;
    this.unqueuedPermits += 1;
    return new RateLimitPermit(tokens, 0, undefined, (used) => this.settle(entry, used), () => {
      this.permits -= 1;
      this.unqueuedPermits -= 1;
    });
  }

  /**
   * How long a request of about `tokens` would wait for capacity if it asked now, without reserving
   * anything: 0 when it would start at once. Routing uses it to prefer targets with room.
   */
  waitMs(tokens = 0): number {
    const now = this.clock.now();
    const blocked = this.blockedFor(Math.ceil(tokens), now)?.waitMs ?? 0;
    const queued = this.waiting > 0 || this.permits >= (this.limits.maxConcurrent ?? Number.POSITIVE_INFINITY);
    // A full set of slots frees up at an unknown time; count it as a short wait so others go first.
    return Math.max(blocked, queued ? 1 : 0);
  }

  /** Stop admitting requests for `ms` (a provider's `retry-after`). */
  pause(ms: number, reason = 'retry-after'): void {
    const until = this.clock.now() + ms;
    if (until > this.pausedUntil) {
      this.pausedUntil = until;
      this.pauseReason = reason;
    }
  }

  /** Take in the provider's rate-limit headers: when too little is left, wait for their reset. */
  observe(info: RateLimitInfo): void {
    this.budget.update(info, this.clock.now());
    this.wake();
  }

  /** Count a request in the window; with no rpm or tpm limit nothing needs the history, so keep none. */
  private record(now: number, tokens: number): WindowEntry {
    if (this.limits.rpm === undefined && this.limits.tpm === undefined) return NOT_RECORDED;
    return this.window.add(now, tokens);
  }

  private settle(entry: WindowEntry, tokens: number): void {
    const before = this.window.tokensOf(entry);
    this.window.settle(entry, tokens);
    if (before !== undefined && tokens < before) this.wake();
  }

  private async admit(tokens: number, startedAt: number, signal: AbortSignal | undefined): Promise<{ entry: WindowEntry; reason: string | undefined }> {
    let reason: string | undefined;
    for (;;) {
      const now = this.clock.now();
      const blocked = this.blockedFor(tokens, now);
      if (blocked === undefined) {
        this.budget.consume(tokens, now);
        return { entry: this.record(now, tokens), reason };
      }
      if (now - startedAt + blocked.waitMs > this.maxWaitMs) {
        throw new RateLimitError(
          `Backend "${this.name}" has no capacity for another ${Math.ceil(blocked.waitMs)} ms (${blocked.reason}), longer than maxWaitMs (${this.maxWaitMs} ms). ` +
            'Send fewer requests, or raise maxWaitMs to wait longer.',
          { provider: this.provider, retryable: false, retryAfterMs: Math.ceil(blocked.waitMs) },
        );
      }
      reason = blocked.reason;
      this.sleeps += 1;
      this.lastSleepReason = reason;
      await this.sleep(blocked.waitMs, signal);
    }
  }

  /** The longest of what holds a request back: a pause, the window, the provider's last headers. Runs on every call. */
  private blockedFor(tokens: number, now: number): Blocked | undefined {
    this.window.prune(now);
    let longest: Blocked | undefined = this.pausedUntil > now ? { waitMs: this.pausedUntil - now, reason: this.pauseReason } : undefined;
    const windowBlocked = this.window.blockedFor(tokens, this.limits, now);
    if (windowBlocked && (longest === undefined || windowBlocked.waitMs > longest.waitMs)) longest = windowBlocked;
    const budgetBlocked = this.budget.blockedFor(tokens, now);
    if (budgetBlocked && (longest === undefined || budgetBlocked.waitMs > longest.waitMs)) longest = budgetBlocked;
    return longest;
  }

  /** Sleep until `ms` passed or capacity was freed early (a settle, new headers), whichever is first. */
  private sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      let cancel = (): void => {};
      const finish = (): void => {
        cancel();
        this.wakers.delete(wake);
        signal?.removeEventListener('abort', onAbort);
      };
      const wake = (): void => {
        finish();
        resolve();
      };
      const onAbort = (): void => {
        finish();
        reject(this.aborted(signal));
      };
      this.wakers.add(wake);
      signal?.addEventListener('abort', onAbort, { once: true });
      cancel = this.clock.setTimer(wake, ms);
    });
  }

  private wake(): void {
    if (this.wakers.size === 0) return;
    for (const wake of [...this.wakers]) wake();
  }

  private aborted(signal: AbortSignal | undefined): AbortError {
    return new AbortError(`The request was aborted by its AbortSignal while waiting for backend "${this.name}" rate limits.`, {
      provider: this.provider,
      cause: signal?.reason,
    });
  }
}

function positiveInteger(name: string, value: unknown): number {
  if (typeof value === 'number' && Number.isInteger(value) && value >= 1) return value;
  throw new TypeError(`RateLimiter: option \`${name}\` must be an integer >= 1, received ${String(value)}.`);
}
