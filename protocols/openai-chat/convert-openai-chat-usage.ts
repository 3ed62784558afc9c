import { EMPTY_USAGE } from '../../core/cost.js';
import type { TokenUsage } from '../../core/types.js';
import type { OpenAIChatWireUsage } from './openai-chat-api.js';

// Counts go to the kernel as sent (a numeric string included): it sanitises every provider's usage in
// one place and says what it corrected, instead of each converter dropping odd values silently.
const count = (value: unknown): number | undefined => (typeof value === 'number' || typeof value === 'string' ? (value as number) : undefined);

/**
 * Chat Completions usage → ours. `prompt_tokens` already counts cached tokens (OpenAI's meaning, which
 * is ours). Optional counters are kept when the provider reports them, zero included, and left out
 * when it does not (Ollama reports no `*_details`).
 */
export function convertOpenAIChatUsage(usage: OpenAIChatWireUsage | null | undefined): TokenUsage {
  if (!usage) return EMPTY_USAGE;
  const promptTokens = count(usage.prompt_tokens) ?? 0;
  const completionTokens = count(usage.completion_tokens) ?? 0;
  const cachedTokens = count(usage.prompt_tokens_details?.cached_tokens);
  const cacheWriteTokens = count(usage.prompt_tokens_details?.cache_write_tokens);
  const reasoningTokens = count(usage.completion_tokens_details?.reasoning_tokens);
  const reportedCostUsd = count(usage.cost);
  const converted: { -readonly [K in keyof TokenUsage]: TokenUsage[K] } = { promptTokens, completionTokens, totalTokens: count(usage.total_tokens) ?? promptTokens + completionTokens };
  if (cachedTokens !== undefined) converted.cachedTokens = cachedTokens;
  if (cacheWriteTokens !== undefined) converted.cacheWriteTokens = cacheWriteTokens;
  if (reasoningTokens !== undefined) converted.reasoningTokens = reasoningTokens;
  if (reportedCostUsd !== undefined) converted.reportedCostUsd = reportedCostUsd;
  return converted;
}
