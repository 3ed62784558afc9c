import { AbortError } from '../../core/errors.js';
import { timerDelay } from '../../core/timer-delay.js';

/** Resolve after `ms` (at most 2^31−1: callers bound their delays well below); reject at once with an AbortError, timer cleared, when `signal` aborts. */
export function abortableSleep(ms: number, signal: AbortSignal | undefined, provider?: string): Promise<void> {
  const aborted = (): AbortError =>
    new AbortError('The request was aborted by its AbortSignal while waiting to retry.', { provider, cause: signal?.reason });
  if (signal?.aborted) return Promise.reject(aborted());
  return new Promise((resolve, reject) => {
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(aborted());
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, timerDelay(ms));
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
