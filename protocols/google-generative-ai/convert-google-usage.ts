import type { TokenUsage } from '../../core/types.js';
import type { GoogleUsageMetadata } from './google-api.js';

/** True when the report holds token counts: early Vertex chunks carry only `trafficType` (google-vertex/stream-include-thoughts.sse). */
export function hasGoogleTokenCounts(usage: GoogleUsageMetadata | undefined): usage is GoogleUsageMetadata {
  return usage !== undefined && usage !== null && (typeof usage.promptTokenCount === 'number' || typeof usage.candidatesTokenCount === 'number' || typeof usage.totalTokenCount === 'number');
}

/**
 * Google usage → our convention. `promptTokenCount` already includes `cachedContentTokenCount`
 * (google/generate-cached-content.json: 9622 of which 9609 cached), so the cached count is a part
 * of it, not added to it; tool-use prompt tokens are input too. `thoughtsTokenCount` is reported
 * apart from `candidatesTokenCount` and billed as output: it goes into `completionTokens` and
 * stays visible as `reasoningTokens`. Odd values pass through for the kernel's sanitiser.
 */
export function convertGoogleUsage(usage: GoogleUsageMetadata | undefined): TokenUsage {
  const prompt = count(usage?.promptTokenCount) + count(usage?.toolUsePromptTokenCount);
  const thoughts = usage?.thoughtsTokenCount;
  const completion = count(usage?.candidatesTokenCount) + count(thoughts);
  const converted: { -readonly [K in keyof TokenUsage]: TokenUsage[K] } = { promptTokens: prompt, completionTokens: completion, totalTokens: prompt + completion };
  const cached = usage?.cachedContentTokenCount;
  if (typeof cached === 'number') converted.cachedTokens = cached;
  if (typeof thoughts === 'number') converted.reasoningTokens = thoughts;
  return converted;
}

function count(value: number | null | undefined): number {
  return typeof value === 'number' ? value : 0;
}
