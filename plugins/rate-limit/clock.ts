/** The time source of a `RateLimiter`. Inject a manual one to test without waiting. */
export interface Clock {
  /** Milliseconds on a monotonic scale. */
  now(): number;
  /** Run `callback` once after `ms`; the returned function cancels it. */
  setTimer(callback: () => void, ms: number): () => void;
}

/** The global `performance` and `setTimeout`, so test fake timers move it too. */
export const systemClock: Clock = Object.freeze({
  now: () => performance.now(),
  setTimer(callback: () => void, ms: number): () => void {
    const timer = setTimeout(callback, ms);
    return () => clearTimeout(timer);
  },
});
