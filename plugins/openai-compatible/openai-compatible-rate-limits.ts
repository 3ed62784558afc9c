import { rateLimitHeaderReader, type RateLimitHeaderReader } from '../../core/rate-limit-headers.js';
import { ANTHROPIC_RATE_LIMIT_HEADERS } from '../../protocols/anthropic-messages/index.js';
import { OPENAI_RATE_LIMIT_HEADERS, SINGLE_BUDGET_RATE_LIMIT_HEADERS } from '../../protocols/openai-chat/index.js';

/**
 * A server we know nothing about (a proxy such as LiteLLM in front of any provider) may send any
 * family: OpenAI's, Anthropic's passed through, or one request budget. The first present is read.
 */
export const readOpenAICompatibleRateLimitHeaders: RateLimitHeaderReader = rateLimitHeaderReader(
  OPENAI_RATE_LIMIT_HEADERS,
  ANTHROPIC_RATE_LIMIT_HEADERS,
  SINGLE_BUDGET_RATE_LIMIT_HEADERS,
);
