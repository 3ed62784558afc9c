import { convertOpenAIChatUsage, type OpenAIChatWireUsage } from '../../protocols/openai-chat/index.js';
import type { TokenUsage } from '../../core/types.js';

/**
 * xAI's `completion_tokens` leave out the reasoning tokens (`total_tokens` = prompt + completion +
 * reasoning), where our convention has reasoning inside completion: add them back, so cost and
 * budgets charge what xAI bills.
 */
export function convertXAIUsage(usage: OpenAIChatWireUsage): TokenUsage {
  const converted = convertOpenAIChatUsage(usage);
  const reasoning = converted.reasoningTokens;
  if (typeof reasoning !== 'number' || reasoning <= 0 || typeof converted.completionTokens !== 'number') return converted;
  const completionTokens = converted.completionTokens + reasoning;
  return { ...converted, completionTokens, totalTokens: Math.max(converted.totalTokens, converted.promptTokens + completionTokens) };
}
