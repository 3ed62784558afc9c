import PQueue from 'p-queue';
import type { RateLimitInfo } from '../../core/errors.js';
import type { RateLimits } from '../../core/types.js';
import { CapacitySleepers } from './capacity-sleepers.js';
import { abortedWhileWaiting, describeReason, neverFits, waitedTooLong, wouldWaitTooLong, type LimiterIdentity } from './capacity-errors.js';
import { systemClock, type Clock } from './clock.js';

export type { RateLimiterOptions } from './rate-limiter-options.js';
import { EstimateCalibration } from './estimate-calibration.js';
import { ProviderBudget } from './provider-budget.js';
import { DEFAULT_MAX_PAUSE_MS, DEFAULT_MAX_WAIT_MS } from './rate-limit-options.js';
import { checkedLimits, factor, milliseconds, type RateLimiterOptions } from './rate-limiter-options.js';
import { RateLimitPermit, type PermitLedger } from './rate-limit-permit.js';
import type { Blocked } from './sliding-window.js';
import { StoreWindow, type WindowReservation } from './store-window.js';
import { MemoryStateStore } from '../../core/store/memory-state-store.js';
import { isStoreUnavailable, storeErrorPolicy } from '../../core/store/store-failure.js';

/** With a shared store, other instances free room without waking our waiters: they look again this often. */
const REMOTE_POLL_MS = 250;
/** A request can stay unanswered no longer than a backend's default timeout; past it, its instance is taken for crashed. */
const DEFAULT_PENDING_TTL_MS = 600_000;

/** A call in the queue: what it asked for and until when it may wait. */
interface Waiter {
  readonly estimate: number;
  readonly startedAt: number;
  readonly deadline: number;
  /** Aborts when the caller's signal does, or at the deadline. */
  readonly signal: AbortSignal;
  /** What held it back when it last checked, at the head of the queue. */
  blocked: Blocked | undefined;
  reservation: WindowReservation | undefined;
  tokens: number;
  granted: boolean;
  /** Cancels the deadline timer, which serves calls not yet at the head of the queue; there `admit` keeps the deadline itself. */
  cancelDeadline: (() => void) | undefined;
}

/**
 * Keeps one backend under its requests per minute, tokens per minute and requests in flight, and
 * under what the provider's own headers say is left. Callers `acquire` a permit before each request,
 * `stamp` it once the request reached the upstream, `settle` it to the real token use and `release`
 * it when the request is over. Waiters are served first come, first served.
 */
export class RateLimiter implements LimiterIdentity {
  readonly limits: Readonly<RateLimits>;
  readonly name: string;
  readonly provider: string | undefined;
  readonly maxWaitMs: number;
  readonly maxPauseMs: number;
  private readonly clock: Clock;
  /** Undefined with no rpm or tpm limit: nothing needs the history, so none is kept. */
  private readonly window: StoreWindow | undefined;
  private readonly onStoreError: RateLimiterOptions['onStoreError'];
  private readonly budget = new ProviderBudget();
  private readonly calibration: EstimateCalibration;
  /** The most tokens one reservation takes, so a scaled estimate still fits an empty window. */
  private readonly tokenCap: number;
  /** Holds a slot from admission until the permit is released: p-queue does the concurrency and the FIFO. */
  private readonly slots: PQueue;
  /** One waiter at a time checks the windows, so a small request cannot overtake a large one. */
  private readonly admission = new PQueue({ concurrency: 1 });
  private readonly sleepers: CapacitySleepers;
  private pausedUntil = 0;
  private pauseReason = 'retry-after';
  /** Sleeps so far, and what the last one waited for. */
  private sleeps = 0;
  private lastSleepReason: string | undefined;
  private permits = 0;
  /** Permits of the fast path, which hold no slot in `slots`. */
  private unqueuedPermits = 0;

  private readonly ledger: PermitLedger = {
    stamp: (reservation) => {
      if (reservation !== undefined) this.window!.stamp(reservation);
    },
    settle: (reservation, estimate, used, measured) => {
      if (measured) this.calibration.observe(estimate, used);
      if (reservation === undefined) return;
      const before = reservation.tokens;
      this.window!.settle(reservation, used);
      if (used < before) this.sleepers.wakeAll();
    },
    drop: (reservation) => {
      if (reservation === undefined) return;
      this.window!.release(reservation);
      this.sleepers.wakeAll();
    },
    end: (freeSlot) => {
      this.permits -= 1;
      if (freeSlot === undefined) this.unqueuedPermits -= 1;
      else freeSlot();
    },
  };

