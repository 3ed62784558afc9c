import { AbortError, TimeoutError } from '../../core/errors.js';

function abortError(signal: AbortSignal): AbortError {
  return new AbortError(undefined, { provider: 'mock', cause: signal.reason });
}

/**
 * Resolves after `ms`, or rejects with `AbortError` as soon as `signal` aborts. The timer and the
 * listener never outlive the promise, and `ms <= 0` sets no timer at all.
 */
export function mockDelay(ms: number, signal: AbortSignal | undefined): Promise<void> {
  if (signal?.aborted) return Promise.reject(abortError(signal));
  if (ms <= 0) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(abortError(signal!));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** A response's latency under the call's `timeoutMs`: a response slower than the timeout fails like a real one. */
export async function mockLatency(latencyMs: number, signal: AbortSignal | undefined, timeoutMs: number | undefined): Promise<void> {
  if (timeoutMs === undefined || latencyMs <= timeoutMs) return mockDelay(latencyMs, signal);
  await mockDelay(timeoutMs, signal);
  throw new TimeoutError(`The mock response takes ${latencyMs} ms, longer than the call's timeoutMs (${timeoutMs} ms). Raise timeoutMs or lower the latency.`, {
    provider: 'mock',
  });
}
