import type { TokenUsage } from '../../core/types.js';
import type { AnthropicUsage } from './anthropic-api.js';

/**
 * Anthropic usage → our convention. Anthropic's `input_tokens` excludes cache reads and writes,
 * so `promptTokens` is the sum of all three; cache reads and writes stay visible as parts of it.
 */
export function convertAnthropicUsage(usage: AnthropicUsage | undefined): TokenUsage {
  const input = count(usage?.input_tokens);
  const cacheWrite = usage?.cache_creation_input_tokens;
  const cacheRead = usage?.cache_read_input_tokens;
  const output = count(usage?.output_tokens);
  const thinking = usage?.output_tokens_details?.thinking_tokens;
  const promptTokens = input + count(cacheWrite) + count(cacheRead);
  const converted: { -readonly [K in keyof TokenUsage]: TokenUsage[K] } = { promptTokens, completionTokens: output, totalTokens: promptTokens + output };
  if (typeof cacheRead === 'number') converted.cachedTokens = cacheRead;
  if (typeof cacheWrite === 'number') converted.cacheWriteTokens = cacheWrite;
  // 1-hour writes cost more than 5-minute ones (2x input against 1.25x): the split is priced apart.
  const cacheWrite1h = usage?.cache_creation?.ephemeral_1h_input_tokens;
  if (typeof cacheWrite1h === 'number' && cacheWrite1h > 0) converted.cacheWrite1hTokens = cacheWrite1h;
  if (typeof thinking === 'number') converted.reasoningTokens = thinking;
  return converted;
}

/**
 * Fold a later usage report into an earlier one, field by field. `message_delta` usage is
 * cumulative and its cache counters can differ from `message_start`'s, so the later value
 * replaces the earlier one and is never added to it (see fixtures SOURCES.md, "Quirks").
 */
export function mergeAnthropicUsage(earlier: AnthropicUsage | undefined, later: AnthropicUsage | undefined): AnthropicUsage {
  const merged: Record<string, unknown> = { ...earlier };
  for (const [key, value] of Object.entries(later ?? {})) {
    if (value !== undefined && value !== null) merged[key] = value;
  }
  return merged as AnthropicUsage;
}

function count(value: number | null | undefined): number {
  return typeof value === 'number' && Number.isFinite(value) ? value : 0;
}