  constructor(options: RateLimiterOptions = {}) {
    this.limits = checkedLimits(options);
    this.maxWaitMs = milliseconds('maxWaitMs', options.maxWaitMs, DEFAULT_MAX_WAIT_MS);
    this.maxPauseMs = milliseconds('maxPauseMs', options.maxPauseMs, DEFAULT_MAX_PAUSE_MS);
    this.name = options.name ?? 'backend';
    this.provider = options.provider;
    this.clock = options.clock ?? systemClock;
    this.sleepers = new CapacitySleepers(this.clock);
    this.calibration = new EstimateCalibration(factor('coldStartFactor', options.coldStartFactor));
    this.tokenCap = this.limits.tpm ?? Number.POSITIVE_INFINITY;
    this.onStoreError = options.onStoreError;
    // With no rpm or tpm limit nothing needs the history, so keep none.
    const recording = this.limits.rpm !== undefined || this.limits.tpm !== undefined;
    // A clock of its own (tests) needs a memory store on that clock; in production it is the kernel's store.
    this.window = recording
      ? new StoreWindow({
          store: options.store ?? new MemoryStateStore({ clock: this.clock }),
          key: options.storeKey ?? `rate-limit:${this.name}`,
          rpm: this.limits.rpm,
          tpm: this.limits.tpm,
          pendingTtlMs: milliseconds('pendingTtlMs', options.pendingTtlMs, DEFAULT_PENDING_TTL_MS),
          onLost: (error) => this.storeFailed(error, 'not recorded'),
        })
      : undefined;    this.slots = new PQueue({ concurrency: this.limits.maxConcurrent ?? Number.POSITIVE_INFINITY });
  }

  /** Requests holding a permit now. */
  get inFlight(): number {
    return this.permits;
  }

  /** Requests waiting for a permit now. */
  get waiting(): number {
    return Math.max(0, this.slots.size + this.slots.pending - (this.permits - this.unqueuedPermits));
  }

  /** Real tokens per estimated token that reservations assume now (see `EstimateCalibration`). */
  get calibrationFactor(): number {
    return this.calibration.factor;
  }

  /** Requests and tokens counted now: reached the upstream in the last 60 seconds, or admitted and not known to have reached it yet. */
  usage(): { readonly requests: number; readonly tokens: number } {
    return this.window?.usage() ?? { requests: 0, tokens: 0 };
  }

  /**
   * Wait until one more request of about `estimatedTokens` fits, then reserve it. Rejects at once
   * with a RateLimitError (not retryable) when the tokens alone exceed the tokens-per-minute limit,
   * with one when the wait would pass `maxWaitMs`, and with an AbortError, leaving the queue, when
   * `signal` aborts.
   */
  acquire(estimatedTokens: number, signal?: AbortSignal): Promise<RateLimitPermit> {
    if (!(Number.isFinite(estimatedTokens) && estimatedTokens >= 0)) {
      return Promise.reject(new TypeError(`RateLimiter.acquire: \`tokens\` must be a number >= 0, received ${String(estimatedTokens)}.`));
    }
    const tokens = Math.ceil(estimatedTokens);
    if (tokens > this.tokenCap) return Promise.reject(neverFits(this, tokens));
    if (signal?.aborted) return Promise.reject(abortedWhileWaiting(this, signal));
    const admitted = this.admitNow(tokens);
    return admitted === undefined ? this.enqueue(tokens, signal) : Promise.resolve(admitted);
  }

  /**
   * `acquire` when it would admit at once, without a promise: the permit, or `undefined` when the
   * request must wait or be refused (then `acquire` does that).
   */
  tryAcquire(estimatedTokens: number, signal?: AbortSignal): RateLimitPermit | undefined {
    if (!(Number.isFinite(estimatedTokens) && estimatedTokens >= 0) || signal?.aborted) return undefined;
    const tokens = Math.ceil(estimatedTokens);
    return tokens > this.tokenCap ? undefined : this.admitNow(tokens);
  }

