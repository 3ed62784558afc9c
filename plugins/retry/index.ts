import { definePlugin } from '../../core/define.js';
import { Stage } from '../../core/hooks.js';
import { resolveRetryOptions, retryOptionsSchema, type RetryOptions } from './retry-options.js';
import { withRetry } from './with-retry.js';

export const PLUGIN_NAME = 'retry';

/**
 * Repeats failed attempts whose error is retryable, with exponential backoff and jitter, or after
 * the provider's `retry-after`. Wraps outside rate limiting, so every retry waits for capacity again.
 * Emits a `retry` notice (the attempt that failed, the wait, the error) before each wait.
 */
export default definePlugin<RetryOptions>({
  name: PLUGIN_NAME,
  optionsSchema: retryOptionsSchema,
  apply(kernel, options) {
    const resolved = resolveRetryOptions(PLUGIN_NAME, options);
    kernel.hooks.wrapAttempt.tap({ name: PLUGIN_NAME, stage: Stage.RETRY }, (attempt) => withRetry(attempt, kernel.hooks, resolved));
  },
});

export { backoffDelay, type BackoffOptions } from './backoff-delay.js';
export { mayRetry } from './retry-policy.js';
export { resolveRetryOptions, retryOptionsSchema, type Jitter, type ResolvedRetryOptions, type RetryOptions } from './retry-options.js';
