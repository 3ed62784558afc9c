import { MAX_TIMER_MS } from '../../core/timer-delay.js';

/** The time source of a `RateLimiter`. Inject a manual one to test without waiting. */
export interface Clock {
  /** Milliseconds on a monotonic scale. */
  now(): number;
  /** Run `callback` once after `ms` (never, for `Infinity`); the returned function cancels it. */
  setTimer(callback: () => void, ms: number): () => void;
}

/**
 * The global `performance` and `setTimeout`, so test fake timers move it too. A delay past what
 * `setTimeout` takes (2^31−1 ms, about 24.8 days) is waited for in several timers, never handed
 * to it whole: Node would warn and fire it after 1 ms.
 */
export const systemClock: Clock = Object.freeze({
  now: () => performance.now(),
  setTimer(callback: () => void, ms: number): () => void {
    if (ms === Number.POSITIVE_INFINITY) return () => {};
    let remaining = ms > 0 ? ms : 0;
    let timer: ReturnType<typeof setTimeout>;
    const arm = (): void => {
      const step = Math.min(remaining, MAX_TIMER_MS);
      remaining -= step;
      timer = setTimeout(remaining > 0 ? arm : callback, step);
    };
    arm();
    return () => clearTimeout(timer);
  },
});
