import { EMPTY_USAGE } from '../../core/cost.js';
import type { TokenUsage } from '../../core/types.js';
import type { OpenAIResponsesUsage } from './openai-responses-api.js';

/** Responses `usage` → our usage. `input_tokens` already counts cached tokens and `output_tokens` reasoning ones, as our convention wants. */
export function convertOpenAIResponsesUsage(usage: OpenAIResponsesUsage | null | undefined): TokenUsage {
  if (!usage) return EMPTY_USAGE;
  const promptTokens = usage.input_tokens ?? 0;
  const completionTokens = usage.output_tokens ?? 0;
  const cachedTokens = usage.input_tokens_details?.cached_tokens;
  const reasoningTokens = usage.output_tokens_details?.reasoning_tokens;
  return {
    promptTokens,
    completionTokens,
    totalTokens: usage.total_tokens ?? promptTokens + completionTokens,
    ...(typeof cachedTokens === 'number' ? { cachedTokens } : {}),
    ...(typeof reasoningTokens === 'number' ? { reasoningTokens } : {}),
  };
}
