import { definePlugin } from '../../core/define.js';
import { applyRateLimit } from './apply-rate-limit.js';
import { rateLimitOptionsSchema, resolveRateLimitOptions, type RateLimitOptions } from './rate-limit-options.js';

export const PLUGIN_NAME = 'rate-limit';

/**
 * Keeps each backend under its requests per minute, tokens per minute and requests in flight, and
 * under what the provider's rate-limit headers say is left. Every attempt (retries too) waits for
 * capacity; token reservations are settled to the real usage after the call. Emits a
 * `rate-limit-wait` notice when a call had to wait.
 */
export default definePlugin<RateLimitOptions>({
  name: PLUGIN_NAME,
  optionsSchema: rateLimitOptionsSchema,
  apply(kernel, options) {
    applyRateLimit(kernel, PLUGIN_NAME, resolveRateLimitOptions(PLUGIN_NAME, options));
  },
});

export { systemClock, type Clock } from './clock.js';
// Moved to core (shared with the cost plugin); still exported here, as before the move.
export { estimateEmbedTokens, estimateInferTokens, estimateTextTokens, type TokenEstimate } from '../../core/estimate.js';
export { mergeLimits, rateLimitOptionsSchema, resolveRateLimitOptions, type RateLimitOptions, type ResolvedRateLimitOptions } from './rate-limit-options.js';
export { RateLimitPermit } from './rate-limit-permit.js';
export { RateLimiter, type RateLimiterOptions } from './rate-limiter.js';
export { WINDOW_MS } from './sliding-window.js';
