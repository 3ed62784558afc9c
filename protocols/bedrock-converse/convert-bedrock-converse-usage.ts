import type { TokenUsage } from '../../core/types.js';
import type { BedrockUsage } from './bedrock-converse-api.js';

/**
 * Bedrock usage → our convention. `inputTokens` excludes cache reads and writes (as Anthropic's
 * does), so `promptTokens` is the sum of the three; reads and writes stay visible as parts of it.
 * The cache counters come under two names (`cacheReadInputTokens`, `cacheReadInputTokenCount`):
 * one is read, never both added.
 */
export function convertBedrockConverseUsage(usage: BedrockUsage | undefined): TokenUsage {
  const input = count(usage?.inputTokens);
  const output = count(usage?.outputTokens);
  const cacheRead = usage?.cacheReadInputTokens ?? usage?.cacheReadInputTokenCount;
  const cacheWrite = usage?.cacheWriteInputTokens ?? usage?.cacheWriteInputTokenCount;
  const promptTokens = input + count(cacheRead) + count(cacheWrite);
  const converted: { -readonly [K in keyof TokenUsage]: TokenUsage[K] } = { promptTokens, completionTokens: output, totalTokens: promptTokens + output };
  if (typeof cacheRead === 'number') converted.cachedTokens = cacheRead;
  if (typeof cacheWrite === 'number') converted.cacheWriteTokens = cacheWrite;
  return converted;
}

function count(value: number | null | undefined): number {
  return typeof value === 'number' && Number.isFinite(value) ? value : 0;
}
