import { rateLimitHeaderReader, type RateLimitHeaderNames, type RateLimitHeaderReader } from '../../core/rate-limit-headers.js';

/** OpenAI's headers (Groq, Together, DeepSeek and others send the same): requests and tokens, resets as durations (`6m0s`). */
export const OPENAI_RATE_LIMIT_HEADERS: RateLimitHeaderNames = Object.freeze({
  limitRequests: 'x-ratelimit-limit-requests',
  remainingRequests: 'x-ratelimit-remaining-requests',
  resetRequests: 'x-ratelimit-reset-requests',
  limitTokens: 'x-ratelimit-limit-tokens',
  remainingTokens: 'x-ratelimit-remaining-tokens',
  resetTokens: 'x-ratelimit-reset-tokens',
});

/**
 * One request budget, as OpenRouter and many OpenAI-compatible servers send it; the reset is epoch
 * milliseconds (OpenRouter), epoch seconds or seconds from now, told apart by size.
 */
export const SINGLE_BUDGET_RATE_LIMIT_HEADERS: RateLimitHeaderNames = Object.freeze({
  limitRequests: 'x-ratelimit-limit',
  remainingRequests: 'x-ratelimit-remaining',
  resetRequests: 'x-ratelimit-reset',
});

/** What a Chat Completions server's headers say about its limits: OpenAI's family, else the single budget. */
export const readOpenAIChatRateLimitHeaders: RateLimitHeaderReader = rateLimitHeaderReader(OPENAI_RATE_LIMIT_HEADERS, SINGLE_BUDGET_RATE_LIMIT_HEADERS);
