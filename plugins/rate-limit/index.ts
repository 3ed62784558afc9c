import { definePlugin } from '../../core/define.js';
import { applyRateLimit } from './apply-rate-limit.js';
import { systemClock, type Clock } from './clock.js';
import { rateLimitOptionsSchema, resolveRateLimitOptions, type RateLimitOptions } from './rate-limit-options.js';

export const PLUGIN_NAME = 'rate-limit';

/** What the plugin runs on, besides its options: injected by tests and embedders, never by config. */
export interface RateLimitServices {
  /** @default the system clock */
  readonly clock?: Clock;
}

/**
 * Keeps each backend under its requests per minute, tokens per minute and requests in flight, and
 * under what the provider's rate-limit headers say is left. Every attempt (retries too) waits for
 * capacity; a request counts from admission, expires a minute after it reached the upstream, and its
 * tokens are settled to the real usage after the call. Emits a `rate-limit-wait` notice when a call
 * had to wait.
 */
export function createRateLimitPlugin(services: RateLimitServices = {}) {
  const clock = services.clock ?? systemClock;
  return definePlugin<RateLimitOptions>({
    name: PLUGIN_NAME,
    optionsSchema: rateLimitOptionsSchema,
    apply(kernel, options) {
      applyRateLimit(kernel, PLUGIN_NAME, resolveRateLimitOptions(PLUGIN_NAME, options), clock);
    },
  });
}

export default createRateLimitPlugin();

export { systemClock, type Clock } from './clock.js';
// Moved to core (shared with the cost plugin); still exported here, as before the move.
export { estimateEmbedTokens, estimateInferTokens, estimateTextTokens, type TokenEstimate } from '../../core/estimate.js';
export { COLD_START_FACTOR, EstimateCalibration } from './estimate-calibration.js';
export { DEFAULT_MAX_PAUSE_MS, DEFAULT_MAX_WAIT_MS, mergeLimits, rateLimitOptionsSchema, resolveRateLimitOptions, type RateLimitOptions, type ResolvedRateLimitOptions } from './rate-limit-options.js';
export { RateLimitPermit } from './rate-limit-permit.js';
export { RateLimiter, type RateLimiterOptions } from './rate-limiter.js';
export { WINDOW_MS } from './sliding-window.js';
