/**
 * A value now, or later. The memory store answers every operation synchronously, so its callers keep
 * a promise-free hot path; the Redis store answers with promises. Callers branch once per result:
 *
 * ```ts
 * const reservation = store.windowReserve(key, request);
 * return isPromise(reservation) ? reservation.then(admit) : admit(reservation);
 * ```
 */
export type MaybePromise<T> = T | Promise<T>;

/** True for a native promise (what every asynchronous store returns). */
export function isPromise<T>(value: MaybePromise<T>): value is Promise<T> {
  return value instanceof Promise;
}

/** `then` without a promise when `value` is already there: `next(value)` runs synchronously. */
export function whenReady<T, R>(value: MaybePromise<T>, next: (value: T) => MaybePromise<R>): MaybePromise<R> {
  return value instanceof Promise ? value.then(next) : next(value);
}
