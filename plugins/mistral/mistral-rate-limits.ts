import { rateLimitHeaderReader, type RateLimitHeaderReader } from '../../core/rate-limit-headers.js';

/** Mistral's per-minute budgets (`x-ratelimit-limit-req-minute`, `-tokens-minute`…; fixture mistral/chat-completion-text.headers.txt): no reset header. */
export const readMistralRateLimitHeaders: RateLimitHeaderReader = rateLimitHeaderReader({
  limitRequests: 'x-ratelimit-limit-req-minute',
  remainingRequests: 'x-ratelimit-remaining-req-minute',
  limitTokens: 'x-ratelimit-limit-tokens-minute',
  remainingTokens: 'x-ratelimit-remaining-tokens-minute',
});
