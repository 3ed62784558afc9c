/**
 * The longest delay Node's timers take: past it `setTimeout` warns (`TimeoutOverflowWarning`) and
 * fires after 1 ms instead, so a wait derived from a provider header or an option would spin.
 */
export const MAX_TIMER_MS = 2 ** 31 - 1;

/** `ms` as a delay `setTimeout` honours: at most `MAX_TIMER_MS`, and 0 for negative or NaN. Callers that wait longer check again when it fires. */
export function timerDelay(ms: number): number {
  if (ms > MAX_TIMER_MS) return MAX_TIMER_MS;
  return ms > 0 ? ms : 0;
}
