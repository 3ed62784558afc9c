import { rateLimitHeaderReader, type RateLimitHeaderReader } from '../../core/rate-limit-headers.js';
import { SINGLE_BUDGET_RATE_LIMIT_HEADERS } from '../../protocols/openai-chat/index.js';

/** OpenRouter sends one request budget (`x-ratelimit-limit`/`-remaining`, `-reset` in epoch milliseconds). */
export const readOpenRouterRateLimitHeaders: RateLimitHeaderReader = rateLimitHeaderReader(SINGLE_BUDGET_RATE_LIMIT_HEADERS);