  /**
   * The fast path: with no limit on requests in flight, nobody waiting ahead and room in every
   * window, a request is admitted at once, without the two queues (each costs more than the
   * window check). Anything else takes the queues, in order.
   */
  private admitNow(estimate: number): RateLimitPermit | undefined {
    if (this.limits.maxConcurrent !== undefined || this.admission.size > 0 || this.admission.pending > 0 || this.slots.size > 0) return undefined;
    // A remote store answers with a promise: the queue waits for it.
    if (this.window !== undefined && !this.window.isSynchronous) return undefined;
    const now = this.clock.now();
    const tokens = this.calibration.reserve(estimate, this.tokenCap);
    if (this.localBlocked(tokens, now) !== undefined) return undefined;
    let reservation: WindowReservation | undefined;
    if (this.window !== undefined) {
      const admission = this.window.reserve(tokens, now) as Awaited<ReturnType<StoreWindow['reserve']>>;
      if ('blocked' in admission) return undefined;
      reservation = admission.reservation;
    }
    this.budget.consume(tokens, now);
    this.permits += 1;
    this.unqueuedPermits += 1;
    return new RateLimitPermit(estimate, tokens, 0, undefined, this.ledger, reservation, undefined);
  }

  private enqueue(estimate: number, callerSignal: AbortSignal | undefined): Promise<RateLimitPermit> {
    const startedAt = this.clock.now();
    // Why a call waited that never slept itself: others ahead slept for a limit, or the slots were full.
    const sleepsBefore = this.sleeps;
    const slotsFull = this.slots.pending >= this.slots.concurrency;
    const stop = new AbortController();
    const waiter: Waiter = {
      estimate,
      startedAt,
      deadline: startedAt + this.maxWaitMs,
      signal: stop.signal,
      blocked: undefined,
      reservation: undefined,
      tokens: 0,
      granted: false,
      cancelDeadline: undefined,
    };
    const onAbort = (): void => stop.abort(abortedWhileWaiting(this, callerSignal));
    callerSignal?.addEventListener('abort', onAbort, { once: true });
    if (Number.isFinite(this.maxWaitMs)) waiter.cancelDeadline = this.clock.setTimer(() => stop.abort(this.deadlinePassed(waiter)), this.maxWaitMs);
    const stopListening = (): void => {
      waiter.cancelDeadline?.();
      callerSignal?.removeEventListener('abort', onAbort);
    };
    return new Promise<RateLimitPermit>((resolve, reject) => {
      const hold = async (): Promise<void> => {
        await this.admission.add(() => this.admit(waiter), { signal: stop.signal });
        stopListening();
        if (stop.signal.aborted) throw stop.signal.reason;
        await new Promise<void>((freeSlot) => {
          const waitedMs = this.clock.now() - startedAt;
          const behind = this.sleeps > sleepsBefore ? this.lastSleepReason : slotsFull ? 'maxConcurrent' : undefined;
          const reason = waiter.blocked?.reason ?? (waitedMs > 0 ? behind : undefined);
          this.permits += 1;
          waiter.granted = true;
          resolve(new RateLimitPermit(estimate, waiter.tokens, reason === undefined ? 0 : waitedMs, reason, this.ledger, waiter.reservation, freeSlot));
        });
      };
      this.slots.add(hold, { signal: stop.signal }).catch((error: unknown) => {
        stopListening();
        // Admitted in the same turn as the abort or the deadline: the reservation was never handed out.
        if (!waiter.granted) this.ledger.drop(waiter.reservation);
        reject(error);
      });
    });
  }

  /** At the head of the queue: wait until the request fits, then reserve it. */
  private async admit(waiter: Waiter): Promise<void> {
    waiter.cancelDeadline?.();
    for (;;) {
      if (waiter.signal.aborted) throw waiter.signal.reason;
      const now = this.clock.now();
      // Scaled at admission, not when queued: the calibration may have learned since.
      const tokens = this.calibration.reserve(waiter.estimate, this.tokenCap);
      let blocked = this.localBlocked(tokens, now);
      if (blocked === undefined) {
        let admission;
        try {
          admission = this.window === undefined ? undefined : await this.window.reserve(tokens, now);
        } catch (error) {
          // fail-closed: the call fails with the typed error; fail-open: it goes uncounted.
          if (!isStoreUnavailable(error) || storeErrorPolicy(this.window!.store) === 'fail-closed') {
            this.storeFailed(error, 'refused');
            throw error;
          }
          this.storeFailed(error, 'admitted uncounted');
        }
        if (admission === undefined || 'reservation' in admission) {
          this.budget.consume(tokens, now);
          waiter.tokens = tokens;
          waiter.reservation = admission?.reservation;
          return;
        }
        blocked = admission.blocked;
      }
      waiter.blocked = blocked;
      if (now >= waiter.deadline) throw waitedTooLong(this, `it was held back by ${describeReason(this, blocked.reason)}`, blocked.waitMs);
      // Only time ends an rpm wait, a pause or a provider reset, so one past the deadline fails now;
      // a tpm wait can end sooner, when calls in flight settle to fewer tokens than they reserved.
      if (blocked.reason !== 'tpm' && now + blocked.waitMs > waiter.deadline) {
        throw wouldWaitTooLong(this, blocked.reason, blocked.waitMs, now - waiter.startedAt);
      }
      this.sleeps += 1;
      this.lastSleepReason = blocked.reason;
      // At least 1 ms, so a wait that rounds to 0 cannot spin.
      const poll = this.window?.isSynchronous === false ? REMOTE_POLL_MS : Number.POSITIVE_INFINITY;
      await this.sleepers.sleep(Math.max(1, Math.min(blocked.waitMs, waiter.deadline - now, poll)), waiter.signal);
    }
  }

