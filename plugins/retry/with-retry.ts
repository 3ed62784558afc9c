import pRetry from 'p-retry';
import { toHyperAgentError } from '../../core/errors.js';
import type { Attempt, CallContext, KernelHooks } from '../../core/hooks.js';
import { abortableSleep } from './abortable-sleep.js';
import { backoffDelay } from './backoff-delay.js';
import type { ResolvedRetryOptions } from './retry-options.js';
import { mayRetry } from './retry-policy.js';

/**
 * Wraps one call's attempt function so failed attempts are repeated. The wait happens in
 * `shouldRetry` rather than in p-retry's own timer (`minTimeout: 0`): p-retry knows neither
 * `retry-after` nor full jitter, and its timer rejects with the signal's raw reason.
 *
 * The first attempt runs before p-retry is involved: most calls succeed at once, and then retrying
 * costs nothing. A failure is replayed into p-retry as its first attempt, so p-retry decides about
 * it, and about every later one, exactly as if it had made it.
 */
export function withRetry(attempt: Attempt, hooks: KernelHooks, options: ResolvedRetryOptions): Attempt {
  return async (context: CallContext) => {
    let first: unknown;
    try {
      return await attempt(context);
    } catch (error) {
      first = error;
    }
    let replayed = false;
    return pRetry(
      () => {
        if (replayed) return attempt(context);
        replayed = true;
        return Promise.reject(first);
      },
      {
        retries: options.maxRetries,
        minTimeout: 0,
        shouldRetry: async ({ error, retriesConsumed }) => {
          const typed = toHyperAgentError(error, context.provider);
          if (!mayRetry(typed, options.retryOn)) return false;
          const retryAfterMs = typed.retryAfterMs;
          if (retryAfterMs !== undefined && retryAfterMs > options.maxRetryAfterMs) return false;
          const delayMs = retryAfterMs ?? backoffDelay(retriesConsumed + 1, options);
          hooks.onNotice.call({ type: 'retry', attempt: context.attempt, delayMs, error: typed }, context);
          await abortableSleep(delayMs, context.signal, context.provider);
          return true;
        },
      },
    );
  };
}
