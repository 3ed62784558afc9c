import { rateLimitHeaderReader, type RateLimitHeaderNames, type RateLimitHeaderReader } from '../../core/rate-limit-headers.js';

/** Anthropic's `anthropic-ratelimit-*` headers; resets are RFC 3339 dates. */
export const ANTHROPIC_RATE_LIMIT_HEADERS: RateLimitHeaderNames = Object.freeze({
  limitRequests: 'anthropic-ratelimit-requests-limit',
  remainingRequests: 'anthropic-ratelimit-requests-remaining',
  resetRequests: 'anthropic-ratelimit-requests-reset',
  limitTokens: 'anthropic-ratelimit-tokens-limit',
  remainingTokens: 'anthropic-ratelimit-tokens-remaining',
  resetTokens: 'anthropic-ratelimit-tokens-reset',
});

export const readAnthropicRateLimitHeaders: RateLimitHeaderReader = rateLimitHeaderReader(ANTHROPIC_RATE_LIMIT_HEADERS);