  /** The error of a call still waiting at its deadline: what it waited for, and how much longer it would have. */
  private deadlinePassed(waiter: Waiter): Error {
    if (waiter.blocked !== undefined) {
      const now = this.clock.now();
      const tokens = this.calibration.reserve(waiter.estimate, this.tokenCap);
      const blocked = this.localBlocked(tokens, now) ?? this.window?.probe(tokens, now) ?? waiter.blocked;
      return waitedTooLong(this, `it was held back by ${describeReason(this, blocked.reason)}`, blocked.waitMs);
    }
    const ahead = Math.max(0, this.waiting - 1);
    const why = this.slots.pending >= this.slots.concurrency
      ? `${describeReason(this, 'maxConcurrent')} was reached, with ${ahead} call(s) queued ahead of it`
      : `${ahead} call(s) ahead of it were waiting for ${this.lastSleepReason === undefined ? 'capacity' : describeReason(this, this.lastSleepReason)}`;
    return waitedTooLong(this, why, undefined);
  }

  /**
   * How long a request of about `tokens` would wait for capacity if it asked now, without reserving
   * anything: 0 when it would start at once. Routing uses it to prefer targets with room.
   */
  waitMs(tokens = 0): number {
    const now = this.clock.now();
    const reserved = this.calibration.reserve(Math.ceil(tokens), this.tokenCap);
    const blocked = Math.max(this.localBlocked(reserved, now)?.waitMs ?? 0, this.window?.probe(reserved, now)?.waitMs ?? 0);
    const queued = this.waiting > 0 || this.permits >= (this.limits.maxConcurrent ?? Number.POSITIVE_INFINITY);
    // A full set of slots frees up at an unknown time; count it as a short wait so others go first.
    return Math.max(blocked, queued ? 1 : 0);
  }

  /** Stop admitting requests for `ms` (a provider's `retry-after`), at most `maxPauseMs`. */
  pause(ms: number, reason = 'retry-after'): void {
    if (!(ms > 0)) return;
    const until = this.clock.now() + Math.min(ms, this.maxPauseMs);
    if (until > this.pausedUntil) {
      this.pausedUntil = until;
      this.pauseReason = reason;
    }
  }

  /** Take in the provider's rate-limit headers: when too little is left, wait for their reset (at most `maxPauseMs`). */
  observe(info: RateLimitInfo): void {
    this.budget.update(info, this.clock.now(), this.maxPauseMs);
    this.sleepers.wakeAll();
  }

  /** A store operation failed: told through `onStoreError` (the plugin turns it into a notice). */
  private storeFailed(error: unknown, action: 'refused' | 'admitted uncounted' | 'not recorded'): void {
    if (isStoreUnavailable(error)) this.onStoreError?.(error, action);
  }

  /** The longer of what holds a request back in this process: a pause, the provider's last headers. Runs on every call; the window is the store's. */
  private localBlocked(tokens: number, now: number): Blocked | undefined {
    let longest: Blocked | undefined = this.pausedUntil > now ? { waitMs: this.pausedUntil - now, reason: this.pauseReason } : undefined;
    const budgetBlocked = this.budget.blockedFor(tokens, now);
    if (budgetBlocked && (longest === undefined || budgetBlocked.waitMs > longest.waitMs)) longest = budgetBlocked;
    return longest;
  }
}
